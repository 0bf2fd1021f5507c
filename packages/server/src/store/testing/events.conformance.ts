// The outbox part of the one Store conformance suite (store.conformance.ts registers it): every transition
// of a generation appends its event in the same transaction, the log reads back per generation in order,
// watchers hear of appends from their own and from another Store, and cancel ends a job with a refund.
// node:test's describe/it return promises the runner awaits itself (as eslint.config.js allows in *.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { GenerationEventKind, Store } from '../store.js';
import { NO_CAP, T0, admitted, balance, claimed, newClient, newGen, row } from './store.fixtures.js';

const CANCELED = 'Canceled by the client';

/** The kinds (and progress) of a generation's events, oldest first. */
async function kinds(store: Store, id: string): Promise<Array<[GenerationEventKind, number]>> {
  return (await store.events.ofGeneration(id, 0, 1000)).map((e) => [e.kind, e.progress]);
}

/**
 * Watches `store` and resolves once a watcher call reports a seq at or past the target. A first call may
 * report an older seq (the state when watching began), which is why this waits for the target rather than
 * for the first call; rejects after `ms`.
 */
function watchUntil(store: Store, ms: number): { reached: (seq: number) => Promise<void>; stop: () => void } {
  let newest = -1;
  let wake = (): void => undefined;
  const unwatch = store.events.watch((seq) => {
    newest = Math.max(newest, seq);
    wake();
  });
  return {
    reached: (target) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`seq ${target} not seen within ${ms} ms`)), ms);
        wake = () => {
          if (newest < target) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      }),
    stop: unwatch,
  };
}

