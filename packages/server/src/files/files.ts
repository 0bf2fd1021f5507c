// GET/DELETE /v1/files/{id}, POST /v1/files/{id}/complete and GET /v1/files as use cases
// (contract, Files API "Routes", "Objects"). A file of another client answers exactly like a missing one.
import { canonicalId } from '../contract/ids.js';
import { ApiError } from '../contract/api-error.js';
import type { FileList, FileObject } from '../contract/file.wire.js';
import { pageOf } from '../contract/list-query.js';
import { parseFileListQuery } from '../contract/validate-file.js';
import type { ClientRecord, FileRecord } from '../store/store.js';
import type { FilesDeps } from './files.deps.js';
import { effectiveState, presentFile } from './present.js';

/** 404 `File not found`, mirroring `Generation not found` (contract, Files API "Routes"). */
export const fileNotFound = (): ApiError => new ApiError(404, 'File not found');

/** The client's file, or 404 for unknown, foreign and malformed ids alike. */
async function ownFile(d: FilesDeps, client: ClientRecord, id: string): Promise<FileRecord> {
  const key = canonicalId(id);
  const f = key === null ? null : await d.store.files.get(client.id, key);
  if (f === null) throw fileNotFound();
  return f;
}

export async function getFile(d: FilesDeps, client: ClientRecord, id: string): Promise<FileObject> {
  return presentFile(await ownFile(d, client, id), d.now());
}

/** One page, newest first; `next_cursor` names the last file of a full page that has more after it. */
export async function listFiles(d: FilesDeps, client: ClientRecord, query: unknown): Promise<FileList> {
  const q = parseFileListQuery(query);
  const now = d.now();
  // One row more than asked tells whether another page follows.
  const rows = await d.store.files.list(client.id, {
    limit: q.limit + 1,
    purpose: q.purpose,
    state: q.state,
    after: q.after,
    now,
  });
  const page = pageOf(rows, q.limit);
  return {
    data: page.rows.map((f) => presentFile(f, now)),
    has_more: page.has_more,
    next_cursor: page.next_cursor,
  };
}

/** A 409 retrying cannot mend: SDKs that retry a 409 by default are told not to. */
const FINAL = { 'x-should-retry': 'false' } as const;

/**
 * `complete` (contract, Files API "Two upload modes", 2): the bytes of a presigned upload are in, start ingest.
 * Answers the file at once; ingest ends `ready` or `failed` later. Calling it again, or on a file whose
 * bytes came inline, just answers the file. A deleted (or expired) file answers 409, and so does a
 * presigned file whose bytes were never PUT, so the client can still PUT them while the URL is valid.
 */
export async function completeFile(d: FilesDeps, client: ClientRecord, id: string): Promise<FileObject> {
  const f = await ownFile(d, client, id);
  if (effectiveState(f, d.now()) === 'deleted') throw new ApiError(409, 'File has been deleted', FINAL);
  if (f.state !== 'pending' || f.completedAt !== null) return presentFile(f, d.now());
  if ((await d.blobs.stat(f.stagingKey)) === null) {
    throw new ApiError(409, 'File bytes have not been uploaded: PUT them to the upload URL first', FINAL);
  }
  if (await d.store.files.markCompleted(client.id, f.id, d.now())) d.onBytesArrived();
  return presentFile(await ownFile(d, client, id), d.now());
}

/**
 * Soft delete (contract, Files API "Objects"): the file can no longer be referenced; its bytes are removed by
 * the janitor later (see janitor.ts). Deleting a deleted or expired file again is not an error.
 */
export async function deleteFile(d: FilesDeps, client: ClientRecord, id: string): Promise<void> {
  const f = await ownFile(d, client, id);
  if (effectiveState(f, d.now()) === 'deleted') return;
  await d.store.files.softDelete(client.id, f.id, d.now());
}
