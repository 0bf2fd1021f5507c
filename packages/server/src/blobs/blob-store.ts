// The blob port: the only place that knows where bytes live (DESIGN.md). Keys are relative paths such as
// `generations/<id>/output.png` or `inputs/<id>/source`.
import type { Readable } from 'node:stream';

export interface BlobInfo {
  size: number;
  contentType: string;
}

/** What a URL is to the blob store: not one of its own, or one of its signed URLs and how it checks. */
export type OwnUrl = { kind: 'foreign' } | { kind: 'expired' | 'invalid' } | { kind: 'valid'; key: string };

export interface BlobStore {
  /** Stores a local file under `key` (atomically: readers never see a partial blob). */
  putFile(key: string, srcPath: string, contentType: string): Promise<BlobInfo>;
  putBuffer(key: string, data: Buffer, contentType: string): Promise<BlobInfo>;
  /** Stores a stream under `key`, never buffered whole; nothing is kept if the stream errors. */
  putStream(key: string, data: Readable, contentType: string): Promise<BlobInfo>;
  stat(key: string): Promise<BlobInfo | null>;
  /** Copies the blob to a local file (for engines, which only read local files). */
  download(key: string, destPath: string): Promise<void>;
  /** Bytes [start, end] inclusive, or the whole blob. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** An absolute URL that serves the blob until `expiresAt` (ms). */
  signedUrl(key: string, expiresAt: number): string;
  /**
   * Recognises one of this store's own signed GET URLs (an output handed to a client, an input handed to a
   * remote worker) and checks its signature and expiry exactly as a download would, so that a client can
   * feed an output URL back in as an input without a network fetch.
   */
  ownUrl(url: string, now: number): OwnUrl;
  /** An absolute URL that takes a PUT of the blob's bytes until `expiresAt` (ms), for remote workers. */
  uploadUrl(key: string, expiresAt: number): string;
}
