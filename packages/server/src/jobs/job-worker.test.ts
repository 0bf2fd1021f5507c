// The worker against a real SQLite file and the real disk blob store, with hand-written fake engines.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DiskBlobStore } from '../blobs/disk.blob-store.js';
import { UrlSigner } from '../blobs/url-signer.js';
import { parseCreateRequest } from '../contract/validate-create.js';
import type { Engine, RenderJob, RenderedFile } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import { silentLogger } from '../log.js';
import { openStore } from '../store/open-store.js';
import { admitOutcome, type GenerationRow, type Store } from '../store/store.js';
import { DependencyUnavailable } from '../unavailable.js';
import type { JobWorker } from './job-worker.js';
import { HAND_BACK_MS } from './job-worker.js';
import { UNAVAILABLE_RELEASE_DELAY_MS } from './pipeline.js';
import { Reaper } from './reaper.js';
import { retryDelayMs } from './settle.js';
import type { StoreWorkerOptions } from './store-worker.js';
import { createStoreWorker } from './store-worker.js';

const REQUEST = parseCreateRequest({ prompt: 'test' }, { hdrAccess: false });

/** A fake engine: writes a small file, optionally failing or stalling per attempt. */
class FakeEngine implements Engine {
  readonly name = 'fake';
  readonly renders: string[] = [];
  private readonly inFlight = new Set<string>();
  overlapped = false;
  constructor(
    private readonly behave: (job: RenderJob, nth: number) => Promise<void> = () => Promise.resolve(),
  ) {}
  async render(job: RenderJob): Promise<RenderedFile[]> {
    if (this.inFlight.has(job.generationId)) this.overlapped = true;
    this.inFlight.add(job.generationId);
    try {
      this.renders.push(job.generationId);
      await this.behave(job, this.renders.filter((id) => id === job.generationId).length);
      const path = join(job.scratchDir, 'out.png');
      await writeFile(path, `png of ${job.generationId}`);
      return [{ type: 'image', path, contentType: 'image/png' }];
    } finally {
      this.inFlight.delete(job.generationId);
    }
  }
}

