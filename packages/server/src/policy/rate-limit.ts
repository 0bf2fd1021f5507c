// Per-client POST limits (contract §4.3): a sliding 60 s RPM window and a cap on non-terminal jobs.
import { ApiError } from '../contract/api-error.js';
import type { ClientRecord, Store } from '../store/store.js';

export const RPM_WINDOW_MS = 60_000;
/** Active-job entries older than this no longer hold a slot (contract §4.3, §4.4). */
export const ACTIVE_JOB_TTL_MS = 3_600_000;

/**
 * Records this request in the client's RPM window; returns the headers for the 201, or throws the
 * RPM 429 (`Retry-After` = oldest + 60 − now rounded up, at least 1; reset = when the oldest ages out).
 * Unlimited clients get no rate-limit headers (as when the hosted limiter fails open, §4.4).
 */
export async function takeRpmSlot(
  store: Store,
  client: ClientRecord,
  now: number,
): Promise<Record<string, string>> {
  const limit = client.rpmLimit;
  if (limit === null) return {};
  const hit = await store.rate.hit(client.id, now, RPM_WINDOW_MS, limit);
  if (!hit.allowed) {
    const agesOut = (hit.oldest ?? now) + RPM_WINDOW_MS;
    throw new ApiError(429, 'Rate limit exceeded', {
      'retry-after': String(Math.max(1, Math.ceil((agesOut - now) / 1000))),
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(agesOut / 1000)),
    });
  }
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, limit - hit.count)),
    'x-ratelimit-reset': String(Math.floor(now / 1000) + 60),
  };
}

export const tooManyConcurrent = (): ApiError =>
  new ApiError(429, 'Too many concurrent jobs', { 'retry-after': '60' });

/** Pre-check before media ingest; the store re-checks atomically at insert. */
export async function checkConcurrency(store: Store, client: ClientRecord, now: number): Promise<void> {
  if (client.concurrencyLimit === null) return;
  const active = await store.generations.countActive(client.id, now - ACTIVE_JOB_TTL_MS);
  if (active >= client.concurrencyLimit) throw tooManyConcurrent();
}

export const insufficientBalance = (): ApiError =>
  new ApiError(402, 'Insufficient balance. Please add funds to continue.');

export function checkBalance(client: ClientRecord, priceMicros: number): void {
  if (client.balanceMicros !== null && client.balanceMicros < priceMicros) throw insufficientBalance();
}
