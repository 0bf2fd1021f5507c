// Typed errors (contract §1.6). Callers branch on the class (or `status`); `detail` is the server's text.
import type { FileObject } from './file-types.js';
import type { FailureCode, Generation } from './types.js';

/** Base of every error this library throws. */
export class UmbraError extends Error {
  override name = 'UmbraError';
}

/** The request never got an HTTP answer (DNS, refused, reset…), after all retries. `cause` has the reason. */
export class APIConnectionError extends UmbraError {
  override name = 'APIConnectionError';
}

/** An attempt exceeded its timeout (after all retries), or `wait` exceeded its own `timeout`. */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
}

/** The caller's `AbortSignal` fired. Never retried. */
export class APIUserAbortError extends UmbraError {
  override name = 'APIUserAbortError';
  constructor(message = 'Request was aborted') {
    super(message);
  }
}

/**
 * The server answered the event stream route with something other than an event stream (a proxy, or a
 * server that has no such route and answers 200 anyway). `generations.wait` then polls instead.
 */
export class EventStreamUnavailableError extends UmbraError {
  override name = 'EventStreamUnavailableError';
}

/** The API answered with a non-2xx status. Subclasses name the common statuses. */
export class APIError extends UmbraError {
  override name = 'APIError';
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** The server's `detail` string, or the raw body as JSON text when it had none. */
    readonly detail: string,
    /** Response headers (`retry-after`, `x-ratelimit-*`, …). */
    readonly headers: Headers,
    /** The parsed JSON body (or the text when it was not JSON). */
    readonly body: unknown,
  ) {
    super(`${status} ${detail}`);
  }
  /** The `X-Request-Id` the server answered with: quote it when reporting a problem. */
  get requestId(): string | null {
    return this.headers.get('x-request-id');
  }
}

/** 400: invalid parameters (`detail` says which). */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
/** 401: missing, invalid, revoked or expired key. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** 403: the account is suspended or deactivated. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** 404: unknown generation or file id (or one owned by another account). */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
/** 409: conflict (retried automatically first). */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** 422: parameter combination rejected, or bad media (base64, URL). */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
/** 429: requests per minute or concurrent jobs exceeded (retried automatically first). */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
/** 5xx: server-side fault (retried automatically first). */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** The error class for a status; 402, 413 and other statuses get the plain `APIError`. */
export function errorForStatus(status: number, detail: string, headers: Headers, body: unknown): APIError {
  const byStatus: Record<number, typeof APIError> = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
  };
  const Cls = byStatus[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Cls(status, detail, headers, body);
}

/** `wait` saw the generation end `failed`. */
export class GenerationFailedError extends UmbraError {
  override name = 'GenerationFailedError';
  constructor(
    /** The failed generation as last polled. */
    readonly generation: Generation,
  ) {
    super(
      `generation ${generation.id} failed (${generation.failure_code ?? 'unknown'}): ${generation.failure_reason ?? 'no reason given'}`,
    );
  }
  /** The generation's `failure_code` (contract §3.4). */
  get failureCode(): FailureCode | null {
    return this.generation.failure_code;
  }
  /** The generation's `failure_reason`. */
  get failureReason(): string | null {
    return this.generation.failure_reason;
  }
  /** Same as `failureCode`. */
  get code(): FailureCode | null {
    return this.generation.failure_code;
  }
}

/**
 * Waiting for a file (`files.wait`, `files.upload` with `wait`) saw it end `failed` (ingest or moderation
 * rejected it) or `deleted` (deleted or expired before it became ready): it can never be referenced.
 */
export class FileFailedError extends UmbraError {
  override name = 'FileFailedError';
  constructor(
    /** The file as last polled. */
    readonly file: FileObject,
  ) {
    super(
      file.state === 'deleted'
        ? `file ${file.id} was deleted before it became ready`
        : `file ${file.id} failed: ${file.failure_reason ?? 'no reason given'}`,
    );
  }
  /** The file's `failure_reason` (why ingest rejected it), or null when it was deleted. */
  get failureReason(): string | null {
    return this.file.failure_reason ?? null;
  }
}
