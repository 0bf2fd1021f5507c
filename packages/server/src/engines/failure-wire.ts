// How a failure crosses a worker-thread boundary (render pool, edit stream, morph stream): as plain,
// structured-clone-safe data, turned back into the same error on the other side. A classified failure
// (EngineFailure) keeps its code, message and retryable flag; anything else keeps only its message and
// arrives as a plain Error, which the pipeline treats as a retryable generation_failed.
import type { FailureCode } from '../contract/wire.js';
import { EngineFailure } from './engine.js';

/** A failure as sent between threads. `code` is null for an unclassified error. */
export interface WireFailure {
  message: string;
  code: FailureCode | null;
  retryable: boolean;
}

/** The thread-side half: what to post for a thrown value. */
export function failureToWire(err: unknown): WireFailure {
  if (err instanceof EngineFailure) return { message: err.message, code: err.code, retryable: err.retryable };
  return { message: err instanceof Error ? err.message : String(err), code: null, retryable: true };
}

/** The receiving half: the error to reject or throw with. */
export function failureFromWire(w: WireFailure): Error {
  return w.code === null ? new Error(w.message) : new EngineFailure(w.code, w.message, w.retryable);
}
