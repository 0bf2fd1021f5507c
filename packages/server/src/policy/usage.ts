// `GET /v1/usage` as a use case (issue 12, "Usage"): a client's generations in a window, counted and
// summed by the store in one aggregate, then shaped for the wire. Shared by the caller's own route and
// the admin route that asks for any client.
import type { UsageFigures, UsageGroup, UsageQuery, UsageReport } from '../contract/usage.wire.js';
import { parseUsageQuery } from '../contract/validate-usage.js';
import type { Store, UsageBucket } from '../store/store.js';

const DAY_MS = 86_400_000;

/** ISO-8601 UTC, to the second unless the window was given finer. */
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** A bucket's figures on the wire. */
const figures = (b: Omit<UsageBucket, 'key'>): UsageFigures => ({
  generations: {
    total: b.queued + b.processing + b.completed + b.failed,
    queued: b.queued,
    processing: b.processing,
    completed: b.completed,
    failed: b.failed,
  },
  images: b.images,
  video_seconds: b.videoMs / 1000,
  charged_micros: b.chargedMicros,
  reserved_micros: b.reservedMicros,
});

const NOTHING: Omit<UsageBucket, 'key'> = {
  queued: 0,
  processing: 0,
  completed: 0,
  failed: 0,
  images: 0,
  videoMs: 0,
  chargedMicros: 0,
  reservedMicros: 0,
};

/** Sums buckets; every figure is an integer, so the total is exact whatever the order. */
const sum = (buckets: readonly UsageBucket[]): Omit<UsageBucket, 'key'> =>
  buckets.reduce(
    (t, b) => ({
      queued: t.queued + b.queued,
      processing: t.processing + b.processing,
      completed: t.completed + b.completed,
      failed: t.failed + b.failed,
      images: t.images + b.images,
      videoMs: t.videoMs + b.videoMs,
      chargedMicros: t.chargedMicros + b.chargedMicros,
      reservedMicros: t.reservedMicros + b.reservedMicros,
    }),
    NOTHING,
  );

/** A group's key on the wire: a day number becomes `YYYY-MM-DD` (UTC). */
const wireKey = (key: UsageBucket['key']): string | null =>
  typeof key === 'number' ? new Date(key * DAY_MS).toISOString().slice(0, 10) : key;

/** Keys in order, null (no `user_id`) last; days sort as their `YYYY-MM-DD`. */
const byKey = (a: UsageGroup, b: UsageGroup): number =>
  a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1;

/** The report of `q` from the store's buckets (pure). */
export function buildUsageReport(q: UsageQuery, buckets: readonly UsageBucket[]): UsageReport {
  return {
    start: iso(q.start),
    end: iso(q.end),
    group_by: q.groupBy,
    user_id: q.userId,
    data: q.groupBy === null ? [] : buckets.map((b) => ({ key: wireKey(b.key), ...figures(b) })).sort(byKey),
    total: figures(sum(buckets)),
  };
}

/**
 * The usage of `clientId` for the (unvalidated) query string `query`.
 * @throws ApiError 422 (a bad query value).
 */
export async function usageOf(
  store: Store,
  clientId: string,
  query: unknown,
  now: number,
): Promise<UsageReport> {
  const q = parseUsageQuery(query, now);
  return buildUsageReport(q, await store.generations.usage({ clientId, ...q }));
}
