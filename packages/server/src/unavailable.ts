// A dependency that is down, as opposed to a request or a job that is wrong (issue 12, "Faults in what Umbra
// depends on never kill it"). The adapter that talks to the part decides — the store from its driver's
// errors, the blob stores from the disk's or the bucket's, the ffmpeg runner from a binary that will not run
// — and every caller reads the same answer: HTTP routes answer 503 `{"detail":"<part> unavailable"}`, and a
// worker hands the job back without spending an attempt and backs off until the part returns.

/** The parts Umbra depends on, named as `/readyz` names them. */
export type Dependency = 'database' | 'blobs' | 'ffmpeg';

export class DependencyUnavailable extends Error {
  constructor(
    readonly part: Dependency,
    cause: unknown,
  ) {
    super(`${part} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyUnavailable';
  }

  /** What a client is told: the part, never the driver's words. */
  get detail(): string {
    return `${this.part} unavailable`;
  }
}

/** Wraps `err` as `part` unavailable when `isOutage` says it is one; returns anything else unchanged. */
export const unavailableIf = (
  part: Dependency,
  err: unknown,
  isOutage: (err: unknown) => boolean,
): unknown =>
  err instanceof DependencyUnavailable || !isOutage(err) ? err : new DependencyUnavailable(part, err);

/** Socket errors on the way to a server (a database, a bucket): the server, not the request, is at fault. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Is `err` a socket error on the way to a server? Node reports a refused connection to every address of a
 * host as one AggregateError, which counts when all its errors do.
 */
export function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isNetworkError);
}
