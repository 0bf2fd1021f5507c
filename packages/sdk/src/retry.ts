// The retry policy of the hosted SDKs (contract §1.4), as pure functions so tests can pin them down.

/** Statuses retried when the server gives no `x-should-retry` hint: 408, 409, 429 and every 5xx. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** `x-should-retry: true|false` overrides the status-based decision (contract §1.4). */
export function shouldRetry(status: number, headers: Headers): boolean {
  const hint = headers.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  return isRetryableStatus(status);
}

/** First backoff step and cap, in ms (contract §1.4: `min(0.5 s · 2^n, 8 s)`). */
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

/**
 * How long to wait before retry number `n` (0 = the first retry).
 * `retry-after-ms` wins, then `Retry-After` (seconds, fractional allowed, or an HTTP-date), honoured at any
 * size like the TypeScript SDK; otherwise exponential backoff with jitter: the full step times a factor in
 * (0.75, 1]. `rand` is injectable (in [0, 1)) so the bounds can be tested.
 */
export function retryDelay(n: number, headers: Headers | null, rand: number = Math.random()): number {
  const hinted = hintedDelay(headers);
  if (hinted !== null) return hinted;
  return Math.min(INITIAL_DELAY_MS * 2 ** n, MAX_DELAY_MS) * (1 - 0.25 * rand);
}

function hintedDelay(headers: Headers | null): number | null {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers?.get('retry-after');
  if (ra != null && ra.trim() !== '') {
    const secs = Number(ra);
    if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : null;
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return null;
}
