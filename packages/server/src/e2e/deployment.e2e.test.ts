// A deployment with no shared disk (issue 10, "what it must show" 1): PostgreSQL and an S3-protocol
// bucket; an api process, a worker process and a remote worker (`umbra worker`), each a real OS process
// with a data directory of its own. An image, an edit chained on its output URL (rendered by the remote
// worker) and a video starting from the edit's output URL complete, and every output downloads from presigned bucket URLs;
// the bucket itself refuses a tampered or expired one. Files uploaded through the Files API (a presigned PUT
// straight to the bucket, and inline) are ingested and referenced by file_id.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Umbra } from '@umbra/sdk';
import { OWNER_KEY } from '../testing/harness.js';
import { describeWithPostgres, TEST_DATABASE_URL } from '../testing/postgres.js';
import type { TestBucket } from '../testing/s3rver.js';
import { startTestBucket } from '../testing/s3rver.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const WAIT = { pollInterval: 100, timeout: 180_000 };
/** Output URLs live this long, so the test can watch one expire. */
const URL_TTL_SECONDS = 4;

interface Proc {
  child: ChildProcess;
  out: () => string;
}

/** Spawns the CLI and resolves once its stdout matches `ready`; the child's output is kept for messages. */
async function run(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const look = (): void => {
      if (ready.test(out)) resolve();
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => reject(new Error(`umbra ${args[0]} exited ${code}:\n${out}`)));
  });
  return { child, out: () => out };
}

