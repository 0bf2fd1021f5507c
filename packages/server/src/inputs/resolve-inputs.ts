// Worker-time resolution: a job's inputs → verified local files for the engine
// (docs/architecture.md "Roles and data flow"). The bytes come through the job source (blob store in-process,
// signed URLs for remote workers).
import { join } from 'node:path';
import { sourceLimitSeconds } from '../contract/video-source.js';
import type { GenerationType } from '../contract/wire.js';
import type { EngineInputs, ResolvedMedia } from '../engines/engine.js';
import { EngineFailure, emptyEngineInputs } from '../engines/engine.js';
import type { JobInput } from '../jobs/job-source.js';
import { locateBinary } from '../media/ffmpeg/binaries.js';
import { probeSource } from '../media/ffmpeg/source-probe.js';
import { sniffFile } from './sniff.js';
import { verifyImage } from './verify-image.js';
import { verifyVideo } from './verify-video.js';

const SLOT_FILE = /[^A-Za-z0-9._-]/g;

/** Where the bytes come from and how they are checked. */
export interface ResolveOptions {
  /** Copies one input's bytes to `destPath`. */
  fetch: (input: JobInput, destPath: string) => Promise<void>;
  /**
   * true: decode-check every input (the reference engine). false: sniff only, for engines that pass
   * inputs on to a server that checks them itself (the relay), so its failure codes come through.
   */
  verify: boolean;
  /** ffmpeg/ffprobe binaries (UMBRA_FFMPEG / UMBRA_FFPROBE); null = PATH, else the npm build. */
  ffmpeg: string | null;
  ffprobe: string | null;
  /** The request's type, which sets the source length limit (18 s edit, 30 s reframe). */
  type: GenerationType;
  signal?: AbortSignal;
}

/**
 * The length of a video the engine will not have verified, or null when ffprobe cannot tell: an edit or
 * reframe is charged by its source's length (issue 12), and the engine's upstream judges the file itself.
 */
async function measureSeconds(path: string, opts: ResolveOptions): Promise<number | null> {
  try {
    const { duration } = await probeSource(locateBinary('ffprobe', opts.ffprobe).path, path, opts.signal);
    return Number.isFinite(duration) && duration >= 0 ? duration : null;
  } catch {
    opts.signal?.throwIfAborted();
    return null;
  }
}

async function resolveOne(input: JobInput, dir: string, opts: ResolveOptions): Promise<ResolvedMedia> {
  const path = join(dir, input.slot.replace(SLOT_FILE, '_'));
  try {
    await opts.fetch(input, path);
  } catch (err) {
    opts.signal?.throwIfAborted();
    // A source that is down is retryable; bytes that are gone (e.g. a purged chained generation) are not.
    if (err instanceof EngineFailure) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new EngineFailure('invalid_request', `${input.slot}: input media is no longer available`);
    throw err;
  }
  const chain = { generationId: input.generationId, upstreamId: input.upstreamId };
  if (!opts.verify) {
    const s = await sniffFile(path);
    const kind = s.kind === 'video' ? 'video' : 'image';
    const media: ResolvedMedia = {
      slot: input.slot,
      path,
      kind,
      format: s.format,
      width: 0,
      height: 0,
      ...chain,
    };
    if (kind === 'video' && input.slot === 'source') {
      const seconds = await measureSeconds(path, opts);
      if (seconds !== null) media.durationSeconds = seconds;
    }
    return media;
  }
  if (!input.mediaType.startsWith('video/')) return { ...(await verifyImage(path, input.slot)), ...chain };
  // Only the source of edit/reframe has a length limit; a video anchor (extend) is one of our own outputs.
  const limit = input.slot === 'source' ? sourceLimitSeconds(opts.type) : null;
  const video = await verifyVideo(path, input.slot, {
    ffmpeg: opts.ffmpeg,
    ffprobe: opts.ffprobe,
    maxSeconds: limit,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { ...video, ...chain };
}

/**
 * Fetches and checks every input into `dir`, grouped by role: images by verify-image.ts, videos by
 * verify-video.ts (probed before decoding, so a video's width/height are real and rotation-corrected).
 * Throws EngineFailure for bad media.
 */
export async function resolveInputs(
  inputs: readonly JobInput[],
  dir: string,
  opts: ResolveOptions,
): Promise<EngineInputs> {
  const resolved = emptyEngineInputs();
  for (const input of inputs) {
    const m = await resolveOne(input, dir, opts);
    if (input.slot === 'source') resolved.source = m;
    else if (input.slot.startsWith('image_ref[')) resolved.imageRefs.push(m);
    else if (input.slot === 'video.start_frame') resolved.startFrame = m;
    else if (input.slot === 'video.end_frame') resolved.endFrame = m;
    else if (input.slot.startsWith('video.keyframes[')) resolved.keyframes.push(m);
    else if (input.slot.startsWith('video.edit.keyframes[')) resolved.editKeyframes.push(m);
  }
  return resolved;
}
