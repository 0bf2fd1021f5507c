// Typed errors by status (contract §1.6), carrying `detail`, status, headers and the request id.
import type { FailureCode, Generation } from './types.js';

export class UmbraError extends Error {
  override name = 'UmbraError';
}

export class APIConnectionError extends UmbraError {
  override name = 'APIConnectionError';
}

export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
}

export class APIError extends UmbraError {
  override name = 'APIError';
  constructor(
    readonly status: number,
    /** The server's `detail` string (or the raw body when it had none). */
    readonly detail: string,
    readonly headers: Headers,
    readonly body: unknown,
  ) {
    super(`${status} ${detail}`);
  }
  get requestId(): string | null {
    return this.headers.get('x-request-id');
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

export function errorForStatus(status: number, detail: string, headers: Headers, body: unknown): APIError {
  const Cls =
    status === 400
      ? BadRequestError
      : status === 401
        ? AuthenticationError
        : status === 403
          ? PermissionDeniedError
          : status === 404
            ? NotFoundError
            : status === 409
              ? ConflictError
              : status === 422
                ? UnprocessableEntityError
                : status === 429
                  ? RateLimitError
                  : status >= 500
                    ? InternalServerError
                    : APIError;
  return new Cls(status, detail, headers, body);
}

/** A generation ended `failed`; `code` is its failure_code. */
export class GenerationFailedError extends UmbraError {
  override name = 'GenerationFailedError';
  constructor(readonly generation: Generation) {
    super(
      `generation ${generation.id} failed: ${generation.failure_code ?? 'unknown'}: ${generation.failure_reason ?? ''}`,
    );
  }
  get code(): FailureCode | null {
    return this.generation.failure_code;
  }
}
