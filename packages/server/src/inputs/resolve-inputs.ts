// Worker-time resolution: stored inputs → verified local files for the engine (DESIGN.md data flow).
import { join } from 'node:path';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EngineInputs, ResolvedMedia } from '../engines/engine.js';
import { EngineFailure, emptyEngineInputs } from '../engines/engine.js';
import type { StoredInput } from '../store/store.js';
import { sniffFile } from './sniff.js';
import { verifyImage } from './verify-image.js';

const SLOT_FILE = /[^A-Za-z0-9._-]/g;

async function resolveOne(blobs: BlobStore, input: StoredInput, dir: string): Promise<ResolvedMedia> {
  const path = join(dir, input.slot.replace(SLOT_FILE, '_'));
  try {
    await blobs.download(input.key, path);
  } catch {
    // The bytes were accepted at submit but are gone now (e.g. the chained generation was purged).
    throw new EngineFailure('invalid_request', `${input.slot}: input media is no longer available`);
  }
  if (!input.mediaType.startsWith('video/')) return verifyImage(path, input.slot);
  const head = await sniffFile(path);
  if (head.kind !== 'video') {
    throw new EngineFailure('unsupported_format', `${input.slot}: input is not a supported video format`);
  }
  // Frame size and duration are probed by the video pipeline, which reads them with ffprobe.
  return { slot: input.slot, path, kind: 'video', format: head.format, width: 0, height: 0 };
}

/** Downloads and verifies every input into `dir`, grouped by role. Throws EngineFailure for bad media. */
export async function resolveInputs(
  blobs: BlobStore,
  inputs: StoredInput[],
  dir: string,
): Promise<EngineInputs> {
  const resolved = emptyEngineInputs();
  for (const input of inputs) {
    const m = await resolveOne(blobs, input, dir);
    if (input.slot === 'source') resolved.source = m;
    else if (input.slot.startsWith('image_ref[')) resolved.imageRefs.push(m);
    else if (input.slot === 'video.start_frame') resolved.startFrame = m;
    else if (input.slot === 'video.end_frame') resolved.endFrame = m;
    else if (input.slot.startsWith('video.keyframes[')) resolved.keyframes.push(m);
    else if (input.slot.startsWith('video.edit.keyframes[')) resolved.editKeyframes.push(m);
  }
  return resolved;
}