export function describeEventConformance(store: () => Store, openMore: () => Promise<Store>): void {
  describe('events outbox and cancel (issue 11)', () => {
    it('appends one event per state change and per progress step, in order, with its time', async () => {
      const s = store();
      const c = await newClient(s);
      const g = await admitted(s, newGen(c.id));
      await claimed(s, g.id, 'w1', T0 + 10);
      assert.equal(await s.generations.heartbeat(g.id, 'w1', T0 + 20, 60_000, 0.25), true);
      assert.equal(await s.generations.heartbeat(g.id, 'w1', T0 + 30, 60_000, 0.25), true, 'same progress');
      assert.equal(await s.generations.heartbeat(g.id, 'w1', T0 + 40, 60_000, 0.5), true);
      assert.equal(await s.generations.complete(g.id, 'w1', [], T0 + 50), true);
      assert.deepEqual(await kinds(s, g.id), [
        ['queued', 0],
        ['processing', 0],
        ['progress', 0.25],
        ['progress', 0.5],
        ['completed', 1],
      ]);
      const events = await s.events.ofGeneration(g.id, 0, 1000);
      assert.deepEqual(
        events.map((e) => e.at),
        [T0, T0 + 10, T0 + 20, T0 + 40, T0 + 50],
      );
      assert.ok(events.every((e) => e.generationId === g.id && e.clientId === c.id));
      assert.ok(
        events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq),
        'seq increases',
      );
      // Reading after a seq resumes there; the limit cuts the page.
      const after = await s.events.ofGeneration(g.id, events[1]!.seq, 2);
      assert.deepEqual(
        after.map((e) => e.seq),
        [events[2]!.seq, events[3]!.seq],
      );
      assert.ok((await s.events.latestSeq()) >= events[4]!.seq);
      assert.deepEqual(await s.events.ofGeneration(randomUUID(), 0, 10), []);
    });

    it('announces retries, failures, reaped and expired rows', async () => {
      const s = store();
      const c = await newClient(s);
      const a = await admitted(s, newGen(c.id, { maxAttempts: 1 }));
      await claimed(s, a.id, 'w1', T0, 1000);
      assert.equal(await s.generations.requeue(a.id, 'w1', T0 + 5, T0 + 5), true);
      await claimed(s, a.id, 'w1', T0 + 5, 1000);
      assert.equal(await s.generations.fail(a.id, 'w1', 'unsupported_format', 'x', T0 + 6), true);
      assert.deepEqual(
        (await kinds(s, a.id)).map(([k]) => k),
        ['queued', 'processing', 'queued', 'processing', 'failed'],
      );
      const b = await admitted(s, newGen(c.id, { maxAttempts: 1, createdAt: T0 + 1 }));
      await claimed(s, b.id, 'w1', T0 + 7, 1000);
      assert.deepEqual(await s.generations.reapExpired(T0 + 2000), {
        requeued: [],
        failed: [{ id: b.id, model: b.model, type: b.type }],
      });
      const q = await admitted(s, newGen(c.id, { createdAt: T0 + 2 }));
      assert.deepEqual(
        (await s.generations.expireStale(T0 + 3, T0 + 3000)).map((j) => j.id),
        [q.id],
      );
      assert.deepEqual(
        (await kinds(s, b.id)).map(([k]) => k),
        ['queued', 'processing', 'failed'],
      );
      assert.deepEqual(
        (await kinds(s, q.id)).map(([k]) => k),
        ['queued', 'failed'],
      );
    });

    it('announces a released job as queued again, progress reset', async () => {
      const s = store();
      const c = await newClient(s);
      const g = await admitted(s, newGen(c.id));
      await claimed(s, g.id, 'w1', T0, 1000);
      assert.equal(await s.generations.heartbeat(g.id, 'w1', T0 + 1, 1000, 0.5), true);
      assert.equal(await s.generations.release(g.id, 'w1', T0 + 2, T0 + 2), true);
      assert.equal(await s.generations.release(g.id, 'w1', T0 + 3, T0 + 3), false);
      const events = await s.events.ofGeneration(g.id, 0, 10);
      assert.deepEqual(
        events.map((e) => [e.kind, e.progress, e.at]),
        [
          ['queued', 0, T0],
          ['processing', 0, T0],
          ['progress', 0.5, T0 + 1],
          ['queued', 0, T0 + 2],
        ],
      );
    });

    it('writes nothing for an admission that was refused (one transaction)', async () => {
      const s = store();
      const c = await newClient(s, { balanceMicros: 10 });
      const latest = await s.events.latestSeq();
      const poor = newGen(c.id, { priceMicros: 100 });
      assert.equal(await s.generations.admit(poor, NO_CAP), 'insufficient_balance');
      assert.deepEqual(await kinds(s, poor.id), []);
      assert.equal(await s.events.latestSeq(), latest);
    });

    it('sweeps events older than a time', async () => {
      const s = store();
      const c = await newClient(s);
      const old = await admitted(s, newGen(c.id, { createdAt: 1000 }));
      const kept = await admitted(s, newGen(c.id, { createdAt: T0 }));
      assert.ok((await s.events.sweep(2000)) >= 1);
      assert.deepEqual(await kinds(s, old.id), []);
      assert.deepEqual(await kinds(s, kept.id), [['queued', 0]]);
    });

    it('wakes a watcher after its own Store writes, and one on another Store (another process)', async () => {
      const s = store();
      const other = await openMore();
      const c = await newClient(s);
      const local = watchUntil(s, 2000);
      const remote = watchUntil(other, 5000);
      try {
        const g = await admitted(s, newGen(c.id));
        const [mine] = await s.events.ofGeneration(g.id, 0, 1);
        assert.ok(mine);
        await local.reached(mine.seq);
        await remote.reached(mine.seq);
      } finally {
        local.stop();
        remote.stop();
      }
    });

    it('cancels a queued job at once and refunds it', async () => {
      const s = store();
      const c = await newClient(s, { balanceMicros: 1000 });
      const g = await admitted(s, newGen(c.id, { priceMicros: 300 }));
      assert.equal(await balance(s, c.id), 700);
      const r = await s.generations.cancel(c.id, g.id, CANCELED, T0 + 5);
      assert.equal(r?.outcome, 'canceled');
      assert.equal(r.row.state, 'failed');
      assert.equal(r.row.failureCode, 'generation_failed');
      assert.equal(r.row.failureReason, CANCELED);
      assert.equal(r.row.completedAt, T0 + 5);
      assert.equal(await balance(s, c.id), 1000);
      assert.deepEqual(
        (await kinds(s, g.id)).map(([k]) => k),
        ['queued', 'failed'],
      );
      assert.equal(await s.generations.claim('w1', T0 + 6, 1000), null, 'nothing left to claim');
    });

    it('cancels a processing job: the lease holder is fenced out and the refund is paid once', async () => {
      const s = store();
      const c = await newClient(s, { balanceMicros: 1000 });
      const g = await admitted(s, newGen(c.id, { priceMicros: 300 }));
      await claimed(s, g.id, 'w1');
      const r = await s.generations.cancel(c.id, g.id, CANCELED, T0 + 5);
      assert.equal(r?.outcome, 'canceled');
      assert.equal(r.row.leaseOwner, null);
      assert.equal(await s.generations.heartbeat(g.id, 'w1', T0 + 6, 1000, 0.5), false);
      assert.equal(await s.generations.complete(g.id, 'w1', [], T0 + 7), false);
      assert.equal(await s.generations.fail(g.id, 'w1', 'generation_failed', 'x', T0 + 7), false);
      assert.equal(await balance(s, c.id), 1000);
      // A terminal job is left as it is; a second cancel changes nothing and refunds nothing.
      const again = await s.generations.cancel(c.id, g.id, CANCELED, T0 + 8);
      assert.equal(again?.outcome, 'terminal');
      assert.deepEqual(again.row, r.row);
      assert.equal(await balance(s, c.id), 1000);
    });

    it("answers null for another client's generation and for an unknown id", async () => {
      const s = store();
      const a = await newClient(s);
      const b = await newClient(s);
      const g = await admitted(s, newGen(a.id));
      assert.equal(await s.generations.cancel(b.id, g.id, CANCELED, T0 + 1), null);
      assert.equal(await s.generations.cancel(a.id, randomUUID(), CANCELED, T0 + 1), null);
      assert.equal((await row(s, g.id)).state, 'queued');
    });

    it("tells a queued job's place in its model's queue, in claim order", async () => {
      const s = store();
      const c = await newClient(s);
      const first = await admitted(s, newGen(c.id, { createdAt: T0 }));
      const video = await admitted(s, newGen(c.id, { createdAt: T0 + 1, model: 'ray-3.2', type: 'video' }));
      const second = await admitted(s, newGen(c.id, { createdAt: T0 + 2 }));
      const third = await admitted(s, newGen(c.id, { createdAt: T0 + 3 }));
      assert.equal(await s.generations.queuePosition(first.id), 1);
      assert.equal(await s.generations.queuePosition(video.id), 1, 'another model is another queue');
      assert.equal(await s.generations.queuePosition(second.id), 2);
      assert.equal(await s.generations.queuePosition(third.id), 3);
      await claimed(s, first.id, 'w1', T0 + 10);
      assert.equal(await s.generations.queuePosition(first.id), null, 'processing');
      assert.equal(await s.generations.queuePosition(second.id), 1);
      assert.equal(await s.generations.queuePosition(randomUUID()), null);
    });
  });
}
