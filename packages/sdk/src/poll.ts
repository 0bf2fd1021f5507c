// The one poll loop behind `generations.wait` and `files.wait`.
import { APITimeoutError, APIUserAbortError } from './errors.js';
import { sleep } from './transport.js';

export interface PollOptions {
  /** Milliseconds between polls. */
  pollInterval: number;
  /** Give up after this many ms with `APITimeoutError`; undefined = no limit. */
  timeout?: number | undefined;
  /** Stops polling (and any request in flight) with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** The timeout error's message, from the last thing seen (undefined before the first poll). */
  timedOut: () => string;
}

/**
 * Calls `get` until `settle` returns a result (or throws), sleeping `pollInterval` between calls. One signal
 * stops both the call in flight and the sleep, whether the caller aborted or the timeout ran out.
 */
export async function pollUntil<T, R>(
  get: (signal: AbortSignal) => Promise<T>,
  settle: (value: T) => R | undefined,
  o: PollOptions,
): Promise<R> {
  const ctl = new AbortController();
  let expired = false;
  const onAbort = (): void => ctl.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) ctl.abort();
  const timer =
    o.timeout === undefined
      ? undefined
      : setTimeout(() => {
          expired = true;
          ctl.abort();
        }, o.timeout);
  try {
    for (;;) {
      const result = settle(await get(ctl.signal));
      if (result !== undefined) return result;
      await sleep(o.pollInterval, ctl.signal);
    }
  } catch (err) {
    // `expired` tells the timeout apart from the caller's own abort.
    if (expired && err instanceof APIUserAbortError) throw new APITimeoutError(o.timedOut());
    throw err;
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}
