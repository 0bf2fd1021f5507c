// The blob port: the only place that knows where bytes live (docs/architecture.md "The rooms"). Keys are
// relative paths such as `generations/<id>/a1/output.png` or `inputs/<id>/source`. Two adapters: the local
// disk (URLs on this server's signed routes) and an S3-compatible bucket (presigned URLs); one conformance
// suite for both.
import type { Readable } from 'node:stream';

/** Keys are relative paths of safe segments: anything else could escape a root or confuse a URL. */
export const isValidBlobKey = (key: string): boolean =>
  key.length > 0 &&
  key.length <= 512 &&
  key.split('/').every((seg) => /^[A-Za-z0-9][A-Za-z0-9._\-[\]]*$/.test(seg) && seg !== '..' && seg !== '.');

export interface BlobInfo {
  size: number;
  /** The content type given when the blob was put. */
  contentType: string;
}

/** What a URL is to the blob store: not one of its own, or one of its signed URLs and how it checks. */
export type OwnUrl = { kind: 'foreign' } | { kind: 'expired' | 'invalid' } | { kind: 'valid'; key: string };

/** Where an uploader PUTs a blob's bytes itself (Files API presigned mode, remote worker outputs). */
export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the upload must carry exactly as given (a signature may cover them). */
  headers: Record<string, string>;
  /** When the URL stops taking uploads (ms since the epoch). */
  expiresAt: number;
}

export interface UploadOptions {
  /** When the URL stops taking uploads (ms). */
  expiresAt: number;
  /** The type the upload must declare; kept as the blob's content type. */
  contentType: string;
  /**
   * Refuse bodies over this many bytes, where the store can check it while the bytes arrive (the disk
   * store can; a presigned S3 PUT cannot). Callers verify the size after the upload in any case.
   */
  maxBytes: number;
}

export interface BlobStore {
  /** Stores a local file under `key` (atomically: readers never see a partial blob). */
  putFile(key: string, srcPath: string, contentType: string): Promise<BlobInfo>;
  putBuffer(key: string, data: Buffer, contentType: string): Promise<BlobInfo>;
  /** Stores a stream under `key`, never buffered whole; nothing is kept if the stream errors. */
  putStream(key: string, data: Readable, contentType: string): Promise<BlobInfo>;
  /** Size and content type, or null when there is no such blob. */
  stat(key: string): Promise<BlobInfo | null>;
  /** Copies the blob to a local file, streamed (for engines, which only read local files). */
  download(key: string, destPath: string): Promise<void>;
  /** Bytes [start, end] inclusive, or the whole blob. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** An absolute URL that serves the blob until `expiresAt` (ms). */
  signedUrl(key: string, expiresAt: number): Promise<string>;
  /**
   * Recognises one of this store's own signed GET URLs (an output handed to a client, an input handed to a
   * remote worker) and checks its signature and expiry exactly as a download would, so that a client can
   * feed an output URL back in as an input without a network fetch.
   */
  ownUrl(url: string, now: number): Promise<OwnUrl>;
  /** A URL that takes one PUT of the blob's bytes until `expiresAt`. */
  uploadTarget(key: string, options: UploadOptions): Promise<UploadTarget>;
}
