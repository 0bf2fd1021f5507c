// The loops the client repeats: waiting with a deadline, polling until something settles
// (`generations.wait`, `files.wait`) and following a list page after page (`listAll`).
import { APITimeoutError, APIUserAbortError } from './errors.js';
import { sleep } from './transport.js';

/** A deadline and the caller's signal as one signal (see {@link withDeadline}). */
export interface DeadlineOptions {
  /** Give up after this many ms with `APITimeoutError`; undefined = no limit. */
  timeout?: number | undefined;
  /** Stops the work (and any request in flight) with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** The timeout error's message, from the last thing seen. */
  timedOut: () => string;
}

export interface PollOptions extends DeadlineOptions {
  /** Milliseconds between polls. */
  pollInterval: number;
}

/**
 * Runs `work` with one signal that fires when the caller aborts or the timeout runs out; an
 * `APIUserAbortError` caused by the timeout becomes `APITimeoutError`.
 */
export async function withDeadline<R>(
  o: DeadlineOptions,
  work: (signal: AbortSignal) => Promise<R>,
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
    return await work(ctl.signal);
  } catch (err) {
    // `expired` tells the timeout apart from the caller's own abort.
    if (expired && err instanceof APIUserAbortError) throw new APITimeoutError(o.timedOut());
    throw err;
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Calls `get` until `settle` returns a result (or throws), sleeping `pollInterval` between calls. One signal
 * stops both the call in flight and the sleep, whether the caller aborted or the timeout ran out.
 */
export function pollUntil<T, R>(
  get: (signal: AbortSignal) => Promise<T>,
  settle: (value: T) => R | undefined,
  o: PollOptions,
): Promise<R> {
  return withDeadline(o, async (signal) => {
    for (;;) {
      const result = settle(await get(signal));
      if (result !== undefined) return result;
      await sleep(o.pollInterval, signal);
    }
  });
}

/** One page of a keyset-paginated list (the envelope of the Files and generations lists). */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor?: string | null;
}

/** Every item of a list, page after page, following `next_cursor` from `cursor` on. */
export async function* allPages<T>(
  list: (cursor: string | null | undefined) => Promise<Page<T>>,
  cursor: string | null | undefined,
): AsyncGenerator<T, void> {
  for (;;) {
    const page = await list(cursor);
    yield* page.data;
    // A page that says more follow but gives no cursor would loop forever: stop there.
    if (!page.has_more || page.next_cursor == null || page.next_cursor === '') return;
    cursor = page.next_cursor;
  }
}
