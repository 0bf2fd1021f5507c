// Helpers for the video tests: requests, anchors cut from rendered shots, pixel comparison.
import { createRequire } from 'node:module';
import type { GenerationRequest, VideoOptions } from '../../../contract/wire.js';
import type { EngineInputs, ResolvedMedia } from '../../engine.js';
import { probeVideo, frameRgb } from '../../../media/ffmpeg/probe.js';
import { fittedStillRgb } from '../../../media/stills.js';
import type { VideoProbe } from '../../../media/ffmpeg/probe-args.js';
import { imageRequest, makeJob } from './test-support.js';
import { renderVideo, type VideoRenderedFile } from '../video/index.js';

const require = createRequire(import.meta.url);
/** The npm-shipped binaries: tests must pass without a system ffmpeg. */
export const FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const FFPROBE = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

/** A validated `type: video` request. */
export const videoRequest = (
  prompt: string,
  video: VideoOptions,
  ratio: GenerationRequest['aspect_ratio'] = null,
): GenerationRequest => imageRequest({ type: 'video', model: 'ray-3.2', prompt, aspect_ratio: ratio, video });

/** Renders with the npm binaries; returns files, progress and the job's scratch dir. */
export const render = async (
  req: GenerationRequest,
  inputs: Partial<EngineInputs> = {},
  signal?: AbortSignal,
): Promise<{ files: VideoRenderedFile[]; progress: number[] }> => {
  const job = await makeJob(req, inputs, signal);
  const files = await renderVideo(job, { ffmpeg: FFMPEG, ffprobe: FFPROBE });
  return { files, progress: job.progress };
};

/** Probe with an exact (decoded) frame count. */
export const probe = (path: string): Promise<VideoProbe> => probeVideo(FFPROBE, path, true);

/** A resolved input. */
export const resolved = (
  slot: string,
  path: string,
  kind: 'image' | 'video',
  width: number,
  height: number,
): ResolvedMedia => ({
  slot,
  path,
  kind,
  format: kind === 'image' ? 'png' : 'mp4',
  width,
  height,
});

/** PSNR (dB) of two rgb24 buffers of equal length. */
export const psnr = (a: Uint8Array, b: Uint8Array): number => {
  if (a.length !== b.length) throw new Error(`size mismatch ${a.length} vs ${b.length}`);
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
};

/** PSNR of frame `index` of `video` against `anchor` fitted to the video's size. */
export const framePsnr = async (
  video: string,
  index: number,
  anchor: string,
  w: number,
  h: number,
): Promise<number> => psnr(await frameRgb(FFMPEG, video, index), await fittedStillRgb(anchor, w, h));

/** PSNR between two frames of videos (e.g. first and last of a loop). */
export const framesPsnr = async (a: string, ia: number, b: string, ib: number): Promise<number> =>
  psnr(await frameRgb(FFMPEG, a, ia), await frameRgb(FFMPEG, b, ib));
