// When a failed delivery is tried again (issue 11: "retried with exponential backoff for 24 hours, then
// dead-lettered"). Pure. docs/decisions.md ("Webhooks") explains the numbers.
import type { WebhookOutcome } from '../store/store.js';

/** Wait after the n-th failed attempt (the last one repeats), before scaling. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000, // 5 s
  5 * 60_000, // 5 min
  30 * 60_000, // 30 min
  2 * 3_600_000, // 2 h
  5 * 3_600_000, // 5 h
  10 * 3_600_000, // 10 h
];

/** Attempts go on this long after the event; one last attempt falls at its end, then the delivery is dead. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * Where a delivery goes after its `attempt`-th attempt (1-based) failed at `now`: pending again after
 * the attempt's delay, but never later than the window's end after the event (`eventAt`); dead once an
 * attempt at or past that end has failed. `scale` (0 < scale ≤ 1, UMBRA_WEBHOOK_RETRY_SCALE) shrinks
 * every delay and the window alike, so tests can run the whole schedule in moments.
 */
export function afterFailedAttempt(
  eventAt: number,
  attempt: number,
  now: number,
  scale: number,
): WebhookOutcome {
  const end = eventAt + Math.round(WEBHOOK_RETRY_WINDOW_MS * scale);
  if (now >= end) return { state: 'dead' };
  const i = Math.min(Math.max(attempt, 1), WEBHOOK_RETRY_DELAYS_MS.length) - 1;
  const delay = Math.max(1, Math.round((WEBHOOK_RETRY_DELAYS_MS[i] ?? 0) * scale));
  return { state: 'pending', nextAttemptAt: Math.min(now + delay, end) };
}
