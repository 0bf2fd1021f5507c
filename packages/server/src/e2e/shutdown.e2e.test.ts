// Graceful shutdown with real processes and a real SIGTERM (issue 12 part 3, "what it must show"): a
// process stopped during a long render exits within its grace, and hands the job back at once, so another
// worker finishes it long before the job's lease would have run out — without spending an attempt. The
// remote worker's job is a real HEVC render; `umbra serve`'s spends its time in the emulator's latency,
// which the stop aborts the same way, so the file costs one long render, not two.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GenerationCreateParams } from '@umbra/sdk';
import { Umbra } from '@umbra/sdk';
import { openStore } from '../store/open-store.js';
import type { GenerationRow } from '../store/store.js';
import type { CliProcess } from '../testing/cli-process.js';
import { startApiProcess, startCli, stopCli } from '../testing/cli-process.js';
import { OWNER_KEY } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
/**
 * The job's lease: a stopped worker that did not hand its job back would hold it this long. Long, so that
 * "finished well before the lease" holds with room on a busy machine, where the render below can take
 * three times as long as on an idle one.
 */
const LEASE_MS = 180_000;
const GRACE_MS = 1000;
/** Exit after SIGTERM: the grace, the hand-back, closing, and a process's own start-to-exit slack. */
const EXIT_WITHIN_MS = GRACE_MS + 3000;
/** A render of well over 10 s on two cores (HEVC Main10, 1080p, 5 s): no grace lets it finish. */
const LONG_VIDEO: GenerationCreateParams = {
  prompt: 'waves rolling onto a beach at dusk',
  model: 'ray-3.2',
  type: 'video',
  video: { resolution: '1080p', duration: '5s', hdr: true },
};

/** Sends SIGTERM and resolves with the exit code and how long the process took to exit. */
const terminate = (p: CliProcess): Promise<{ code: number | null; ms: number }> =>
  new Promise((resolve) => {
    const t0 = Date.now();
    p.child.once('exit', (code) => resolve({ code, ms: Date.now() - t0 }));
    p.child.kill('SIGTERM');
  });

