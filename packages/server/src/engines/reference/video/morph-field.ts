// The motion field of an in-between frame (pure). Given the flows A→B and B→A, every pixel of A travels
// t of its way and every pixel of B (1 − t) of its way back; splatting their motion vectors at those
// positions gives, for each point of the in-between frame, the motion of whatever is there — so both
// anchors can be sampled backward from it. Where several pixels land on the same spot (occlusion), the
// faster one wins (moving things pass in front of slower ones, as near objects do in a camera move), and
// pixels whose two flows disagree (occluded in the other image) count only where nothing else lands.
import type { FlowField } from './flow.js';

/** Per-pixel splat weights of one flow, fixed for a segment. */
export interface SplatSource {
  flow: FlowField;
  /** Importance of each pixel's vector (occlusion ordering); relative values only. */
  weight: Float64Array;
}

/**
 * The field of one in-between frame on the flow grid: motion A→B (grid px) and how visible A and B are at
 * each point (0–1; 0 where that image's pixels left the spot, i.e. it was disoccluded).
 */
export interface TimeField {
  width: number;
  height: number;
  u: Float32Array;
  v: Float32Array;
  visA: Float32Array;
  visB: Float32Array;
}

/** How strongly a faster vector outranks a slower one: weight ×e per this many grid px of speed. */
const SPEED_SCALE = 1.5;
/** Forward–backward disagreement (grid px) at which a vector's weight drops by e. */
const CONSISTENCY = 1;

/** Weights for splatting `ab` (A→B), checked against `ba` (B→A): fast and consistent vectors rank first. */
export const splatWeights = (ab: FlowField, ba: FlowField): Float64Array => {
  const { width: w, height: h } = ab;
  const n = w * h;
  const out = new Float64Array(n);
  let maxMag = 0;
  for (let i = 0; i < n; i++) maxMag = Math.max(maxMag, Math.hypot(ab.u[i]!, ab.v[i]!));
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const fu = ab.u[i]!;
      const fv = ab.v[i]!;
      const tx = Math.min(w - 1, Math.max(0, Math.round(x + fu)));
      const ty = Math.min(h - 1, Math.max(0, Math.round(y + fv)));
      const j = ty * w + tx;
      const e = Math.hypot(fu + ba.u[j]!, fv + ba.v[j]!);
      // Offsetting by the largest speed keeps exp() in range however large the motion.
      const score = (Math.hypot(fu, fv) - maxMag) / SPEED_SCALE - (e * e) / (CONSISTENCY * CONSISTENCY);
      // Floored so no weight underflows to 0, which would read as "nothing landed here".
      out[i] = Math.exp(Math.max(-600, score));
    }
  }
  return out;
};

/** Adds a bilinear splat of value (u, v) with weight `z` (and unweighted coverage) at (x, y). */
const splat = (
  acc: Float64Array,
  cover: Float32Array,
  w: number,
  h: number,
  x: number,
  y: number,
  u: number,
  v: number,
  z: number,
): void => {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  for (let k = 0; k < 4; k++) {
    const xx = x0 + (k & 1);
    const yy = y0 + (k >> 1);
    if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
    const b = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
    if (b === 0) continue;
    const i = yy * w + xx;
    const wz = b * z;
    acc[3 * i] = acc[3 * i]! + wz * u;
    acc[3 * i + 1] = acc[3 * i + 1]! + wz * v;
    acc[3 * i + 2] = acc[3 * i + 2]! + wz;
    cover[i] = cover[i]! + b;
  }
};

/**
 * Fills holes (weight 0) of an accumulated (Σwu, Σwv, Σw) grid from coarser averages (push–pull), so
 * every point gets the motion of its nearest splatted neighbourhood.
 */
const pushPull = (acc: Float64Array, w: number, h: number): void => {
  if (w <= 1 && h <= 1) return;
  const cw = Math.max(1, (w + 1) >> 1);
  const ch = Math.max(1, (h + 1) >> 1);
  const coarse = new Float64Array(cw * ch * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      const j = 3 * ((y >> 1) * cw + (x >> 1));
      for (let c = 0; c < 3; c++) coarse[j + c] = coarse[j + c]! + acc[i + c]!;
    }
  }
  pushPull(coarse, cw, ch);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      if (acc[i + 2]! > 0) continue;
      const j = 3 * ((y >> 1) * cw + (x >> 1));
      const cwt = coarse[j + 2]!;
      if (cwt <= 0) continue;
      // Only the ratio Σwu/Σw is read back, so a filled point can carry the normalised value.
      acc[i] = coarse[j]! / cwt;
      acc[i + 1] = coarse[j + 1]! / cwt;
      acc[i + 2] = 1;
    }
  }
};

/** Band along the frame's edge, as a fraction of its shorter side, where visibility fades to full. */
const EDGE = 0.12;
/** Window radius (grid px) over which coverage is averaged into visibility. */
const R = 2;

/**
 * Visibility from splat coverage, averaged and doubled: cracks between diverging pixels still count as
 * covered, and a disocclusion's edge is soft rather than a hard cut between the two images.
 */
const visibility = (cover: Float32Array, w: number, h: number): Float32Array => {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = -R; dy <= R; dy++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy)) * w;
        for (let dx = -R; dx <= R; dx++) s += cover[yy + Math.min(w - 1, Math.max(0, x + dx))]!;
      }
      // Near the frame's edge a pixel may have come from outside it, which no splat covers: fade to
      // fully visible there instead of cutting to the other image along the border.
      const edge = 1 - Math.min(x, y, w - 1 - x, h - 1 - y) / (EDGE * Math.min(w, h));
      out[y * w + x] = Math.min(1, Math.max(edge, (2 * s) / ((2 * R + 1) * (2 * R + 1))));
    }
  }
  return out;
};

/** The field of the frame at `t` ∈ [0, 1] between A (t = 0) and B (t = 1). */
export const timeField = (a: SplatSource, b: SplatSource, t: number): TimeField => {
  const { width: w, height: h } = a.flow;
  const n = w * h;
  const acc = new Float64Array(3 * n);
  const coverA = new Float32Array(n);
  const coverB = new Float32Array(n);
  // The nearer anchor's vectors are the more reliable ones for this frame.
  const ka = 1 - t + 1e-3;
  const kb = t + 1e-3;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const fu = a.flow.u[i]!;
      const fv = a.flow.v[i]!;
      splat(acc, coverA, w, h, x + t * fu, y + t * fv, fu, fv, ka * a.weight[i]!);
      const gu = b.flow.u[i]!;
      const gv = b.flow.v[i]!;
      // B's vectors point back to A; the motion they carry, A→B, is their negation.
      splat(acc, coverB, w, h, x + (1 - t) * gu, y + (1 - t) * gv, -gu, -gv, kb * b.weight[i]!);
    }
  }
  pushPull(acc, w, h);
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = acc[3 * i + 2]!;
    if (s > 0) {
      u[i] = acc[3 * i]! / s;
      v[i] = acc[3 * i + 1]! / s;
    }
  }
  return { width: w, height: h, u, v, visA: visibility(coverA, w, h), visB: visibility(coverB, w, h) };
};
