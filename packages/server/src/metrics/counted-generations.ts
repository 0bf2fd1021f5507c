// Counts generations where their transitions become durable: around the store's GenerationRepo, after the
// call that made the transition returned true. One place for every transition, whoever makes it — the
// in-process job source, the worker routes (remote workers), cancel, the reaper, the emulator's failures —
// so nothing is counted twice and nothing that did not happen is counted. Each process counts its own
// writes; summed over processes, the counters are the whole deployment's.
import type { FailureCode } from '../contract/wire.js';
import { admitOutcome, type GenerationRepo, type GenerationRow } from '../store/store.js';
import type { JobKind, JobMetrics } from './metrics.js';

/** The failure the store gives a job whose leases ran out or that outlived the active-job TTL. */
const LOST_JOB_CODE: FailureCode = 'generation_failed';
/**
 * A claim this process no longer hears of (its lease lapsed and another process finished the job) is
 * forgotten after this long; no job runs longer (the active-job TTL is one hour).
 */
const FORGET_CLAIM_MS = 2 * 3_600_000;

type Counted = Pick<
  GenerationRepo,
  'admit' | 'claim' | 'complete' | 'fail' | 'requeue' | 'release' | 'reapExpired' | 'expireStale' | 'cancel'
>;

/** The repo, counting into `metrics`; every other call passes through untouched. */
export function countedGenerations(repo: GenerationRepo, metrics: JobMetrics): GenerationRepo {
  // Claims made through this repo: the kind, without a read, and the moment, for the render time.
  const claims = new Map<string, { kind: JobKind; at: number }>();
  const kindOf = (r: Pick<GenerationRow, 'model' | 'type'>): JobKind => ({ model: r.model, type: r.type });
  /** The kind of a row this process may not have claimed (a remote worker reporting to another api). */
  const lookUp = async (id: string): Promise<JobKind | null> => {
    const held = claims.get(id);
    if (held !== undefined) return held.kind;
    const row = await repo.get(id).catch(() => null);
    return row === null ? null : kindOf(row);
  };

  const counted: Counted = {
    async admit(g, limits, idem) {
      const r = await repo.admit(g, limits, idem);
      if (admitOutcome(r) === 'admitted') metrics.admitted(kindOf(g));
      return r;
    },
    async claim(workerId, now, leaseMs, kinds) {
      const row = await repo.claim(workerId, now, leaseMs, kinds);
      if (row !== null) {
        for (const [id, c] of claims) if (c.at < now - FORGET_CLAIM_MS) claims.delete(id);
        claims.set(row.id, { kind: kindOf(row), at: now });
      }
      return row;
    },
    async complete(id, workerId, outputs, now, facts) {
      const ok = await repo.complete(id, workerId, outputs, now, facts);
      if (ok) {
        const at = claims.get(id)?.at;
        const kind = await lookUp(id);
        if (kind !== null) metrics.completed(kind, at === undefined ? null : Math.max(0, now - at) / 1000);
        claims.delete(id);
      }
      return ok;
    },
    async fail(id, workerId, code, reason, now, facts) {
      const ok = await repo.fail(id, workerId, code, reason, now, facts);
      if (ok) {
        const kind = await lookUp(id);
        if (kind !== null) metrics.failed(kind, code);
        claims.delete(id);
      }
      return ok;
    },
    async requeue(id, workerId, runAfter, now) {
      const ok = await repo.requeue(id, workerId, runAfter, now);
      if (ok) {
        const kind = await lookUp(id);
        if (kind !== null) metrics.retried(kind);
        claims.delete(id);
      }
      return ok;
    },
    // A job handed back is neither a retry nor a failure: nothing is counted; its next claim counts anew.
    async release(id, workerId, runAfter, now) {
      const ok = await repo.release(id, workerId, runAfter, now);
      if (ok) claims.delete(id);
      return ok;
    },
    async reapExpired(now) {
      const r = await repo.reapExpired(now);
      for (const j of r.requeued) metrics.retried(kindOf(j));
      for (const j of r.failed) metrics.failed(kindOf(j), LOST_JOB_CODE);
      for (const j of [...r.requeued, ...r.failed]) claims.delete(j.id);
      return r;
    },
    async expireStale(before, now) {
      const r = await repo.expireStale(before, now);
      for (const j of r) {
        metrics.failed(kindOf(j), LOST_JOB_CODE);
        claims.delete(j.id);
      }
      return r;
    },
    async cancel(clientId, id, reason, now) {
      const r = await repo.cancel(clientId, id, reason, now);
      if (r?.outcome === 'canceled') {
        metrics.canceled(kindOf(r.row));
        claims.delete(id);
      }
      return r;
    },
  };
  return new Proxy(repo, {
    get(target, prop) {
      if (Object.hasOwn(counted, prop)) return counted[prop as keyof Counted];
      return Reflect.get(target, prop, target) as unknown;
    },
  });
}
