// The Python worker kit (workers/python) against a real server, as separate processes on loopback: the
// example worker renders a PNG of the requested size; a Failure ends a job with its code; a worker killed
// mid-job loses the job to another one after the lease, one stopped with SIGTERM past its grace hands it
// back at once; an error is retried; inputs arrive as files. It
// also runs the kit's own Python unit tests, so `npm test` covers them.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Generation } from '@umbra/sdk';
import { png } from '../inputs/testing/image-fixtures.js';
import { createWorkerToken } from '../policy/worker-tokens.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const KIT = join(ROOT, 'workers', 'python');
const EXAMPLE = join(KIT, 'example_worker.py');
const SCRIPTED = join(KIT, 'tests', 'scripted_worker.py');
const PYTHON = process.env.PYTHON ?? 'python3';

/** null when a usable Python (>= 3.9) is here; else why not. */
function pythonMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import sys; print(sys.version_info >= (3, 9))'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${PYTHON} not found`;
  return r.stdout.trim() === 'True' ? null : `${PYTHON} is older than 3.9`;
}
const missing = pythonMissing();
if (missing !== null && process.env.CI === 'true')
  throw new Error(`python worker tests need Python >= 3.9 under CI: ${missing}`);
if (missing !== null) console.log(`# skipping the python worker tests: ${missing}`);

const pythonEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PYTHONPATH: KIT,
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONUNBUFFERED: '1',
  ...extra,
});

const pngSize = (b: Buffer): [number, number] => [b.readUInt32BE(16), b.readUInt32BE(20)];

