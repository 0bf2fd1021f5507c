// Remote workers end to end with real processes (issue 9, "what it must show" 1): an api-only server
// whose models are all routed to remote workers, and `umbra worker` on its own data directory (no
// database, no shared disk). The same requests rendered in-process give byte-identical outputs, which
// proves the protocol carries every input and parameter. Also: `umbra worker-tokens` and `umbra workers`
// as an operator runs them, and a bad UMBRA_ENGINES stopping start-up.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GenerationCreateParams } from '@umbra/sdk';
import { Umbra } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { createWorkerToken } from '../policy/worker-tokens.js';
import { quadClip } from '../inputs/testing/video-fixtures.js';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const WAIT = { pollInterval: 50, timeout: 240_000 };

const cli = async (
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, UMBRA_LOG_LEVEL: 'silent', ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
  }
};

const bytesOf = async (url: string): Promise<Buffer> => Buffer.from(await (await fetch(url)).arrayBuffer());

describe('umbra worker: remote rendering over HTTP', () => {
  let local: TestServer;
  let api: TestServer;
  let worker: ChildProcess | null = null;
  let workerDir = '';
  let sourceB64 = '';

  before(async () => {
    workerDir = await mkdtemp(join(tmpdir(), 'umbra-remote-worker-'));
    const clip = join(workerDir, 'source.mp4');
    await quadClip(clip, { width: 320, height: 180, seconds: 1, fps: 24 });
    sourceB64 = (await readFile(clip)).toString('base64');
    local = await startTestServer();
    api = await startTestServer({
      UMBRA_ROLE: 'api',
      UMBRA_ENGINES: 'uni-1=remote,uni-1-max=remote,ray-3.2=remote',
    });
    const created = await cli(['worker-tokens', 'create', '--name', 'gpu-1', '--data-dir', api.dataDir]);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^umbra-wkr-[A-Za-z0-9]{40}$/, 'the token is the only line on stdout');
    assert.match(created.stderr, /gpu-1/);
    worker = spawn(
      process.execPath,
      [CLI, 'worker', '--server', api.baseURL, '--token', token, '--concurrency', '2', '--instance', 'box-a'],
      { env: { ...process.env, UMBRA_LOG_LEVEL: 'warn', UMBRA_DATA_DIR: workerDir }, stdio: 'ignore' },
    );
  });
  after(async () => {
    worker?.kill('SIGTERM');
    await Promise.all([local?.stop(), api?.stop()]);
    await rm(workerDir, { recursive: true, force: true });
  });

  const both = async (req: GenerationCreateParams): Promise<[Buffer[], Buffer[]]> => {
    const [a, b] = await Promise.all([
      local.client.generations.createAndWait(req, WAIT),
      api.client.generations.createAndWait(req, WAIT),
    ]);
    assert.equal(b.state, 'completed');
    assert.deepEqual(
      b.output.map((o) => o.type),
      a.output.map((o) => o.type),
    );
    return [
      await Promise.all(a.output.map((o) => bytesOf(o.url))),
      await Promise.all(b.output.map((o) => bytesOf(o.url))),
    ];
  };

  it('an image rendered by the remote worker is byte-identical to the in-process render', async () => {
    const [a, b] = await both({ prompt: 'a lighthouse on a cliff at sunset', aspect_ratio: '3:2' });
    assert.ok(b[0]?.equals(a[0] ?? Buffer.alloc(0)), 'same PNG bytes');
  });

  it('a video (with its EXR frames off) is byte-identical', async () => {
    const [a, b] = await both({
      prompt: 'waves rolling onto a beach at dusk',
      type: 'video',
      aspect_ratio: '16:9',
      video: { resolution: '360p' },
    });
    assert.ok(b[0]?.equals(a[0] ?? Buffer.alloc(0)), 'same MP4 bytes');
  });

  it('a video_edit of a base64 source is byte-identical (the source reaches the worker through a signed URL)', async () => {
    const [a, b] = await both({
      prompt: 'rain at night',
      type: 'video_edit',
      source: { data: sourceB64, media_type: 'video/mp4' },
      video: {
        resolution: '360p',
        edit: { strength: 'flex_1', controls: { pose: { enabled: false }, face: { enabled: false } } },
      },
    });
    assert.ok(b[0]?.equals(a[0] ?? Buffer.alloc(0)), 'same MP4 bytes');
  });

  it('`umbra workers` lists the worker; `worker-tokens list` shows the token without its secret', async () => {
    const workers = await cli(['workers', '--data-dir', api.dataDir]);
    assert.equal(workers.code, 0);
    assert.match(workers.stdout, /^NAME\tINSTANCE\tSERVES\tLAST SEEN\tRUNNING\ngpu-1\tbox-a\t/);
    assert.match(workers.stdout, /uni-1\/image,.*ray-3\.2\/video_reframe/);
    const list = await cli(['worker-tokens', 'list', '--data-dir', api.dataDir]);
    assert.match(list.stdout, /gpu-1\tumbra-wkr-[A-Za-z0-9]{8}\tall\tactive\t/);
    assert.doesNotMatch(list.stdout, /umbra-wkr-[A-Za-z0-9]{40}/);
  });
});