describe('JobWorker (SQLite file, disk blobs)', () => {
  let dir: string;
  let store: Store;
  let blobs: DiskBlobStore;
  const workers: JobWorker[] = [];
  const reapers: Reaper[] = [];
  const opts = (o: Partial<StoreWorkerOptions> = {}): StoreWorkerOptions => ({
    concurrency: 2,
    leaseMs: 400,
    retryBaseMs: 10,
    pollMs: 10,
    emulateLatencyMs: 0,
    scratchRoot: join(dir, 'scratch'),
    ffmpegPath: null,
    ffprobePath: null,
    kinds: null,
    ...o,
  });
  const startWorker = (engine: Engine, s: Store = store, o: Partial<StoreWorkerOptions> = {}): JobWorker => {
    const full = opts(o);
    const w = createStoreWorker(
      { store: s, blobs, engineFor: () => engine, log: silentLogger, now: Date.now },
      full,
    );
    workers.push(w);
    w.start();
    const reaper = new Reaper(s, silentLogger, Date.now, () => w.wake());
    reapers.push(reaper);
    reaper.start(full.leaseMs);
    return w;
  };
  let clientId: string;
  const enqueue = async (maxAttempts = 3): Promise<string> => {
    const id = randomUUID();
    const r = await store.generations.admit(
      {
        id,
        clientId,
        type: 'image',
        model: 'uni-1',
        request: REQUEST,
        inputs: [],
        createdAt: Date.now(),
        maxAttempts,
        priceMicros: 0,
        emulateFailure: null,
      },
      { concurrencyLimit: null, activeSince: 0 },
    );
    assert.equal(admitOutcome(r), 'admitted');
    return id;
  };
  const settled = async (id: string, timeoutMs = 10_000): Promise<GenerationRow> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const row = await store.generations.get(id);
      if (row && (row.state === 'completed' || row.state === 'failed')) return row;
      if (Date.now() > end) throw new Error(`job ${id} still ${row?.state}`);
      await sleep(20);
    }
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-jobs-'));
    store = await openStore({ sqlitePath: join(dir, 'umbra.db') });
    blobs = new DiskBlobStore(join(dir, 'blobs'), new UrlSigner('k'), () => 'http://x');
    clientId = randomUUID();
    await store.clients.createClient({
      id: clientId,
      name: 'c',
      hdrAccess: false,
      rpmLimit: null,
      concurrencyLimit: null,
      balanceMicros: null,
      createdAt: Date.now(),
    });
  });
  after(async () => {
    reapers.forEach((r) => r.stop());
    await Promise.all(workers.map((w) => w.stop(100)));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes a job and stores its output under the attempt', async () => {
    const w = startWorker(new FakeEngine());
    const id = await enqueue();
    w.wake();
    const row = await settled(id);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 1);
    assert.equal(row.outputs.length, 1);
    assert.match(row.outputs[0]?.key ?? '', new RegExp(`^generations/${id}/a1/output\\.png$`));
    assert.ok(await blobs.stat(row.outputs[0]?.key ?? ''));
    await w.stop();
  });

  it('retries an unclassified error with backoff, then completes', async () => {
    const engine = new FakeEngine((_job, nth) =>
      nth === 1 ? Promise.reject(new Error('transient')) : Promise.resolve(),
    );
    const w = startWorker(engine);
    const id = await enqueue();
    const row = await settled(id);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 2);
    await w.stop();
  });

  it('a non-retryable EngineFailure fails at once with its code and reason', async () => {
    const w = startWorker(
      new FakeEngine(() => Promise.reject(new EngineFailure('corrupt_input', 'source: bad'))),
    );
    const id = await enqueue();
    const row = await settled(id);
    assert.equal(row.state, 'failed');
    assert.equal(row.failureCode, 'corrupt_input');
    assert.equal(row.failureReason, 'source: bad');
    assert.equal(row.attempts, 1);
    await w.stop();
  });

  it('bounded retries: a job that always errors fails after maxAttempts with generation_failed', async () => {
    const w = startWorker(new FakeEngine(() => Promise.reject(new Error('boom'))));
    const id = await enqueue(3);
    const row = await settled(id);
    assert.equal(row.state, 'failed');
    assert.equal(row.failureCode, 'generation_failed');
    assert.equal(row.failureReason, 'Generation failed');
    assert.equal(row.attempts, 3);
    await w.stop();
  });

  it('a job whose worker died (lease expired) is requeued by the reaper and completed by another worker', async () => {
    const id = await enqueue();
    const dead = await store.generations.claim('dead-worker', Date.now(), 300);
    assert.equal(dead?.id, id);
    const engine = new FakeEngine();
    const w = startWorker(engine, store, { leaseMs: 300 });
    const row = await settled(id);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 2);
    assert.deepEqual(engine.renders, [id]);
    // The dead worker's late completion is refused (conditional transition).
    assert.equal(await store.generations.complete(id, 'dead-worker', [], Date.now()), false);
    await w.stop();
  });

  it('nothing stays processing forever: an expired lease on the last attempt fails the job', async () => {
    const id = await enqueue(1);
    await store.generations.claim('dead-worker', Date.now(), 200);
    const w = startWorker(new FakeEngine(), store, { leaseMs: 200 });
    const row = await settled(id);
    assert.equal(row.state, 'failed');
    assert.equal(row.failureCode, 'generation_failed');
    await w.stop();
  });

  it('heartbeats keep a long render alive past its lease', async () => {
    const w = startWorker(new FakeEngine(() => sleep(1000).then(() => undefined)), store, { leaseMs: 300 });
    const id = await enqueue(1);
    const row = await settled(id);
    assert.equal(
      row.state,
      'completed',
      'a 1 s render with a 300 ms lease survives because the lease is renewed',
    );
    await w.stop();
  });

  it('two workers on two connections never render the same job, and every job is rendered once', async () => {
    const other = await openStore({ sqlitePath: join(dir, 'umbra.db') });
    try {
      const e1 = new FakeEngine(() => sleep(5).then(() => undefined));
      const e2 = new FakeEngine(() => sleep(5).then(() => undefined));
      const w1 = startWorker(e1, store, { concurrency: 3 });
      const w2 = startWorker(e2, other, { concurrency: 3 });
      const ids = await Promise.all(Array.from({ length: 40 }, () => enqueue()));
      const rows = await Promise.all(ids.map((id) => settled(id, 30_000)));
      assert.ok(rows.every((r) => r.state === 'completed' && r.attempts === 1));
      const all = [...e1.renders, ...e2.renders].sort();
      assert.deepEqual(all, [...ids].sort(), 'each job rendered exactly once');
      assert.ok(e1.renders.length > 0 && e2.renders.length > 0, 'both workers took part');
      await Promise.all([w1.stop(), w2.stop()]);
    } finally {
      await other.close();
    }
  });

  it('the loop outlives its job source: failing claims and an undeliverable completion are retried until the store is back', async () => {
    // A store that is "down" (every generation call rejects like a refused connection) for a while.
    let down = false;
    const failing = Object.create(store.generations) as Store['generations'];
    for (const m of ['claim', 'heartbeat', 'complete', 'fail', 'requeue'] as const) {
      const real = store.generations[m].bind(store.generations) as (...a: unknown[]) => Promise<unknown>;
      (failing as unknown as Record<string, unknown>)[m] = (...a: unknown[]) =>
        down
          ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
          : real(...a);
    }
    const flaky: Store = { ...store, generations: failing };
    let renders = 0;
    let rendering: () => void = () => undefined;
    const started = new Promise<void>((r) => (rendering = r));
    const w = startWorker(
      new FakeEngine(async () => {
        if (down || renders++ > 0) return;
        rendering();
        down = true; // the database goes away mid-render: heartbeats and the completion fail
        await sleep(300);
      }),
      flaky,
      { leaseMs: 5000 }, // the lease outlasts the outage, so the late completion still lands
    );
    const id = await enqueue();
    await started;
    await sleep(800); // several failed heartbeats, completions and claims
    down = false;
    const row = await settled(id);
    assert.equal(row.state, 'completed', 'the completion was delivered once the store came back');
    assert.equal(row.attempts, 1, 'nothing rendered twice');
    // And the loop still claims afterwards.
    const next = await enqueue();
    assert.equal((await settled(next)).state, 'completed');
    await w.stop();
  });

  /** An engine whose render lasts until aborted (it honours its signal, as every engine must). */
  const endless = (): { engine: FakeEngine; started: Promise<void> } => {
    let started: () => void = () => undefined;
    const p = new Promise<void>((r) => (started = r));
    const engine = new FakeEngine(async (job, nth) => {
      if (nth > 1) return;
      started();
      await sleep(60_000, undefined, { signal: job.signal });
    });
    return { engine, started: p };
  };

  it('stop: a render past the grace is aborted and handed back at once, no attempt spent', async () => {
    const { engine, started } = endless();
    const w = startWorker(engine, store, { leaseMs: 60_000 });
    const id = await enqueue(1);
    await started;
    const t0 = Date.now();
    await w.stop(200);
    const took = Date.now() - t0;
    assert.ok(took >= 190 && took < 200 + HAND_BACK_MS, `stop took ${took} ms`);
    const back = await store.generations.get(id);
    assert.equal(back?.state, 'queued', 'back in the queue long before its 60 s lease ran out');
    assert.equal(back?.leaseOwner, null);
    assert.equal(back?.attempts, 1, 'the attempt stays counted: it fences the stopped worker');
    assert.equal(back?.maxAttempts, 2, 'and one more is allowed instead');
    assert.ok((back?.runAfter ?? Infinity) <= Date.now());
    // Another worker finishes it at once, although the job had a single attempt.
    const other = new FakeEngine();
    const w2 = startWorker(other, store, { leaseMs: 60_000 });
    const row = await settled(id, 5000);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 2);
    assert.deepEqual(other.renders, [id]);
    await w2.stop();
  });

  it('stop: a render that finishes within the grace is delivered as usual, and nothing new is claimed', async () => {
    const engine = new FakeEngine(() => sleep(300).then(() => undefined));
    const w = startWorker(engine, store, { concurrency: 1 });
    const id = await enqueue();
    while (engine.renders.length === 0) await sleep(5);
    const later = await enqueue();
    await w.stop(5000);
    const row = await store.generations.get(id);
    assert.equal(row?.state, 'completed');
    assert.equal(row?.attempts, 1);
    assert.equal((await store.generations.get(later))?.state, 'queued', 'not claimed once stopping');
    assert.deepEqual(engine.renders, [id]);
    const w2 = startWorker(new FakeEngine());
    assert.equal((await settled(later)).state, 'completed');
    await w2.stop();
  });

  it('stop is bounded: a hand-back that cannot be delivered is given up (the lease will expire)', async () => {
    const hanging = Object.create(store.generations) as Store['generations'];
    hanging.release = () => new Promise<boolean>(() => undefined);
    const { engine, started } = endless();
    const w = startWorker(engine, { ...store, generations: hanging }, { leaseMs: 60_000 });
    const id = await enqueue();
    await started;
    const t0 = Date.now();
    await w.stop(100);
    const took = Date.now() - t0;
    assert.ok(took < 100 + HAND_BACK_MS + 500, `stop took ${took} ms`);
    assert.equal((await store.generations.get(id))?.state, 'processing', 'left to its lease');
    await store.generations.cancel(clientId, id, 'test over', Date.now());
  });

  it('a dependency that is down: the job is handed back with a delay, no attempt spent, and completes later', async () => {
    let first = 0;
    let second = 0;
    const engine = new FakeEngine((_job, nth) => {
      if (nth === 1) {
        first = Date.now();
        return Promise.reject(new DependencyUnavailable('ffmpeg', new Error('spawn ffmpeg EACCES')));
      }
      second = Date.now();
      return Promise.resolve();
    });
    const w = startWorker(engine, store, { concurrency: 1 });
    const id = await enqueue(1);
    const row = await settled(id, 10_000);
    assert.equal(row.state, 'completed', 'not failed, although it had a single attempt');
    assert.equal(row.attempts, 2);
    assert.equal(row.maxAttempts, 2);
    assert.ok(
      second - first >= UNAVAILABLE_RELEASE_DELAY_MS - 50,
      `claimed again after ${second - first} ms, not before the delay`,
    );
    await w.stop();
  });

  it('retry delays double per attempt, capped, jittered down by at most 25 %', () => {
    assert.equal(retryDelayMs(1000, 1, 0), 1000);
    assert.equal(retryDelayMs(1000, 3, 0), 4000);
    assert.equal(retryDelayMs(1000, 3, 1), 3000);
    assert.equal(retryDelayMs(1000, 30, 0), 300_000);
  });
});
