// Reads a validated `type: video` request into a render plan (pure): canvas, frame grid, dynamic range and
// the pinned frames. Frame grid: 24 fps with both ends inclusive, `duration × 24 + 1` frames (121 for 5 s,
// 241 for 10 s), so keyframe index 120 or 240 (contract §2.8 D20) is a real frame; the file's duration is
// therefore 5.04 s / 10.04 s.
import { videoSize, type PixelSize } from '../../../contract/sizes.js';
import { videoDefaults } from '../../../contract/validate-create.js';
import type { AspectRatio, GenerationRequest } from '../../../contract/wire.js';
import type { EngineInputs, ResolvedMedia } from '../../engine.js';
import type { DynamicRange } from '../../../media/ffmpeg/encode-args.js';

/** The six ratios ray-3.2 renders (contract §2.6). */
export const RAY_RATIOS: readonly AspectRatio[] = ['9:16', '3:4', '1:1', '4:3', '16:9', '21:9'];

/** How a pinned frame gets its pixels. */
export type PinGrab = 'image' | 'video-first' | 'video-last';

/** A frame of the output that must reproduce an input. */
export interface Pin {
  frame: number;
  media: ResolvedMedia;
  grab: PinGrab;
}

/** What to render. */
export interface VideoPlan extends PixelSize {
  frames: number;
  range: DynamicRange;
  exr: boolean;
  loop: boolean;
  /** Sorted by frame; empty for text-to-video. */
  pins: Pin[];
}

/** Frames of the inclusive 24 fps grid for a duration in seconds. */
export const gridFrames = (seconds: number): number => seconds * 24 + 1;

/** The ray-3.2 ratio closest to a pixel size (compared on a log scale, so 2:1 is as far from 1:1 as 1:2). */
export const nearestRatio = (width: number, height: number): AspectRatio => {
  const target = Math.log(width / height);
  let best: AspectRatio = '16:9';
  let bestErr = Infinity;
  for (const r of RAY_RATIOS) {
    const [w, h] = r.split(':').map(Number) as [number, number];
    const err = Math.abs(Math.log(w / h) - target);
    if (err < bestErr) {
      bestErr = err;
      best = r;
    }
  }
  return best;
};

/**
 * Builds the plan. `anchorSize` is the pixel size of the first anchor (for a video anchor, as probed),
 * which sets the ratio when the request names none (contract §2.8 D19).
 */
export const planVideo = (
  req: GenerationRequest,
  inputs: EngineInputs,
  anchorSize: PixelSize | null,
): VideoPlan => {
  const v = req.video ?? {};
  const { resolution, duration } = videoDefaults(v);
  const start = inputs.startFrame;
  const end = inputs.endFrame;
  const extend = start?.kind === 'video' || end?.kind === 'video';
  // An extend is always one 5 s block (contract §2.8 D19).
  const frames = gridFrames(extend ? 5 : duration === '10s' ? 10 : 5);
  const ratio = req.aspect_ratio ?? (anchorSize ? nearestRatio(anchorSize.width, anchorSize.height) : '16:9');
  const size = videoSize(resolution, ratio);
  const pins: Pin[] = [];
  if (start) pins.push({ frame: 0, media: start, grab: start.kind === 'video' ? 'video-last' : 'image' });
  if (end) pins.push({ frame: frames - 1, media: end, grab: end.kind === 'video' ? 'video-first' : 'image' });
  const indexes = v.keyframe_indexes ?? [];
  inputs.keyframes.forEach((k, i) => {
    const frame = indexes[i];
    if (frame !== undefined) pins.push({ frame: Math.min(frame, frames - 1), media: k, grab: 'image' });
  });
  pins.sort((a, b) => a.frame - b.frame);
  const hdr = v.hdr === true && !extend;
  return {
    ...size,
    frames,
    range: hdr ? 'hdr' : 'sdr',
    exr: hdr && v.exr_export === true,
    loop: v.loop === true,
    pins,
  };
};
