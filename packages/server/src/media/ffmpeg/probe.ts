// ffprobe and frame grabs, run through the thin helpers in run.ts.
import { capture } from './run.js';
import {
  firstFrameArgs,
  frameRgbArgs,
  lastFrameArgs,
  parseProbe,
  probeArgs,
  type VideoProbe,
} from './probe-args.js';

/** Probes a video file; `countFrames` decodes it to count frames exactly (slower, exact). */
export const probeVideo = async (
  ffprobe: string,
  path: string,
  countFrames = false,
  signal?: AbortSignal,
): Promise<VideoProbe> =>
  parseProbe((await capture(ffprobe, probeArgs(path, countFrames), signal)).toString('utf8'));

/** Extracts the first or last frame of a video as a PNG file. */
export const grabEdgeFrame = async (
  ffmpeg: string,
  input: string,
  which: 'first' | 'last',
  out: string,
  signal?: AbortSignal,
): Promise<void> => {
  await capture(ffmpeg, which === 'first' ? firstFrameArgs(input, out) : lastFrameArgs(input, out), signal);
};

/** Decodes one frame of an SDR video to rgb24 (width × height × 3 bytes). */
export const frameRgb = (ffmpeg: string, input: string, index: number): Promise<Buffer> =>
  capture(ffmpeg, frameRgbArgs(input, index));
