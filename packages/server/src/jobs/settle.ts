// The retry policy, applied wherever a job's failure is settled: by the store job source (in-process
// workers) and by the worker routes (remote workers). One place decides retry versus final failure.
import type { GenerationRepo } from '../store/store.js';
import type { JobFailure, Settled } from './job-source.js';

/** Retry delay after the n-th failed attempt: base · 2^(n−1), capped at 5 min, jittered down by ≤ 25 %. */
export const retryDelayMs = (baseMs: number, attempt: number, rand: number = Math.random()): number =>
  Math.round(Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000) * (1 - 0.25 * rand));

/** The lease a settlement is fenced by. */
export interface HeldLease {
  id: string;
  owner: string;
  attempt: number;
  maxAttempts: number;
}

/**
 * Requeues a retryable failure with backoff while attempts remain, else fails the job for good (which
 * refunds a metered reservation). Conditional on the lease: `lost` when another attempt owns the row.
 */
export async function settleFailure(
  generations: GenerationRepo,
  lease: HeldLease,
  failure: JobFailure,
  now: number,
  retryBaseMs: number,
): Promise<Settled> {
  if (failure.retryable && lease.attempt < lease.maxAttempts) {
    const runAfter = now + retryDelayMs(retryBaseMs, lease.attempt);
    return (await generations.requeue(lease.id, lease.owner, runAfter, now)) ? 'retrying' : 'lost';
  }
  const ok = await generations.fail(lease.id, lease.owner, failure.code, failure.reason, now, {
    upstreamId: failure.upstreamId ?? null,
  });
  return ok ? 'failed' : 'lost';
}
