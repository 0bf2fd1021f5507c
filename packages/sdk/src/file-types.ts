// Wire types of the Files API (docs/contract.md, "The Files API"): upload an input once, then reference it by `file_id` from
// any ImageRef. Written by hand, like the Generations types, because the library has no dependencies.

/**
 * `pending` (bytes not yet received, or ingest running) → `ready` (can be referenced) | `failed` (ingest
 * or moderation rejected it; `failure_reason` says why); `deleted` after a soft delete or past `expires_at`.
 */
export type FileState = 'pending' | 'ready' | 'failed' | 'deleted';

/** `input` = the primary subject (e.g. an edit's source); `reference` = style or content guidance. */
export type FilePurpose = 'input' | 'reference';

/**
 * The body of `POST /files` in JSON (presigned) mode; the same names travel as form fields in multipart
 * (inline) mode.
 */
export interface FileCreateParams {
  /** Type of the bytes to be uploaded, e.g. `image/png` or `video/mp4`. Required. */
  mime_type: string;
  /** Exact size in bytes of the object to be PUT, at most 5 GiB. Required. */
  size_bytes: number;
  /** `input` or `reference`; absent = the server's default (`input` on Umbra). */
  purpose?: FilePurpose | null;
  /** Your name for the file, echoed back. */
  filename?: string | null;
  /** Your opaque end-user tag (no personal data), echoed back. */
  user_id?: string | null;
  /** ISO-8601 time after which the service may delete the file and its bytes; absent = kept until deleted. */
  expires_at?: string | null;
}

/**
 * `files.create` with the bytes themselves: sent inline as `multipart/form-data` (a `file` part plus the
 * other fields as form fields). For small files only; the server caps inline bodies (50 MB on Umbra).
 */
export interface FileCreateInlineParams extends Omit<FileCreateParams, 'size_bytes'> {
  /** The bytes. A `File` also lends its name as the part's filename when `filename` is absent. */
  file: Blob | Uint8Array;
  /** Defaults to the size of `file`. */
  size_bytes?: number;
}

/** A stored upload (the wire's `File`). */
export interface FileObject {
  /** UUID; reference it as `{ file_id: id }` in any ImageRef once `state` is `ready`. */
  id: string;
  /** ISO-8601 UTC creation time. */
  created_at: string;
  /** The declared type of the bytes. */
  mime_type: string;
  /** `input` or `reference`. */
  purpose: FilePurpose;
  /** Size of the stored object in bytes (the declared size until the bytes have been ingested). */
  size_bytes: number;
  /** Current state; `ready` and `failed` are reached asynchronously (poll `files.get` or `files.wait`). */
  state: FileState;
  /** When the file was deleted (or expired); null or absent otherwise. */
  deleted_at?: string | null;
  /** After this the file answers as deleted and its bytes are removed; null or absent = no expiry. */
  expires_at?: string | null;
  /** Why ingest rejected the file (size or type mismatch, corrupt…) when `failed`; null otherwise. */
  failure_reason?: string | null;
  /** Your name for the file, as sent. */
  filename?: string | null;
  /** Your end-user tag, as sent. */
  user_id?: string | null;
}

/** Where and how to send the bytes of a file created in JSON mode. */
export interface PresignedUpload {
  /** Absolute presigned URL (object storage) that takes one request with the raw bytes until `expires_at`. */
  url: string;
  /** Always `PUT`. */
  method: 'PUT';
  /** Headers the request must carry, exactly as given (e.g. `content-type`); absent = none. */
  headers?: Record<string, string> | null;
  /** ISO-8601 time after which the URL stops working. */
  expires_at: string;
}

/** The answer of `POST /files`. */
export interface CreateFileResponse {
  /** Same as `file.id`. */
  id: string;
  /** Same as `file.state`. */
  state: FileState;
  /** The file as created (`pending`). */
  file: FileObject;
  /** In JSON mode, where to PUT the bytes (then call `files.complete`); null in multipart (inline) mode. */
  upload: PresignedUpload | null;
}

/** The query of `GET /files`; every member is optional. */
export interface FileListParams {
  /** The `next_cursor` of the previous page; absent = start from the newest file. */
  cursor?: string | null;
  /** Page size, 1–100; default 25. */
  limit?: number | null;
  /** Only files of this purpose. */
  purpose?: FilePurpose | null;
  /** Only files in this state. */
  state?: FileState | null;
}

/** A page of `GET /files`, newest first (keyset-paginated). */
export interface FileList {
  /** The files of this page. */
  data: FileObject[];
  /** More files follow this page. */
  has_more: boolean;
  /** Opaque; pass it back as `cursor` for the next page. Null or absent on the last page. */
  next_cursor?: string | null;
}
