// How the control signals guide a video edit (pure): each enabled signal marks where the source's
// structure must survive — depth discontinuities, tilted surfaces, tracked features, the pose skeleton —
// and the edit is held back there. The result is a per-pixel weight map at working size that the mix
// (edit-mix.ts) scales the strength level by.
import type { Track } from './signals.js';

/** A pose limb or face box in working pixels, with how strongly it holds the source. */
export interface StructureShape {
  kind: 'segment' | 'box';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Half-width of a segment (working px). */
  radius: number;
  weight: number;
}

/** The signals of one frame at working size; null = that signal is disabled. */
export interface FrameSignals {
  width: number;
  height: number;
  depth: Float32Array | null;
  normals: Float32Array | null;
  tracks: readonly Track[] | null;
  shapes: readonly StructureShape[];
}

/** How much of the edit survives where a signal fully holds the source. */
export const HOLD_FLOOR = 0.3;

/** Radius (working px) of the neighbourhood a tracked point holds. */
export const TRACK_RADIUS = 3;

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Depth discontinuities: where the depth changes fast, an outline separates near from far. */
const depthHold = (d: Float32Array, w: number, h: number, i: number, x: number, y: number): number => {
  const dx = d[y * w + Math.min(w - 1, x + 1)]! - d[y * w + Math.max(0, x - 1)]!;
  const dy = d[Math.min(h - 1, y + 1) * w + x]! - d[Math.max(0, y - 1) * w + x]!;
  return clamp01(6 * Math.hypot(dx, dy) + 0.15 * d[i]!);
};

/** Splats every tracked point into `hold` (max-combined Gaussians). */
const splatTracks = (hold: Float32Array, w: number, h: number, tracks: readonly Track[]): void => {
  const r = TRACK_RADIUS * 2;
  const inv = 1 / (2 * TRACK_RADIUS * TRACK_RADIUS);
  for (const p of tracks) {
    for (let y = Math.max(0, Math.floor(p.y - r)); y <= Math.min(h - 1, Math.ceil(p.y + r)); y++) {
      for (let x = Math.max(0, Math.floor(p.x - r)); x <= Math.min(w - 1, Math.ceil(p.x + r)); x++) {
        const v = Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) * inv);
        const i = y * w + x;
        if (v > hold[i]!) hold[i] = v;
      }
    }
  }
};

/** Distance from (x, y) to a segment. */
const segmentDistance = (s: StructureShape, x: number, y: number): number => {
  const vx = s.x1 - s.x0;
  const vy = s.y1 - s.y0;
  const len2 = vx * vx + vy * vy;
  const t = len2 > 0 ? clamp01(((x - s.x0) * vx + (y - s.y0) * vy) / len2) : 0;
  return Math.hypot(x - (s.x0 + t * vx), y - (s.y0 + t * vy));
};

/** Draws pose limbs and face boxes into `hold` (max-combined, soft-edged). */
const drawShapes = (hold: Float32Array, w: number, h: number, shapes: readonly StructureShape[]): void => {
  for (const s of shapes) {
    const pad = s.kind === 'segment' ? s.radius * 2 : 1;
    const xa = Math.max(0, Math.floor(Math.min(s.x0, s.x1) - pad));
    const xb = Math.min(w - 1, Math.ceil(Math.max(s.x0, s.x1) + pad));
    const ya = Math.max(0, Math.floor(Math.min(s.y0, s.y1) - pad));
    const yb = Math.min(h - 1, Math.ceil(Math.max(s.y0, s.y1) + pad));
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const v =
          s.kind === 'box'
            ? s.weight
            : s.weight * clamp01(1 - Math.max(0, segmentDistance(s, x, y) - s.radius) / s.radius);
        const i = y * w + x;
        if (v > hold[i]!) hold[i] = v;
      }
    }
  }
};

/**
 * The hold map (0 = free, 1 = keep the source) as the soft union of every enabled signal, so each one
 * counts wherever it speaks, and the weight map `1 − (1 − HOLD_FLOOR) × hold`.
 */
export const guidanceWeights = (s: FrameSignals): { hold: Float32Array; weight: Float32Array } => {
  const { width: w, height: h } = s;
  const n = w * h;
  const hold = new Float32Array(n);
  const layer = new Float32Array(n);
  const unite = (): void => {
    for (let i = 0; i < n; i++) hold[i] = 1 - (1 - hold[i]!) * (1 - layer[i]!);
  };
  if (s.depth) {
    for (let y = 0, i = 0; y < h; y++)
      for (let x = 0; x < w; x++, i++) layer[i] = depthHold(s.depth, w, h, i, x, y);
    unite();
  }
  if (s.normals) {
    // A surface facing the camera (z = 1) holds nothing; tilted surfaces carry the shading worth keeping.
    for (let i = 0; i < n; i++) layer[i] = clamp01(2.5 * (1 - s.normals[3 * i + 2]!));
    unite();
  }
  if (s.tracks) {
    layer.fill(0);
    splatTracks(layer, w, h, s.tracks);
    unite();
  }
  if (s.shapes.length) {
    layer.fill(0);
    drawShapes(layer, w, h, s.shapes);
    unite();
  }
  const weight = new Float32Array(n);
  for (let i = 0; i < n; i++) weight[i] = 1 - (1 - HOLD_FLOOR) * hold[i]!;
  return { hold, weight };
};
