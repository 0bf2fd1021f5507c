// Which errors of a blob store mean "the store cannot be used now" — a full, read-only or failing disk; a
// bucket that is unreachable or answers 5xx — rather than "no such blob" or a bad key (issue 12, "Faults").
// Both adapters are wrapped by `withBlobFaults`, so every caller reads the same `blobs unavailable`.
import { isNetworkError, unavailableIf } from '../unavailable.js';

/** Errors of the local file system that say the disk, not the request, is at fault. */
const DISK_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EACCES',
  'EPERM',
  'EIO',
  'EMFILE',
  'ENFILE',
  'ESTALE',
]);
/** The AWS SDK's names for a request that timed out or could not be sent. */
const SDK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'NetworkingError']);

export function isBlobOutage(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if (isNetworkError(err)) return true;
  const e = err as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (typeof e.code === 'string' && DISK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && SDK_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

const translate = (err: unknown): unknown => unavailableIf('blobs', err, isBlobOutage);

/**
 * The same store, whose methods throw (or reject with) `blobs unavailable` for an outage. Streams a method
 * returns report their own errors later, to the reader.
 */
export function withBlobFaults<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          throw translate(err);
        }
        return result instanceof Promise
          ? result.catch((err: unknown) => {
              throw translate(err);
            })
          : result;
      };
    },
  });
}
