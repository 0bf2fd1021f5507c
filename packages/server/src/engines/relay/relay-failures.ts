// What a relay does when its upstream misbehaves: which answers are retried and for how long, and which
// failure a job ends with. Pure: the engine supplies the error, the clock and the stage.
import { APIError, APIConnectionError, retryDelay, shouldRetry } from '@umbra/sdk';
import type { Generation } from '@umbra/sdk';
import { FAILURES } from '../../contract/failures.js';
import type { FailureCode } from '../../contract/wire.js';
import { FAILURE_CODES } from '../../contract/wire.js';
import { EngineFailure } from '../engine.js';

/**
 * Which call failed: uploading a large input through the upstream's Files API, creating the upstream job,
 * polling it, or downloading one of its outputs.
 */
export type RelayStage = 'upload' | 'create' | 'poll' | 'download';

/**
 * Milliseconds to wait before retrying a failed upstream call, or null to give up. Network errors, 429 and
 * 5xx (or whatever `x-should-retry` says) are retried with the SDK's backoff, honouring `Retry-After`,
 * while the time since the call first failed stays within `windowMs`. A Retry-After that reaches past the
 * window gives up at once rather than knocking early.
 */
export function retryIn(err: unknown, retry: number, elapsedMs: number, windowMs: number): number | null {
  const left = windowMs - elapsedMs;
  if (left <= 0) return null;
  if (err instanceof APIConnectionError) return Math.min(retryDelay(retry, null), left);
  if (!(err instanceof APIError) || !shouldRetry(err.status, err.headers)) return null;
  const hinted = err.headers.has('retry-after-ms') || err.headers.has('retry-after');
  const delay = retryDelay(retry, err.headers);
  if (hinted) return delay <= left ? delay : null;
  return Math.min(delay, left);
}

/**
 * The failure a job ends with when an upstream call gave up. Every reason names the upstream's origin so an
 * operator can tell a relay problem from a local one. Only a 429 on create is retryable by the job queue:
 * nothing was created upstream, so another attempt cannot start a duplicate there.
 */
export function upstreamFailure(err: unknown, stage: RelayStage, origin: string): EngineFailure {
  const up = `upstream ${origin}`;
  if (err instanceof APIConnectionError) {
    return new EngineFailure('generation_failed', `${up} unreachable: ${err.message}`, false);
  }
  if (!(err instanceof APIError)) {
    const text = err instanceof Error ? err.message : String(err);
    return new EngineFailure('generation_failed', `${up}: ${text}`, false);
  }
  const { status, detail } = err;
  const said = `(${status}): ${detail}`;
  if (status === 429) {
    return new EngineFailure('rate_limited', `${up} is throttling requests ${said}`, stage === 'create');
  }
  if (status === 401 || status === 403) {
    if (stage === 'download')
      return new EngineFailure('output_not_found', `${up} refused an output download ${said}`, false);
    return new EngineFailure('generation_failed', `${up} refused the relay's API key ${said}`, false);
  }
  if (status === 402) return new EngineFailure('budget_exhausted', `${up} is out of credits ${said}`);
  if (stage === 'create' && (status === 400 || status === 413 || status === 422)) {
    return new EngineFailure('invalid_request', `${up} rejected the request ${said}`);
  }
  if (stage === 'upload' && (status === 400 || status === 413 || status === 422)) {
    return new EngineFailure('invalid_request', `${up} rejected an input upload ${said}`);
  }
  if (status === 404 && stage === 'poll') {
    return new EngineFailure('generation_failed', `${up} no longer knows the generation ${said}`, false);
  }
  if (stage === 'download')
    return new EngineFailure('output_not_found', `${up} output download ${said}`, false);
  return new EngineFailure('generation_failed', `${up} answered ${said}`, false);
}

const isFailureCode = (c: unknown): c is FailureCode =>
  typeof c === 'string' && (FAILURE_CODES as readonly string[]).includes(c);

/**
 * An upstream generation that ended `failed`: its code and reason pass through unchanged (a code this
 * server does not know becomes `generation_failed`, with the upstream's code kept in the reason).
 * Not retryable here: the upstream ran its own retries before failing.
 */
export function failedUpstream(g: Pick<Generation, 'failure_code' | 'failure_reason'>): EngineFailure {
  if (isFailureCode(g.failure_code)) {
    return new EngineFailure(g.failure_code, g.failure_reason ?? FAILURES[g.failure_code].reason, false);
  }
  const reason = g.failure_reason ?? FAILURES.generation_failed.reason;
  const code = g.failure_code === null ? '' : ` (${String(g.failure_code)})`;
  return new EngineFailure('generation_failed', `${reason}${code}`, false);
}