describe('umbra worker-tokens and start-up routing errors', () => {
  it('create refuses unknown models and duplicate live names; revoke takes the name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-wkr-tokens-'));
    try {
      const bad = await cli([
        'worker-tokens',
        'create',
        '--name',
        'a',
        '--models',
        'uni-9',
        '--data-dir',
        dir,
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown model 'uni-9'/);
      assert.equal(
        (await cli(['worker-tokens', 'create', '--name', 'a', '--models', 'uni-1', '--data-dir', dir])).code,
        0,
      );
      const dup = await cli(['worker-tokens', 'create', '--name', 'a', '--data-dir', dir]);
      assert.equal(dup.code, 2);
      assert.match(dup.stderr, /live worker token named 'a' exists/);
      assert.equal((await cli(['worker-tokens', 'revoke', 'a', '--data-dir', dir])).code, 0);
      assert.equal(
        (await cli(['worker-tokens', 'revoke', 'a', '--data-dir', dir])).code,
        1,
        'nothing left to revoke',
      );
      assert.equal(
        (await cli(['worker-tokens', 'create', '--name', 'a', '--data-dir', dir])).code,
        0,
        'the name is free again',
      );
      const list = await cli(['worker-tokens', 'list', '--data-dir', dir]);
      assert.match(list.stdout, /a\tumbra-wkr-\w{8}\tuni-1\trevoked/);
      assert.match(list.stdout, /a\tumbra-wkr-\w{8}\tall\tactive/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a bad UMBRA_ENGINES stops start-up with one line naming the value and a non-zero exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-routes-'));
    try {
      for (const [engines, message] of [
        ['uni-1=gpu', /^umbra: UMBRA_ENGINES: unknown engine 'gpu' in 'uni-1=gpu'/],
        ['uni-2=remote', /^umbra: UMBRA_ENGINES: unknown model 'uni-2'/],
        [
          'uni-1-max=relay',
          /^umbra: UMBRA_ENGINES routes uni-1-max\/image, uni-1-max\/image_edit to relay, but UMBRA_RELAY_URL is not set/,
        ],
      ] as const) {
        const r = await cli(['serve', '--port', '0', '--data-dir', dir], { UMBRA_ENGINES: engines });
        assert.equal(r.code, 2, engines);
        assert.match(r.stderr, message);
        assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      }
      const noServer = await cli(['worker', '--token', 'umbra-wkr-x'], { UMBRA_SERVER_URL: '' });
      assert.equal(noServer.code, 2);
      assert.match(noServer.stderr, /needs --server/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('umbra worker rides out a restarting server', () => {
  it('a job rendering while the api restarts is reported once the api is back: completed, one attempt', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-restart-'));
    const workerDir = await mkdtemp(join(tmpdir(), 'umbra-restart-worker-'));
    const env = {
      UMBRA_API_KEY: OWNER_KEY,
      UMBRA_LOG_LEVEL: 'silent',
      UMBRA_POLL_MS: '20',
      UMBRA_ROLE: 'api',
      UMBRA_ENGINES: 'uni-1=remote,uni-1-max=remote,ray-3.2=remote',
    };
    let umbra = await startUmbra(loadConfig({ port: 0, host: '127.0.0.1', dataDir }, env), silentLogger);
    const baseURL = umbra.apiUrl ?? '';
    const port = Number(new URL(baseURL).port);
    const { token } = await createWorkerToken(umbra.store, { name: 'w', models: null }, Date.now());
    const proc = spawn(
      process.execPath,
      [CLI, 'worker', '--server', baseURL, '--token', token, '--concurrency', '1'],
      {
        env: { ...process.env, UMBRA_LOG_LEVEL: 'silent', UMBRA_DATA_DIR: workerDir },
        stdio: 'ignore',
      },
    );
    const client = new Umbra({ apiKey: OWNER_KEY, baseURL, maxRetries: 5, timeout: 30_000 });
    try {
      const g = await client.generations.create({
        prompt: 'a slow pan over snowy mountains',
        type: 'video',
        video: { resolution: '540p', duration: '10s' },
      });
      for (let i = 0; i < 400 && (await client.generations.get(g.id)).state !== 'processing'; i++)
        await sleep(25);
      await umbra.stop(100); // the worker is mid-render: its heartbeats and its report now fail
      await sleep(1500);
      umbra = await startUmbra(loadConfig({ port, host: '127.0.0.1', dataDir }, env), silentLogger);
      const done = await client.generations.wait(g.id, { pollInterval: 100, timeout: 240_000 });
      assert.equal(done.state, 'completed');
      const row = await umbra.store.generations.get(g.id);
      assert.equal(row?.attempts, 1, 'the report was delivered after the restart; nothing rendered twice');
    } finally {
      proc.kill('SIGTERM');
      await umbra.stop(100);
      await rm(dataDir, { recursive: true, force: true });
      await rm(workerDir, { recursive: true, force: true });
    }
  });
});
