// POST /v1/files as a use case (contract, Files API "Two upload modes"), in the order of POST /v1/generations:
// (auth, done by the caller) → validation → RPM slot → row (+ bytes or an upload target) → 201.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../contract/api-error.js';
import type { CreateFileResponse, FileCreateRequest } from '../contract/file.wire.js';
import { INLINE_MAX_BYTES } from '../contract/file.wire.js';
import { parseFileCreateForm, parseFileCreateJson } from '../contract/validate-file.js';
import { takeRpmSlot } from '../policy/rate-limit.js';
import type { ClientRecord, FileRecord, NewFile } from '../store/store.js';
import { stagingKey, type FilesDeps } from './files.deps.js';
import { presentFile, presentUpload } from './present.js';
import { sizeCap } from '../blobs/size-cap.js';

export interface CreatedFile {
  body: CreateFileResponse;
  /** X-RateLimit-* headers for the 201 (contract §4.3), as on POST /v1/generations. */
  headers: Record<string, string>;
}

/** A multipart form being read: `read` streams it, hands the part named `file` to `onFile`, returns the fields. */
export interface MultipartForm {
  read(onFile: (part: Readable) => Promise<void>): Promise<ReadonlyMap<string, string>>;
}

/** 413 detail of an inline upload over the cap (the same 50 MB as a base64 input, contract §4.2 style). */
export const INLINE_TOO_LARGE = `file exceeds ${INLINE_MAX_BYTES / 1_048_576} MB limit for an inline upload; create the file with a JSON body and PUT the bytes`;

const newFile = (
  id: string,
  client: ClientRecord,
  p: FileCreateRequest,
  now: number,
  inline: { size: number } | null,
): NewFile => ({
  id,
  clientId: client.id,
  createdAt: now,
  mimeType: p.mime_type,
  purpose: p.purpose,
  declaredSize: p.size_bytes ?? inline?.size ?? null,
  filename: p.filename,
  userId: p.user_id,
  expiresAt: p.expires_at,
  uploadMode: inline === null ? 'presigned' : 'inline',
  stagingKey: stagingKey(id),
  completedAt: inline === null ? null : now,
});

const response = (f: FileRecord, now: number, upload: CreateFileResponse['upload']): CreateFileResponse => {
  const file = presentFile(f, now);
  return { id: file.id, state: file.state, file, upload };
};

/**
 * JSON mode: validates `FileCreateParams`, inserts a pending file and answers with a presigned PUT for
 * exactly `size_bytes` bytes of `mime_type`. Ingest starts when the client calls `complete`.
 */
export async function createPresignedFile(
  d: FilesDeps,
  client: ClientRecord,
  body: unknown,
): Promise<CreatedFile> {
  const params = parseFileCreateJson(body, d.now());
  const headers = await takeRpmSlot(d.store, client, d.now());
  const id = randomUUID();
  const now = d.now();
  const row = await d.store.files.create(newFile(id, client, params, now, null));
  const target = await d.blobs.uploadTarget(row.stagingKey, {
    expiresAt: now + d.uploadTtlMs,
    contentType: params.mime_type,
    // Validation guarantees it in JSON mode; the disk store refuses a bigger body while it arrives.
    maxBytes: params.size_bytes ?? 0,
  });
  return { body: response(row, now, presentUpload(target)), headers };
}

/**
 * Multipart mode: streams the part named `file` into the blob store (refused past 50 MB while it
 * arrives, 413), then validates the fields, which may come before or after the file part, and inserts
 * a pending file whose ingest starts at once. Nothing is kept of a refused upload.
 */
export async function createInlineFile(
  d: FilesDeps,
  client: ClientRecord,
  form: MultipartForm,
): Promise<CreatedFile> {
  const id = randomUUID();
  const key = stagingKey(id);
  let size: number | null = null;
  try {
    const fields = await form.read(async (part) => {
      const cap = sizeCap(INLINE_MAX_BYTES, () => new ApiError(413, INLINE_TOO_LARGE));
      const stored = d.blobs.putStream(key, cap, 'application/octet-stream');
      await Promise.all([pipeline(part, cap), stored]);
      size = (await stored).size;
    });
    const params = parseFileCreateForm(fields, d.now());
    if (size === null) throw new ApiError(422, 'file is required');
    const headers = await takeRpmSlot(d.store, client, d.now());
    const now = d.now();
    const row = await d.store.files.create(newFile(id, client, params, now, { size }));
    d.onBytesArrived();
    return { body: response(row, now, null), headers };
  } catch (err) {
    await d.blobs.delete(key).catch(() => undefined);
    throw err;
  }
}