describe('python worker kit', { skip: missing ?? false }, () => {
  let s: TestServer;
  let token: string;
  const workers: Array<{ proc: ChildProcess; log: () => string }> = [];

  beforeEach(async () => {
    s = await startTestServer({
      UMBRA_ENGINES: 'uni-1-max=remote',
      UMBRA_LEASE_MS: '1500',
      UMBRA_RETRY_BASE_MS: '50',
    });
    ({ token } = await createWorkerToken(s.umbra.store, { name: 'gpu-team', models: null }, Date.now()));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => kill(w.proc)));
    await s.stop();
  });

  const kill = async (proc: ChildProcess): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };

  /** Starts a worker process; its output is kept for failure messages. */
  const startWorker = (
    script: string,
    o: { behave?: string; instance: string; args?: string[] },
  ): { proc: ChildProcess; log: () => string } => {
    const args = [
      script,
      '--server',
      s.baseURL,
      '--token',
      token,
      '--models',
      'uni-1-max',
      ...(o.args ?? []),
    ];
    const proc = spawn(PYTHON, [...args, '--instance', o.instance, '--wait-seconds', '2'], {
      cwd: ROOT,
      env: pythonEnv(o.behave === undefined ? {} : { UMBRA_TEST_BEHAVE: o.behave }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const w = { proc, log: () => out };
    workers.push(w);
    return w;
  };

  /** Waits until the generation is completed or failed. */
  const settled = async (id: string, timeoutMs = 30_000): Promise<Generation> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const g = await s.client.generations.get(id);
      if (g.state === 'completed' || g.state === 'failed') return g;
      if (Date.now() > deadline) throw new Error(`generation ${id} still ${g.state}`);
      await sleep(50);
    }
  };

  const row = async (id: string) => {
    const r = await s.umbra.store.generations.get(id);
    assert.ok(r);
    return r;
  };

  const outputBytes = async (g: Generation): Promise<Buffer> => {
    assert.equal(g.output.length, 1);
    const res = await fetch(g.output[0]?.url ?? '');
    assert.equal(res.status, 200);
    return Buffer.from(await res.arrayBuffer());
  };

  it('the example worker renders a uni-1-max job as a PNG of exactly the requested size', async () => {
    const w = startWorker(EXAMPLE, { instance: 'example-1' });
    const g = await s.client.generations.create({
      prompt: 'a lighthouse at dusk',
      model: 'uni-1-max',
      aspect_ratio: '3:2',
    });
    const done = await settled(g.id);
    assert.equal(done.state, 'completed', w.log());
    const bytes = await outputBytes(done);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual(pngSize(bytes), [2048, 1366], 'the contract size of 3:2');
    assert.equal((await row(g.id)).attempts, 1);
  });

  it("a handler's Failure ends the job with its code and reason, without retries", async () => {
    const w = startWorker(SCRIPTED, { behave: 'moderate', instance: 'moderator' });
    const g = await s.client.generations.create({ prompt: 'something flagged', model: 'uni-1-max' });
    const done = await settled(g.id);
    assert.equal(done.state, 'failed', w.log());
    assert.equal(done.failure_code, 'content_moderated');
    assert.equal(done.failure_reason, 'flagged by the test moderator');
    assert.equal((await row(g.id)).attempts, 1);
  });

  it('a worker killed mid-job loses it to another worker after the lease; one output, attempt 2', async () => {
    const first = startWorker(SCRIPTED, { behave: 'hang', instance: 'doomed' });
    const g = await s.client.generations.create({ prompt: 'a long render', model: 'uni-1-max' });
    for (let i = 0; i < 400; i++) {
      const r = await row(g.id);
      if (r.state === 'processing') break;
      await sleep(25);
    }
    assert.equal((await row(g.id)).state, 'processing', first.log());
    await kill(first.proc);

    const second = startWorker(EXAMPLE, { instance: 'survivor' });
    const done = await settled(g.id);
    assert.equal(done.state, 'completed', second.log());
    const r = await row(g.id);
    assert.equal(r.attempts, 2, 'claimed by the killed worker, then by the survivor');
    assert.equal(r.outputs.length, 1);
    assert.deepEqual(pngSize(await outputBytes(done)), [2048, 1152]);
    assert.deepEqual(await readdir(join(s.dataDir, 'blobs', 'generations', g.id)), ['a2']);
  });

  it('a worker whose lease ran out while it was stopped is told so and stops rendering', async () => {
    const first = startWorker(SCRIPTED, { behave: 'hang', instance: 'sleepy' });
    const g = await s.client.generations.create({ prompt: 'a paused render', model: 'uni-1-max' });
    for (let i = 0; i < 400 && (await row(g.id)).state !== 'processing'; i++) await sleep(25);
    first.proc.kill('SIGSTOP');
    const second = startWorker(EXAMPLE, { instance: 'awake' });
    assert.equal((await settled(g.id)).state, 'completed', second.log());
    first.proc.kill('SIGCONT');
    for (let i = 0; i < 200 && !/stopped rendering/.test(first.log()); i++) await sleep(25);
    assert.match(first.log(), /lease lost; stopped rendering/);
    const r = await row(g.id);
    assert.equal(r.attempts, 2);
    assert.equal(r.state, 'completed');
  });

  it('SIGTERM stops claiming but lets the running job finish, then exits 0', async () => {
    const w = startWorker(SCRIPTED, { behave: 'slow', instance: 'draining' });
    const g = await s.client.generations.create({ prompt: 'finish me', model: 'uni-1-max' });
    for (let i = 0; i < 400 && (await row(g.id)).state !== 'processing'; i++) await sleep(25);
    const exited = new Promise<number | null>((resolve) => w.proc.once('exit', resolve));
    w.proc.kill('SIGTERM');
    assert.equal(await exited, 0, w.log());
    const r = await row(g.id);
    assert.equal(r.state, 'completed', w.log());
    assert.equal(r.attempts, 1);
  });

  it('SIGTERM past the grace hands the running job back at once, no attempt spent; another worker completes it', async () => {
    const w = startWorker(SCRIPTED, {
      behave: 'hang',
      instance: 'handing-back',
      args: ['--grace-seconds', '0.3'],
    });
    const g = await s.client.generations.create({ prompt: 'hand me back', model: 'uni-1-max' });
    for (let i = 0; i < 400 && (await row(g.id)).state !== 'processing'; i++) await sleep(25);
    const exited = new Promise<number | null>((resolve) => w.proc.once('exit', resolve));
    const t0 = Date.now();
    w.proc.kill('SIGTERM');
    assert.equal(await exited, 0, w.log());
    assert.ok(Date.now() - t0 < 3000, `exited ${Date.now() - t0} ms after SIGTERM`);
    assert.match(w.log(), /handed back to the queue/);
    const back = await row(g.id);
    assert.equal(back.state, 'queued', w.log());
    assert.equal(back.attempts, 1);
    assert.equal(back.maxAttempts, s.config.maxAttempts + 1, 'the hand-back spent no attempt');
    const second = startWorker(EXAMPLE, { instance: 'taker' });
    assert.equal((await settled(g.id)).state, 'completed', second.log());
    assert.equal((await row(g.id)).attempts, 2);
  });

  it('an unexpected error is a retryable generation_failed: the next attempt completes', async () => {
    const w = startWorker(SCRIPTED, { behave: 'flaky', instance: 'flaky' });
    const g = await s.client.generations.create({ prompt: 'try again', model: 'uni-1-max' });
    const done = await settled(g.id);
    assert.equal(done.state, 'completed', w.log());
    assert.equal((await row(g.id)).attempts, 2);
    assert.match(w.log(), /RuntimeError: the first attempt always fails/);
  });

  it('inputs arrive as local files (a handler that returns its source gets it back)', async () => {
    const w = startWorker(SCRIPTED, { behave: 'echo', instance: 'echo' });
    const source = png(40, 30, { noisy: true });
    const g = await s.client.generations.create({
      type: 'image_edit',
      model: 'uni-1-max',
      prompt: 'make it blue',
      source: { data: source.toString('base64'), media_type: 'image/png' },
    });
    const done = await settled(g.id);
    assert.equal(done.state, 'completed', w.log());
    assert.deepEqual(await outputBytes(done), source);
  });

  it('passes the python unit tests of the kit', () => {
    const r = spawnSync(PYTHON, ['-m', 'unittest'], { cwd: KIT, env: pythonEnv(), encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /^OK/m);
  });
});

describe('README: "Put your own model behind Umbra"', () => {
  it('shows the example worker exactly as the file that the tests above run', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- python-example: workers\/python\/example_worker\.py -->\n```python\n([\s\S]*?)```\n/.exec(
      readme,
    );
    assert.ok(m, 'the README has the example block');
    assert.equal(m[1], await readFile(EXAMPLE, 'utf8'));
  });
});
