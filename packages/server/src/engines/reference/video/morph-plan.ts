// The frame-by-frame plan of a shot through two or more pinned stills (pure): before the first pin the
// camera drifts toward it, between consecutive pins the picture morphs along the estimated motion while a
// gentle push breathes in and out, after the last pin the camera drifts away. Every pinned frame is the
// still itself (t = 0, identity camera), so it reproduces its anchor exactly.
import type { FrameCamera } from './morph.js';

/** One output frame: how far along its morph (0 = the segment's first still) and the camera. */
export interface FrameSpec {
  t: number;
  camera: FrameCamera;
}

/** Consecutive frames filmed from pin `from` (morphing toward pin `to` when set). */
export interface MorphSegment {
  from: number;
  to: number | null;
  frames: FrameSpec[];
}

/** Zoom gained per 120 frames when drifting toward or away from an end pin (as the ffmpeg stills path). */
const DRIFT = 0.12;
/** Peak zoom of the breathing push during a morph. */
const BREATH = 0.04;

const IDENTITY: FrameCamera = { zoom: 1, panX: 0, panY: 0 };

/** Pan that keeps a zoomed view inside the frame, leaning toward `side` (−1..1). */
const lean = (zoom: number, side: number): number => side * 0.4 * (1 - 1 / zoom);

const smoothstep = (u: number): number => u * u * (3 - 2 * u);

/**
 * Cuts `frames` output frames at the sorted pin frames `pins` (at least two) into segments.
 * `direction` (±1) is the seeded side the camera leans to.
 */
export const morphTimeline = (pins: readonly number[], frames: number, direction: 1 | -1): MorphSegment[] => {
  const first = pins[0];
  const last = pins[pins.length - 1];
  if (first === undefined || last === undefined || pins.length < 2) throw new Error('a morph needs two pins');
  const segs: MorphSegment[] = [];
  if (first > 0) {
    const specs: FrameSpec[] = [];
    for (let k = 0; k < first; k++) {
      const zoom = 1 + (DRIFT / 120) * (first - k);
      specs.push({ t: 0, camera: { zoom, panX: lean(zoom, -direction), panY: lean(zoom, 0.75) } });
    }
    segs.push({ from: 0, to: null, frames: specs });
  }
  for (let i = 0; i + 1 < pins.length; i++) {
    const span = pins[i + 1]! - pins[i]!;
    if (span <= 0) continue;
    const side = (i % 2 === 0 ? 1 : -1) * direction;
    const specs: FrameSpec[] = [{ t: 0, camera: IDENTITY }];
    for (let k = 1; k < span; k++) {
      const u = k / span;
      // Eased so the motion settles on each pin instead of bouncing through it.
      const zoom = 1 + BREATH * Math.sin(Math.PI * u) ** 2;
      specs.push({ t: smoothstep(u), camera: { zoom, panX: lean(zoom, side), panY: lean(zoom, -0.3) } });
    }
    segs.push({ from: i, to: i + 1, frames: specs });
  }
  const tail: FrameSpec[] = [];
  for (let k = 0; k < frames - last; k++) {
    const zoom = 1 + (DRIFT / 120) * k;
    tail.push({
      t: 0,
      camera: k === 0 ? IDENTITY : { zoom, panX: lean(zoom, direction), panY: lean(zoom, -0.75) },
    });
  }
  segs.push({ from: pins.length - 1, to: null, frames: tail });
  return segs;
};

/** Frames a timeline renders. */
export const morphFrames = (segs: readonly MorphSegment[]): number =>
  segs.reduce((n, s) => n + s.frames.length, 0);
