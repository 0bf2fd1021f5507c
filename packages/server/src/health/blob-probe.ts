// Is the blob store usable? A tiny blob is written, read back and removed through the port, so the check
// is the same for the disk and a bucket and covers what jobs do with it (credentials, permissions, a full
// disk, a bucket that went away), not just whether something answers.
import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '../blobs/blob-store.js';

const BODY = Buffer.from('umbra readiness probe\n');

/**
 * A probe function over `blobs`. Each process writes under a key of its own (`health/<uuid>`), so probes
 * of several processes never remove each other's blob; one key per process, so nothing accumulates.
 */
export function blobStoreProbe(blobs: BlobStore): () => Promise<void> {
  const key = `health/${randomUUID()}`;
  return async () => {
    await blobs.putBuffer(key, BODY, 'text/plain');
    const back = await buffer(await blobs.read(key));
    if (!back.equals(BODY)) throw new Error('a probe blob read back different bytes');
    await blobs.delete(key);
  };
}
