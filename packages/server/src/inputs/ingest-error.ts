// The one error type of submit-time ingest (base64 decode, URL fetch). It carries the HTTP status and the
// `detail` suffix of contract §4.2; the caller prefixes the slot (`source: `, `image_ref[2]: `).
import { ApiError } from '../contract/api-error.js';
import type { MediaKind } from '../contract/image-refs.js';

/** Media kind an input position expects (defined by the contract module). */
export type { MediaKind };

/** Contract §2.4: 50 MB = 52 428 800 bytes per image, measured on the decoded bytes. */
export const IMAGE_MAX_BYTES = 52_428_800;
/** Contract §7 item 29: video inputs are capped at 100 MB. */
export const VIDEO_MAX_BYTES = 104_857_600;

/** Default byte cap for a media kind (contract §2.4, §7 item 29). */
export function maxBytesFor(kind: MediaKind): number {
  return kind === 'image' ? IMAGE_MAX_BYTES : VIDEO_MAX_BYTES;
}

/** `image exceeds 50 MB limit` / `video exceeds 100 MB limit` (contract §4.2, §7 item 29). */
export function sizeLimitReason(kind: MediaKind, maxBytes: number): string {
  // Derived from the cap so a configured limit is reported truthfully; the defaults give the documented text.
  const mb = Math.round((maxBytes / 1_048_576) * 100) / 100;
  return `${kind} exceeds ${mb} MB limit`;
}

/** HTTP statuses an ingest failure can map to (contract §4.2). */
export type IngestStatus = 413 | 422 | 502;

/**
 * A synchronous ingest failure. `reason` is the client-facing `detail` without the slot prefix, e.g.
 * `failed to fetch URL (HTTP 404)`; `cause` is a stable machine-readable tag for logs and metrics
 * (`blocked_address`, `timeout`, …); `message` adds log-only detail (addresses, sizes) that must never be
 * sent to the client, because it would reveal the server's network layout.
 */
export class IngestError extends Error {
  constructor(
    readonly status: IngestStatus,
    readonly reason: string,
    override readonly cause: string,
    logDetail?: string,
  ) {
    super(logDetail === undefined ? `${cause}: ${reason}` : `${cause}: ${reason} (${logDetail})`);
    this.name = 'IngestError';
  }

  /** The wire error for this failure at `slot` (`source`, `image_ref[0]`, …): `{detail: "<slot>: <reason>"}`. */
  toApiError(slot: string): ApiError {
    return new ApiError(this.status, `${slot}: ${this.reason}`);
  }
}
