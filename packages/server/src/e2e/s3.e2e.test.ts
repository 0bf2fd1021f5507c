// Umbra on an S3-compatible bucket end to end (issue 10): outputs are presigned bucket URLs that the
// bucket itself serves and refuses; an output URL fed back in is read from the bucket without a fetch;
// api-only and worker-only processes share the bucket; a remote worker, which never has the bucket's
// credentials, uploads its output straight to the bucket through a presigned PUT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { S3BlobStore } from '../blobs/s3.blob-store.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { createWorkerToken } from '../policy/worker-tokens.js';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';
import type { TestBucket } from '../testing/s3rver.js';
import { startTestBucket } from '../testing/s3rver.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const WAIT = { pollInterval: 50, timeout: 120_000 };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const fetched = async (url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> => {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
};

/** The object key a presigned path-style URL of `bucket` names. */
const keyOf = (url: string, bucket: TestBucket): string =>
  decodeURIComponent(new URL(url).pathname.slice(`/${bucket.bucket}/`.length));

describe('Umbra on an S3 bucket', () => {
  let bucket!: TestBucket;
  let objects!: S3BlobStore;
  before(async () => {
    bucket = await startTestBucket();
    objects = new S3BlobStore(bucket.storeOptions());
  });
  after(async () => {
    objects?.close();
    await bucket?.close();
  });

  describe('one process (api + worker)', () => {
    let s!: TestServer;
    before(async () => {
      s = await startTestServer({ ...bucket.env, UMBRA_URL_TTL_SECONDS: '3' });
    });
    after(() => s?.stop());

    it('completes an image whose URL is a presigned bucket URL serving the PNG; the bucket refuses a tampered or expired one', async () => {
      const g = await s.client.generations.createAndWait({ prompt: 'a red barn in a field' }, WAIT);
      assert.equal(g.state, 'completed');
      const fresh = await s.client.generations.get(g.id);
      const url = fresh.output[0]?.url ?? '';
      assert.ok(url.startsWith(`${bucket.endpoint}/${bucket.bucket}/`), url);
      assert.match(url, /X-Amz-Signature=[0-9a-f]{64}/);
      const got = await fetched(url);
      assert.equal(got.status, 200);
      assert.equal(got.type, 'image/png');
      assert.ok(got.bytes.subarray(0, 8).equals(PNG), 'PNG bytes');
      assert.equal((await objects.stat(keyOf(url, bucket)))?.size, got.bytes.length);
      // Nothing of the blobs is on this server's disk, and it serves no blob routes.
      await assert.rejects(stat(join(s.dataDir, 'blobs')), { code: 'ENOENT' });
      const tampered = url.replace(
        /X-Amz-Signature=([0-9a-f])/,
        (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`,
      );
      assert.equal((await fetched(tampered)).status, 403);
      await sleep(4000);
      const expired = await fetched(url);
      assert.equal(expired.status, 403);
      assert.match(expired.bytes.toString(), /Request has expired/);
    });

    it('takes an output URL back as an input, read from the bucket', async () => {
      const first = await s.client.generations.createAndWait({ prompt: 'a lighthouse at dusk' }, WAIT);
      const url = (await s.client.generations.get(first.id)).output[0]?.url ?? '';
      const edit = await s.client.generations.createAndWait(
        { type: 'image_edit', prompt: 'in winter', source: { url } },
        WAIT,
      );
      assert.equal(edit.state, 'completed');
    });
  });

  it('an api-only and a worker-only process share the bucket', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-s3-roles-'));
    const env = { ...bucket.env, UMBRA_API_KEY: OWNER_KEY, UMBRA_LOG_LEVEL: 'silent', UMBRA_POLL_MS: '20' };
    const api = await startUmbra(loadConfig({ role: 'api', port: 0, dataDir }, env), silentLogger);
    const worker = await startUmbra(loadConfig({ role: 'worker', dataDir }, env), silentLogger);
    try {
      assert.match(api.storage, new RegExp(`^s3://${bucket.bucket}/ \\(${bucket.endpoint}\\)$`));
      const res = await fetch(`${api.apiUrl ?? ''}/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OWNER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'a small boat on a lake' }),
      });
      assert.equal(res.status, 201);
      const { id } = (await res.json()) as { id: string };
      let url = '';
      for (let i = 0; i < 1200 && url === ''; i++) {
        const g = await api.store.generations.get(id);
        if (g?.state === 'failed') assert.fail(`failed: ${g.failureReason ?? ''}`);
        if (g?.state === 'completed') url = g.outputs[0]?.key ?? '';
        else await sleep(100);
      }
      assert.ok(url !== '', 'completed');
      assert.equal((await objects.stat(url))?.contentType, 'image/png');
    } finally {
      await worker.stop(200);
      await api.stop(200);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('a remote worker (umbra worker) without the bucket credentials', () => {
    let api!: TestServer;
    let worker: ChildProcess | null = null;
    let workerDir = '';
    before(async () => {
      api = await startTestServer({ ...bucket.env, UMBRA_ROLE: 'api', UMBRA_ENGINES: 'uni-1=remote' });
      const { token } = await createWorkerToken(
        api.umbra.store,
        { name: 'gpu-s3', models: null },
        Date.now(),
      );
      workerDir = await mkdtemp(join(tmpdir(), 'umbra-s3-remote-'));
      const env: NodeJS.ProcessEnv = { ...process.env, UMBRA_LOG_LEVEL: 'warn', UMBRA_DATA_DIR: workerDir };
      for (const name of Object.keys(env)) if (/^(AWS_|UMBRA_S3_)/.test(name)) delete env[name];
      worker = spawn(process.execPath, [CLI, 'worker', '--server', api.baseURL, '--token', token], {
        env,
        stdio: 'ignore',
      });
    });
    after(async () => {
      worker?.kill('SIGTERM');
      await api?.stop();
      await rm(workerDir, { recursive: true, force: true });
    });

    it('completes a job, its output uploaded to the bucket through a presigned PUT', async () => {
      const g = await api.client.generations.createAndWait(
        { prompt: 'a fox in the snow', model: 'uni-1' },
        WAIT,
      );
      assert.equal(g.state, 'completed');
      const url = g.output[0]?.url ?? '';
      assert.ok(url.startsWith(`${bucket.endpoint}/${bucket.bucket}/`), url);
      const got = await fetched(url);
      assert.equal(got.status, 200);
      assert.equal(got.type, 'image/png');
      assert.ok(got.bytes.subarray(0, 8).equals(PNG));
      assert.equal((await objects.stat(keyOf(url, bucket)))?.size, got.bytes.length);
    });
  });
});
