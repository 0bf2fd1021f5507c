// The wire vocabulary of the Files API (contract, Files API "Objects"). Pure data, no I/O.
import type { ListPage, ListWindow } from './list-query.js';

export const FILE_STATES = ['pending', 'ready', 'failed', 'deleted'] as const;
/**
 * `pending` (bytes not yet received, or ingest running) → `ready` (can be referenced) | `failed` (ingest
 * rejected it; `failure_reason` says why); `deleted` after a soft delete or once `expires_at` has passed.
 */
export type FileState = (typeof FILE_STATES)[number];

export const FILE_PURPOSES = ['input', 'reference'] as const;
/** `input` = the primary subject (an edit's source); `reference` = style/content guidance. */
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** Purpose of a file created without one (the Files API contract leaves the default open; docs/decisions.md). */
export const DEFAULT_FILE_PURPOSE: FilePurpose = 'input';

/** The S3 single-PUT ceiling: the largest `size_bytes` a file may declare (contract, Files API "Objects"). */
export const MAX_FILE_BYTES = 5 * 1024 ** 3;

/** The inline (multipart) cap: the same 50 MB as a base64 input (contract, Files API "Two upload modes"). */
export const INLINE_MAX_BYTES = 52_428_800;

/**
 * The MIME types a file may declare: exactly the formats an ImageRef accepts (contract §2.4 images, §7
 * item 29 videos), so a file that can never be referenced is refused before its bytes are sent.
 */
export const FILE_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'video/mp4',
  'video/quicktime',
  'video/webm',
] as const;
export type FileMimeType = (typeof FILE_MIME_TYPES)[number];

/** A stored upload (contract, Files API "Objects", `File`). Key order as listed there. */
export interface FileObject {
  /** UUID of the file. */
  id: string;
  /** ISO-8601 UTC to the second, like a generation's `created_at`. */
  created_at: string;
  /** The declared type of the bytes (normalised: lower case, no parameters). */
  mime_type: FileMimeType;
  /** `input` or `reference`; default `input`. */
  purpose: FilePurpose;
  /** Size of the stored object in bytes; the declared size until the bytes have been ingested. */
  size_bytes: number;
  state: FileState;
  /** When the file was deleted (or expired); null otherwise. */
  deleted_at: string | null;
  /** After this the file answers as deleted and its bytes are removed; null = kept until deleted. */
  expires_at: string | null;
  /** Why ingest rejected the file (`failed` only): size mismatch, type mismatch, corrupt, too large…. */
  failure_reason: string | null;
  /** The caller's name for the file, echoed back. */
  filename: string | null;
  /** Opaque end-user tag, echoed back. */
  user_id: string | null;
}

/** Where and how to PUT the bytes of a JSON-mode file (contract, Files API "Two upload modes", 2). */
export interface PresignedUpload {
  /** Absolute URL that takes one PUT of the raw bytes until `expires_at`. */
  url: string;
  method: 'PUT';
  /** Headers the PUT must carry, exactly as given (e.g. `content-type`). */
  headers: Record<string, string>;
  /** ISO-8601 UTC: the URL stops working after this. */
  expires_at: string;
}

/** The answer of `POST /v1/files`: `id` and `state` mirror `file.id` and `file.state`. */
export interface CreateFileResponse {
  id: string;
  state: FileState;
  file: FileObject;
  /** The presigned PUT in JSON mode; null in multipart (inline) mode. */
  upload: PresignedUpload | null;
}

/** A page of `GET /v1/files`, newest first. */
export type FileList = ListPage<FileObject>;

/**
 * The body of `POST /v1/files` in JSON mode as it arrives on the wire (contract, Files API "Objects",
 * `FileCreateParams`; the same names travel as form fields in multipart mode). What `parseFileCreateJson`
 * reads; absent and null mean the same for the optional members. The client library's
 * `FileCreateParams` must be assignable to it (`sdk-types.test.ts`).
 */
export interface FileCreateParams {
  /** Any string on the wire; one that is not in {@link FILE_MIME_TYPES} (after normalising) answers 422. */
  mime_type: string;
  /** An integer, 1 … 5 GiB. */
  size_bytes: number;
  /** Default `input`. */
  purpose?: FilePurpose | null;
  filename?: string | null;
  user_id?: string | null;
  /** ISO-8601 date-time with a time zone, in the future. */
  expires_at?: string | null;
}

/**
 * `FileCreateParams` after validation (JSON body or multipart form fields), with the default purpose
 * applied and `expires_at` in epoch milliseconds.
 */
export interface FileCreateRequest {
  /** Type of the bytes, one of {@link FILE_MIME_TYPES}. Required. */
  mime_type: FileMimeType;
  /**
   * Exact size of the bytes, 1 … 5 GiB. Required in JSON mode; optional in multipart mode, where the
   * file part itself tells the size (when given, it must match, or ingest fails the file).
   */
  size_bytes: number | null;
  /** Default `input`. */
  purpose: FilePurpose;
  /** At most 255 characters. */
  filename: string | null;
  /** At most 256 characters (as a generation's `user_id`). */
  user_id: string | null;
  /** Epoch milliseconds, in the future; null = no expiry. */
  expires_at: number | null;
}

/** `GET /v1/files` query, validated (page size and cursor as on every list route). */
export interface FileListQuery extends ListWindow {
  purpose: FilePurpose | null;
  state: FileState | null;
}
