// What the Files API use cases need from the outside world.
import type { BlobStore } from '../blobs/blob-store.js';
import type { Store } from '../store/store.js';

export interface FilesDeps {
  store: Store;
  blobs: BlobStore;
  now: () => number;
  /** Lifetime of a presigned upload URL (ms). */
  uploadTtlMs: number;
  /** Called once a file's bytes are in and ingest can start, so an in-process ingester looks at once. */
  onBytesArrived: () => void;
}

/** Where a file's bytes land before ingest. Ingest copies verified bytes elsewhere (see ingest-file.ts). */
export const stagingKey = (fileId: string): string => `files/${fileId}/upload`;
