// Worker-time resolution: stored inputs → verified local files for the engine (DESIGN.md data flow).
import { join } from 'node:path';
import type { BlobStore } from '../blobs/blob-store.js';
import { sourceLimitSeconds } from '../contract/video-source.js';
import type { GenerationType } from '../contract/wire.js';
import type { EngineInputs, ResolvedMedia } from '../engines/engine.js';
import { EngineFailure, emptyEngineInputs } from '../engines/engine.js';
import type { StoredInput } from '../store/store.js';
import { verifyImage } from './verify-image.js';
import { verifyVideo } from './verify-video.js';

const SLOT_FILE = /[^A-Za-z0-9._-]/g;

/** How videos are checked. */
export interface ResolveOptions {
  /** ffmpeg/ffprobe binaries (UMBRA_FFMPEG / UMBRA_FFPROBE); null = PATH, else the npm build. */
  ffmpeg: string | null;
  ffprobe: string | null;
  /** The request's type, which sets the source length limit (18 s edit, 30 s reframe). */
  type: GenerationType;
  signal?: AbortSignal;
}

async function resolveOne(
  blobs: BlobStore,
  input: StoredInput,
  dir: string,
  opts: ResolveOptions,
): Promise<ResolvedMedia> {
  const path = join(dir, input.slot.replace(SLOT_FILE, '_'));
  try {
    await blobs.download(input.key, path);
  } catch {
    // The bytes were accepted at submit but are gone now (e.g. the chained generation was purged).
    throw new EngineFailure('invalid_request', `${input.slot}: input media is no longer available`);
  }
  if (!input.mediaType.startsWith('video/')) return verifyImage(path, input.slot);
  // Only the source of edit/reframe has a length limit; a video anchor (extend) is one of our own outputs.
  const limit = input.slot === 'source' ? sourceLimitSeconds(opts.type) : null;
  return verifyVideo(path, input.slot, {
    ffmpeg: opts.ffmpeg,
    ffprobe: opts.ffprobe,
    maxSeconds: limit,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/**
 * Downloads and verifies every input into `dir`, grouped by role: images by verify-image.ts, videos by
 * verify-video.ts (probed before decoding, so a video's width/height are real and rotation-corrected).
 * Throws EngineFailure for bad media.
 */
export async function resolveInputs(
  blobs: BlobStore,
  inputs: StoredInput[],
  dir: string,
  opts: ResolveOptions,
): Promise<EngineInputs> {
  const resolved = emptyEngineInputs();
  for (const input of inputs) {
    const m = await resolveOne(blobs, input, dir, opts);
    if (input.slot === 'source') resolved.source = m;
    else if (input.slot.startsWith('image_ref[')) resolved.imageRefs.push(m);
    else if (input.slot === 'video.start_frame') resolved.startFrame = m;
    else if (input.slot === 'video.end_frame') resolved.endFrame = m;
    else if (input.slot.startsWith('video.keyframes[')) resolved.keyframes.push(m);
    else if (input.slot.startsWith('video.edit.keyframes[')) resolved.editKeyframes.push(m);
  }
  return resolved;
}
