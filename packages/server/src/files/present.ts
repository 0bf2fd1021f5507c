// FileRecord → wire objects (contract, Files API "Objects"), timestamps as generations give them.
import type { UploadTarget } from '../blobs/blob-store.js';
import type { FileObject, FileState, PresignedUpload } from '../contract/file.wire.js';
import { isoSeconds } from '../generations/present.js';
import type { FileRecord } from '../store/store.js';

/** True when the file is past its `expires_at`: it then answers like a deleted one everywhere. */
export const isExpired = (f: FileRecord, now: number): boolean => f.expiresAt !== null && f.expiresAt <= now;

/** The state a file answers with at `now` (contract, Files API "Ingest": past `expires_at` means deleted). */
export const effectiveState = (f: FileRecord, now: number): FileState =>
  f.state !== 'deleted' && isExpired(f, now) ? 'deleted' : f.state;

const iso = (ms: number | null): string | null => (ms === null ? null : isoSeconds(ms));

export function presentFile(f: FileRecord, now: number): FileObject {
  const state = effectiveState(f, now);
  // An expired file that the janitor has not reached yet was gone from its expiry on.
  const deletedAt = state === 'deleted' ? (f.deletedAt ?? f.expiresAt) : null;
  return {
    id: f.id,
    created_at: isoSeconds(f.createdAt),
    mime_type: f.mimeType,
    purpose: f.purpose,
    size_bytes: f.storedSize ?? f.declaredSize ?? 0,
    state,
    deleted_at: iso(deletedAt),
    expires_at: iso(f.expiresAt),
    failure_reason: f.state === 'failed' ? f.failureReason : null,
    filename: f.filename,
    user_id: f.userId,
  };
}

/** The `PresignedUpload` envelope of a blob store's upload target. */
export const presentUpload = (t: UploadTarget): PresignedUpload => ({
  url: t.url,
  method: t.method,
  headers: t.headers,
  expires_at: isoSeconds(t.expiresAt),
});