const stop = (p: Proc | null): Promise<void> =>
  new Promise((resolve) => {
    if (p === null || p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  });

/** Files under `dir`, recursively (relative paths). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describeWithPostgres(
  'a deployment with no shared disk: PostgreSQL + S3, api, worker, remote worker',
  (schema) => {
    let bucket!: TestBucket;
    const dirs: Record<'api' | 'worker' | 'remote', string> = { api: '', worker: '', remote: '' };
    let api: Proc | null = null;
    let worker: Proc | null = null;
    let remote: Proc | null = null;
    let client!: Umbra;

    before(async () => {
      bucket = await startTestBucket();
      for (const k of Object.keys(dirs) as Array<keyof typeof dirs>) {
        dirs[k] = await mkdtemp(join(tmpdir(), `umbra-deploy-${k}-`));
      }
      const shared: NodeJS.ProcessEnv = {
        ...process.env,
        ...bucket.env,
        DATABASE_URL: TEST_DATABASE_URL,
        UMBRA_PG_SCHEMA: schema,
        UMBRA_API_KEY: OWNER_KEY,
        UMBRA_LOG_LEVEL: 'warn',
        UMBRA_POLL_MS: '20',
        UMBRA_URL_TTL_SECONDS: String(URL_TTL_SECONDS),
        // uni-1-max waits for remote workers; the rest is the worker process's.
        UMBRA_ENGINES: 'uni-1-max=remote',
      };
      api = await run(
        ['serve', '--role', 'api', '--port', '0', '--data-dir', dirs.api],
        shared,
        /Storage: s3:/,
      );
      const baseURL = /Base URL: (\S+)/.exec(api.out())?.[1] ?? '';
      assert.ok(baseURL.startsWith('http://127.0.0.1:'), api.out());
      worker = await run(['serve', '--role', 'worker', '--data-dir', dirs.worker], shared, /Storage: s3:/);
      const token = await run(
        ['worker-tokens', 'create', '--name', 'gpu-box', '--data-dir', dirs.api],
        shared,
        /umbra-wkr-\S+/,
      );
      const secret = /umbra-wkr-\S+/.exec(token.out())?.[0] ?? '';
      await stop(token);
      // The remote worker knows the server's URL and its token: no database, no bucket credentials.
      const bare: NodeJS.ProcessEnv = { ...process.env, UMBRA_LOG_LEVEL: 'info' };
      for (const name of Object.keys(bare)) {
        if (/^(AWS_|UMBRA_S3_|DATABASE_URL|UMBRA_PG_)/.test(name)) delete bare[name];
      }
      remote = await run(
        ['worker', '--server', baseURL, '--token', secret, '--data-dir', dirs.remote],
        bare,
        /./,
      );
      client = new Umbra({ apiKey: OWNER_KEY, baseURL, maxRetries: 0 });
    });

    after(async () => {
      await Promise.all([stop(remote), stop(worker)]);
      await stop(api);
      await bucket?.close();
      for (const dir of Object.values(dirs)) if (dir) await rm(dir, { recursive: true, force: true });
    });

    const download = async (url: string): Promise<{ status: number; bytes: Buffer; text: string }> => {
      const res = await fetch(url);
      const bytes = Buffer.from(await res.arrayBuffer());
      return { status: res.status, bytes, text: bytes.toString('utf8', 0, 400) };
    };
    /** No process kept a byte of media on its own disk. */
    const noMediaOnDisk = async (): Promise<void> => {
      for (const [role, dir] of Object.entries(dirs)) {
        const media = (await filesUnder(dir)).filter((f) => /\.(png|jpe?g|mp4|zip)$|blobs\/|^tmp\/./.test(f));
        assert.deepEqual(media, [], `${role} kept media on its disk`);
      }
    };
    const onBucket = (url: string): void =>
      assert.ok(url.startsWith(`${bucket.endpoint}/${bucket.bucket}/`), `not a bucket URL: ${url}`);

    it("an image, an edit on its output URL (remote worker) and a video from the edit's URL complete from the bucket", async () => {
      const image = await client.generations.createAndWait(
        { prompt: 'a red lighthouse on a cliff', model: 'uni-1', aspect_ratio: '16:9' },
        WAIT,
      );
      const imageUrl = image.output[0]?.url ?? '';
      onBucket(imageUrl);
      const png = await download(imageUrl);
      assert.equal(png.status, 200);
      assert.equal(png.bytes.toString('latin1', 1, 4), 'PNG');
      assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [2048, 1152]);

      // The output's presigned URL goes back in as the edit's source (read from the bucket, no fetch), and
      // uni-1-max is routed to remote workers: only the remote worker can have rendered it.
      const fresh = await client.generations.get(image.id);
      const edit = await client.generations.createAndWait(
        {
          type: 'image_edit',
          model: 'uni-1-max',
          prompt: 'the same lighthouse at night',
          source: { url: fresh.output[0]?.url ?? '' },
        },
        WAIT,
      );
      const editUrl = edit.output[0]?.url ?? '';
      onBucket(editUrl);
      const edited = await download(editUrl);
      assert.equal(edited.status, 200);
      assert.deepEqual([edited.bytes.readUInt32BE(16), edited.bytes.readUInt32BE(20)], [2048, 1152]);
      assert.match(remote?.out() ?? '', new RegExp(edit.id), 'the remote worker logged the edit');

      const video = await client.generations.createAndWait(
        {
          type: 'video',
          model: 'ray-3.2',
          prompt: 'waves below the lighthouse',
          video: { resolution: '360p', start_frame: { url: editUrl } },
        },
        WAIT,
      );
      const videoUrl = video.output[0]?.url ?? '';
      onBucket(videoUrl);
      const mp4 = await download(videoUrl);
      assert.equal(mp4.status, 200);
      assert.equal(mp4.bytes.toString('latin1', 4, 8), 'ftyp');

      await noMediaOnDisk();

      // The bucket itself refuses a tampered URL, and the URL once it has expired.
      const u = new URL(videoUrl);
      const sig = u.searchParams.get('X-Amz-Signature') ?? '';
      u.searchParams.set('X-Amz-Signature', `${sig.startsWith('0') ? '1' : '0'}${sig.slice(1)}`);
      const tampered = await download(u.toString());
      assert.equal(tampered.status, 403);
      assert.match(tampered.text, /SignatureDoesNotMatch/);
      await sleep((URL_TTL_SECONDS + 1) * 1000);
      const expired = await download(videoUrl);
      assert.equal(expired.status, 403);
      assert.match(expired.text, /expired/i);
    });

    it('the Files API on the bucket: a presigned PUT straight to it and an inline upload, both used by file_id', async () => {
      const image = await client.generations.createAndWait(
        { prompt: 'a blue door', aspect_ratio: '1:1' },
        WAIT,
      );
      const png = (await download(image.output[0]?.url ?? '')).bytes;
      const seen: string[] = [];
      const recording = new Umbra({
        apiKey: OWNER_KEY,
        baseURL: client.baseURL,
        maxRetries: 0,
        fetch: (input, init) => {
          const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
          seen.push(`${init?.method ?? 'GET'} ${url}`);
          return fetch(input, init);
        },
      });
      const presigned = await recording.files.upload(
        png,
        { purpose: 'reference' },
        { inlineThreshold: 0, wait: true },
      );
      const put = seen.find((r) => r.startsWith('PUT '))?.slice(4) ?? '';
      onBucket(put);
      const inline = await recording.files.upload(png, { purpose: 'input' }, { wait: true });
      assert.deepEqual([presigned.state, inline.state], ['ready', 'ready']);
      const edit = await client.generations.createAndWait(
        {
          type: 'image_edit',
          prompt: 'the door in autumn',
          source: { file_id: inline.id },
          image_ref: [{ file_id: presigned.id }],
        },
        WAIT,
      );
      onBucket(edit.output[0]?.url ?? '');
      assert.equal((await download(edit.output[0]?.url ?? '')).status, 200);
      await noMediaOnDisk();
    });
  },
);