/** Polls until the generation is in `state` (or past `timeoutMs`). */
async function until(client: Umbra, id: string, state: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const g = await client.generations.get(id);
    if (g.state === state) return;
    if (g.state === 'failed') throw new Error(`generation failed: ${g.failure_reason ?? ''}`);
    if (Date.now() > end) throw new Error(`generation still ${g.state} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The job's row as the store has it (the test opens the same SQLite file). */
async function rowOf(dataDir: string, id: string): Promise<GenerationRow> {
  const store = await openStore({ sqlitePath: join(dataDir, 'umbra.db') });
  try {
    const row = await store.generations.get(id);
    assert.ok(row);
    return row;
  } finally {
    await store.close();
  }
}

describe('graceful shutdown (real processes, real SIGTERM)', () => {
  const dirs: string[] = [];
  const procs: CliProcess[] = [];
  const tempDir = async (): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'umbra-shutdown-'));
    dirs.push(d);
    return d;
  };
  const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    UMBRA_API_KEY: OWNER_KEY,
    UMBRA_LOG_LEVEL: 'info',
    UMBRA_LOG_FORMAT: 'json',
    UMBRA_POLL_MS: '20',
    UMBRA_CONCURRENCY: '1',
    UMBRA_LEASE_MS: String(LEASE_MS),
    UMBRA_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    ...more,
  });
  const started = async (p: Promise<CliProcess>): Promise<CliProcess> => {
    const proc = await p;
    procs.push(proc);
    return proc;
  };

  after(async () => {
    await Promise.all(procs.map((p) => stopCli(p)));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('a remote worker stopped mid-render exits within its grace; another worker finishes the job at once', async (t) => {
    const dataDir = await tempDir();
    const apiEnv = env({ UMBRA_ENGINES: 'ray-3.2=remote' });
    const api = await startApiProcess(apiEnv, dataDir);
    procs.push(api.proc);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'worker-tokens', 'create', '--name', 'shut', '--data-dir', dataDir],
      { env: { ...apiEnv, UMBRA_LOG_LEVEL: 'silent' } },
    );
    const token = stdout.trim();
    const worker = async (name: string): Promise<CliProcess> =>
      started(
        startCli(
          [
            'worker',
            '--server',
            api.baseURL,
            '--token',
            token,
            '--instance',
            name,
            '--data-dir',
            await tempDir(),
          ],
          env(),
          /claiming/,
        ),
      );
    const client = new Umbra({ apiKey: OWNER_KEY, baseURL: api.baseURL, maxRetries: 0 });

    const a = await worker('box-a');
    const g = await client.generations.create(LONG_VIDEO);
    await until(client, g.id, 'processing', 20_000);
    await sleep(1000); // well into the render
    const stopped = await terminate(a);
    const termAt = Date.now() - stopped.ms;
    assert.equal(stopped.code, 0, `worker A exits cleanly:\n${a.out()}`);
    assert.ok(stopped.ms < EXIT_WITHIN_MS, `worker A took ${stopped.ms} ms to exit`);
    assert.match(a.out(), /handed back: worker stopping/);
    const back = await rowOf(dataDir, g.id);
    assert.equal(back.state, 'queued', 'handed back, not left to its lease');
    assert.equal(back.leaseOwner, null);

    const b = await worker('box-b');
    await until(client, g.id, 'completed', LEASE_MS / 3);
    const doneAfter = Date.now() - termAt;
    assert.ok(
      doneAfter < LEASE_MS / 3,
      `completed ${doneAfter} ms after SIGTERM; the lease is ${LEASE_MS} ms`,
    );
    assert.match(b.out(), new RegExp(`"gen":"${g.id}"[^\\n]*"msg":"completed"`), 'completed by worker B');
    const done = await rowOf(dataDir, g.id);
    assert.equal(done.attempts, 2, 'claimed twice');
    assert.equal(done.maxAttempts, 4, 'the hand-back spent no attempt (3 + 1 allowed)');
    t.diagnostic(
      `worker A exited ${stopped.ms} ms after SIGTERM; B completed the job ${doneAfter} ms after it`,
    );
    assert.equal(done.outputs.length, 1);
    const video = await client.generations.get(g.id);
    assert.equal((await fetch(video.output[0]?.url ?? '')).status, 200);
  });

  it('an in-process worker (`umbra serve`) stopped mid-job exits within its grace; the next process finishes the job', async (t) => {
    const dataDir = await tempDir();
    // The first process holds its job for a minute (the emulator's latency, spent inside the job like a
    // render, and aborted the same way); the real render is the remote case above. The next process renders
    // the image for real, at once.
    const serve = (more: Record<string, string> = {}): Promise<CliProcess> =>
      started(startCli(['serve', '--port', '0', '--data-dir', dataDir], env(more), /Storage: /));
    const baseURL = (p: CliProcess): string => /Base URL: (\S+)/.exec(p.out())?.[1] ?? '';

    const first = await serve({ UMBRA_EMULATOR: '1', UMBRA_EMULATE_LATENCY_MS: '60000' });
    const c1 = new Umbra({ apiKey: OWNER_KEY, baseURL: baseURL(first), maxRetries: 0 });
    const g = await c1.generations.create({ prompt: 'a harbour at night', aspect_ratio: '1:1' });
    await until(c1, g.id, 'processing', 20_000);
    await sleep(1000);
    const stopped = await terminate(first);
    const termAt = Date.now() - stopped.ms;
    assert.equal(stopped.code, 0, `serve exits cleanly:\n${first.out()}`);
    assert.ok(stopped.ms < EXIT_WITHIN_MS, `serve took ${stopped.ms} ms to exit`);
    assert.match(first.out(), /handed back: worker stopping/);
    assert.equal((await rowOf(dataDir, g.id)).state, 'queued');

    const second = await serve();
    const c2 = new Umbra({ apiKey: OWNER_KEY, baseURL: baseURL(second), maxRetries: 0 });
    await until(c2, g.id, 'completed', LEASE_MS / 3);
    const doneAfter = Date.now() - termAt;
    assert.ok(
      doneAfter < LEASE_MS / 3,
      `completed ${doneAfter} ms after SIGTERM; the lease is ${LEASE_MS} ms`,
    );
    const done = await rowOf(dataDir, g.id);
    assert.equal(done.attempts, 2);
    assert.equal(done.maxAttempts, 4);
    t.diagnostic(
      `serve exited ${stopped.ms} ms after SIGTERM; the next one completed the job ${doneAfter} ms after it`,
    );
  });
});
