// What the operator's admin routes answer: the queue of each model and the remote workers seen lately,
// read from the store and put in wire terms.
import type { AdminQueue, AdminWorkerList } from '../contract/operations.wire.js';
import type { Store } from '../store/store.js';

/** How far back a remote worker counts as seen (its heartbeats come every few seconds while it runs). */
export const WORKERS_SEEN_WINDOW_SECONDS = 300;

const iso = (ms: number): string => new Date(ms).toISOString();

export async function queueOverview(store: Store): Promise<AdminQueue> {
  const stats = await store.generations.queueStats();
  return {
    data: stats
      .map((s) => ({
        model: s.model,
        queued: s.queued,
        processing: s.processing,
        oldest_queued_at: s.oldestRunAfter === null ? null : iso(s.oldestRunAfter),
      }))
      .sort((a, b) => a.model.localeCompare(b.model)),
  };
}

export async function workersSeen(store: Store, now: number): Promise<AdminWorkerList> {
  const seen = await store.workers.listSeen(now - WORKERS_SEEN_WINDOW_SECONDS * 1000);
  return {
    window_seconds: WORKERS_SEEN_WINDOW_SECONDS,
    data: seen.map((w) => ({
      token_name: w.tokenName,
      instance: w.instance,
      kinds: w.kinds,
      last_seen_at: iso(w.lastSeenAt),
      running: w.running,
    })),
  };
}
