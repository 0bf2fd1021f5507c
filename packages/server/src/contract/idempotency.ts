// Idempotent create (issue 11): the `Idempotency-Key` request header of `POST /v1/generations`, its
// rules, and the identity of a request body. Pure: no I/O.
import { createHash } from 'node:crypto';
import { ApiError } from './api-error.js';

/** Request header that makes a create idempotent. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Response header set (to `true`) on an answer replayed from an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key replays its first answer; older keys are swept and may be used again. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest key accepted, in characters. */
export const IDEMPOTENCY_KEY_MAX = 255;

// Printable ASCII: space through tilde, the characters every HTTP stack passes through unchanged.
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * The key of a request, or null when the header is absent. A key is 1–255 printable ASCII characters;
 * anything else (empty, too long, control or non-ASCII characters, the header sent twice) is a 400.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw new ApiError(400, 'Idempotency-Key: send the header once');
  if (header.length === 0 || header.length > IDEMPOTENCY_KEY_MAX || !PRINTABLE.test(header)) {
    throw new ApiError(
      400,
      `Idempotency-Key: must be 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters`,
    );
  }
  return header;
}

/** JSON with object keys sorted at every depth, so two bodies that differ only in key order read alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The identity of a parsed request body: SHA-256 (hex) of its canonical JSON. */
export const requestHash = (body: unknown): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

/** The 422 of a key reused with another body. */
export const idempotencyMismatch = (): ApiError =>
  new ApiError(
    422,
    'Idempotency-Key was already used with a different request body; use a new key for a new request',
  );
