// The counting decorator over a real SQLite store: each durable transition is counted once, with its
// kind; a transition the store refused (a lost lease, an ended job) is not counted at all.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../store/open-store.js';
import { admitOutcome, type Store } from '../store/store.js';
import { NO_CAP, T0, newClient, newGen } from '../store/testing/store.fixtures.js';
import { countedGenerations } from './counted-generations.js';
import type { JobKind, JobMetrics } from './metrics.js';

/** Records every report as one line, e.g. `failed uni-1/image generation_failed`. */
function recorder(): JobMetrics & { seen: string[] } {
  const seen: string[] = [];
  const k = (kind: JobKind): string => `${kind.model}/${kind.type}`;
  return {
    seen,
    admitted: (kind) => seen.push(`admitted ${k(kind)}`),
    completed: (kind, s) => seen.push(`completed ${k(kind)} ${s === null ? 'untimed' : `${s}s`}`),
    failed: (kind, code) => seen.push(`failed ${k(kind)} ${code}`),
    retried: (kind) => seen.push(`retried ${k(kind)}`),
    canceled: (kind) => seen.push(`canceled ${k(kind)}`),
  };
}

describe('countedGenerations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'umbra-counted-'));
  let raw: Store;
  before(async () => {
    raw = await openStore({ sqlitePath: join(dir, 'umbra.db') });
  });
  after(async () => {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts admissions, and completions with the time since this process claimed them', async () => {
    const m = recorder();
    const g = countedGenerations(raw.generations, m);
    const c = await newClient(raw);
    const a = newGen(c.id, { model: 'ray-3.2', type: 'video' });
    assert.equal(admitOutcome(await g.admit(a, NO_CAP)), 'admitted');
    assert.equal((await g.claim('w1', T0 + 1000, 60_000))?.id, a.id);
    assert.equal(await g.complete(a.id, 'w2', [], T0 + 2000), false, 'not the lease holder');
    assert.equal(await g.complete(a.id, 'w1', [], T0 + 3500), true);
    assert.equal(await g.complete(a.id, 'w1', [], T0 + 3600), false, 'already completed');
    assert.deepEqual(m.seen, ['admitted ray-3.2/video', 'completed ray-3.2/video 2.5s']);
  });

  it('counts a completion claimed by another process, untimed, by reading its kind', async () => {
    const m = recorder();
    const c = await newClient(raw);
    const a = newGen(c.id, { model: 'uni-1-max' });
    await raw.generations.admit(a, NO_CAP);
    await raw.generations.claim('w1', T0, 60_000);
    assert.equal(await countedGenerations(raw.generations, m).complete(a.id, 'w1', [], T0 + 1), true);
    assert.deepEqual(m.seen, ['completed uni-1-max/image untimed']);
  });

  it('counts failures by code, retries, cancels and what the reaper moved', async () => {
    const m = recorder();
    const g = countedGenerations(raw.generations, m);
    const c = await newClient(raw);
    const [failing, retried, reaped, stale, canceled] = Array.from({ length: 5 }, (_, i) =>
      newGen(c.id, { createdAt: T0 + i, maxAttempts: 1 }),
    );
    for (const x of [failing!, retried!, reaped!, stale!, canceled!]) await g.admit(x, NO_CAP);
    m.seen.length = 0;
    await g.claim('w1', T0 + 10, 60_000);
    assert.equal(await g.fail(failing!.id, 'w1', 'content_moderated', 'x', T0 + 11), true);
    await g.claim('w1', T0 + 12, 60_000);
    assert.equal(await g.requeue(retried!.id, 'w1', T0 + 1_000_000, T0 + 13), true);
    await g.claim('w1', T0 + 14, 100);
    assert.deepEqual(await g.reapExpired(T0 + 200), {
      requeued: [],
      failed: [{ id: reaped!.id, model: 'uni-1', type: 'image' }],
    });
    assert.equal(
      (await g.cancel(c.id, canceled!.id, 'Canceled by the client', T0 + 300))?.outcome,
      'canceled',
    );
    assert.equal((await g.cancel(c.id, canceled!.id, 'again', T0 + 301))?.outcome, 'terminal');
    assert.equal((await g.expireStale(T0 + 100, T0 + 400)).length, 2, 'the retried one and the stale one');
    assert.deepEqual(m.seen, [
      'failed uni-1/image content_moderated',
      'retried uni-1/image',
      'failed uni-1/image generation_failed',
      'canceled uni-1/image',
      'failed uni-1/image generation_failed',
      'failed uni-1/image generation_failed',
    ]);
  });

  it('counts nothing for a job handed back, and times its completion from the next claim', async () => {
    const m = recorder();
    const g = countedGenerations(raw.generations, m);
    const c = await newClient(raw);
    const a = newGen(c.id, { createdAt: T0 + 40 });
    await raw.generations.admit(a, NO_CAP);
    assert.equal((await g.claim('w1', T0 + 1000, 60_000))?.id, a.id);
    assert.equal(await g.release(a.id, 'w2', T0 + 1100, T0 + 1100), false, 'not the lease holder');
    assert.equal(await g.release(a.id, 'w1', T0 + 1100, T0 + 1100), true);
    assert.deepEqual(m.seen, []);
    assert.equal((await g.claim('w2', T0 + 2000, 60_000))?.id, a.id);
    assert.equal(await g.complete(a.id, 'w2', [], T0 + 3000), true);
    assert.deepEqual(m.seen, ['completed uni-1/image 1s']);
  });

  it('passes every other call through to the store', async () => {
    const g = countedGenerations(raw.generations, recorder());
    const c = await newClient(raw);
    const a = newGen(c.id, { createdAt: T0 + 50 });
    await g.admit(a, NO_CAP);
    assert.equal((await g.get(a.id))?.id, a.id);
    assert.ok(Array.isArray(await g.queueStats()));
  });
});
