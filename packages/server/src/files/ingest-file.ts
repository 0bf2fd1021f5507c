// Ingest of one file (contract, Files API "Ingest"): the same verification every input gets (magic bytes vs
// the declared type, size, pixel and duration limits, decodability), on a local copy, so the bytes that
// were checked are exactly the bytes kept. A video is streamed to a temp file, never held in memory.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../blobs/blob-store.js';
import { extensionForContentType } from '../blobs/content-type.js';
import type { MediaKind } from '../contract/image-refs.js';
import type { FailureCode } from '../contract/wire.js';
import { EngineFailure } from '../engines/engine.js';
import { maxBytesFor, sizeLimitReason } from '../inputs/ingest-error.js';
import { sniffFile } from '../inputs/sniff.js';
import { verifyImage } from '../inputs/verify-image.js';
import { verifyVideo } from '../inputs/verify-video.js';
import type { FileRecord, IngestOutcome } from '../store/store.js';

export interface IngestFileDeps {
  blobs: BlobStore;
  /** Directory for the local copies being verified. */
  tmpDir: string;
  /** ffmpeg/ffprobe binaries (UMBRA_FFMPEG / UMBRA_FFPROBE); null = PATH, else the npm build. */
  ffmpeg: string | null;
  ffprobe: string | null;
  signal?: AbortSignal;
}

/** The media kind of a declared type. */
export const kindOfFile = (mime: string): MediaKind => (mime.startsWith('video/') ? 'video' : 'image');

/** Where a verified file lives: per attempt, so an ingester that lost its lease never overwrites the winner. */
export const finalKey = (f: FileRecord): string =>
  `files/${f.id}/a${f.ingestAttempts}.${extensionForContentType(f.mimeType)}`;

const failed = (storedSize: number | null, reason: string): IngestOutcome => ({
  state: 'failed',
  storedSize,
  reason,
});

/** The first word of a verifier's failure: what kind of problem the bytes have. */
const REASON_CATEGORY: Partial<Record<FailureCode, string>> = {
  corrupt_input: 'corrupt',
  image_too_large: 'too large',
  unsupported_format: 'unsupported',
};

/** `size mismatch: …`, `type mismatch: …`, `corrupt: …`, `too large: …`, `unsupported: …`. */
function reasonOf(e: EngineFailure): string {
  // The verifiers prefix an input position; a file has none.
  const message = e.message.replace(/^file: /, '');
  const category = REASON_CATEGORY[e.code] ?? 'invalid';
  return `${category}: ${message}`;
}

/**
 * Verifies the staged bytes of `f` and, when they pass, stores them under {@link finalKey}. Returns the
 * outcome for the store; throws only for transient trouble (blob store or disk), which the ingest lease
 * turns into another attempt.
 */
export async function ingestFile(d: IngestFileDeps, f: FileRecord): Promise<IngestOutcome> {
  const kind = kindOfFile(f.mimeType);
  const staged = await d.blobs.stat(f.stagingKey);
  if (staged === null) return failed(null, 'no bytes: nothing was uploaded for this file');
  const cap = maxBytesFor(kind);
  // Cheap checks on the blob's size first: no download for a file that cannot pass.
  if (f.declaredSize !== null && staged.size !== f.declaredSize) {
    return failed(
      staged.size,
      `size mismatch: received ${staged.size} bytes, size_bytes is ${f.declaredSize}`,
    );
  }
  if (staged.size > cap) return failed(staged.size, `too large: ${sizeLimitReason(kind, cap)}`);

  await mkdir(d.tmpDir, { recursive: true });
  const tmp = join(d.tmpDir, `file-${f.id}-${randomUUID()}`);
  try {
    await d.blobs.download(f.stagingKey, tmp);
    // A still-valid upload URL may have replaced the bytes since the stat: judge the copy, not the blob.
    const { size } = await stat(tmp);
    if (f.declaredSize !== null && size !== f.declaredSize) {
      return failed(size, `size mismatch: received ${size} bytes, size_bytes is ${f.declaredSize}`);
    }
    const sniffed = await sniffFile(tmp);
    if (sniffed.mime !== f.mimeType) {
      const is = sniffed.format === 'unknown' ? 'not a recognised image or video format' : sniffed.mime;
      return failed(size, `type mismatch: the bytes are ${is}, mime_type is ${f.mimeType}`);
    }
    try {
      if (kind === 'image') await verifyImage(tmp, 'file');
      else {
        await verifyVideo(tmp, 'file', {
          ffmpeg: d.ffmpeg,
          ffprobe: d.ffprobe,
          maxSeconds: null,
          ...(d.signal ? { signal: d.signal } : {}),
        });
      }
    } catch (err) {
      if (err instanceof EngineFailure) return failed(size, reasonOf(err));
      throw err;
    }
    const key = finalKey(f);
    await d.blobs.putFile(key, tmp, f.mimeType);
    return { state: 'ready', storedSize: size, blobKey: key };
  } finally {
    await rm(tmp, { force: true });
  }
}
