// Control signals of a video edit, computed from the source's own frames at a small working size (128 px long side; pure):
// tracked motion points (dense optical flow from flow.ts, kept only where forward and backward flow agree),
// an APPROXIMATE depth map (no monocular depth network ships on the registries we can reach: it combines
// image position, motion parallax and local detail), and surface normals from that depth's gradients.
import { blurPlane } from '../../image/filters.js';
import { sampleBilinear, type FlowField, type GreyImage } from '../../video/flow.js';

/** A tracked point in working pixels; `age` counts the frames it has survived. */
export interface Track {
  id: number;
  x: number;
  y: number;
  age: number;
}

/** Largest forward–backward round-trip error (working px) a track may show and live on. */
export const FB_MAX_ERROR = 0.75;

/** Seed-grid spacing in working pixels for a `sparsity` of 0..1 (higher = fewer anchors). */
export const trackSpacing = (sparsity: number): number =>
  Math.round(6 + 26 * Math.min(1, Math.max(0, sparsity)));

/** Least gradient (grey units of 0..1 per px) a seed needs: flat areas cannot be tracked. */
const SEED_GRADIENT = 0.01;

/** Central-difference gradient magnitude, |gx| + |gy|. */
export const gradientMagnitude = (img: GreyImage): Float32Array => {
  const { width: w, height: h, data } = img;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ym = Math.max(0, y - 1) * w;
    const yp = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) {
      const xm = Math.max(0, x - 1);
      const xp = Math.min(w - 1, x + 1);
      out[y * w + x] =
        0.5 * (Math.abs(data[y * w + xp]! - data[y * w + xm]!) + Math.abs(data[yp + x]! - data[ym + x]!));
    }
  }
  return out;
};

/**
 * A KLT-style point tracker on dense flow: points move with the forward flow, die when the backward flow
 * does not bring them home (occlusion, flat areas, flow errors) and are re-seeded on a grid at the
 * strongest corner of every empty cell.
 */
export class PointTracker {
  points: Track[] = [];
  private nextId = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly spacing: number,
  ) {}

  /** Advances to the next frame (`fwd`/`bwd` between the previous and this one; null on the first). */
  step(grey: GreyImage, fwd: FlowField | null, bwd: FlowField | null): void {
    const { width: w, height: h } = this;
    if (fwd && bwd) {
      const kept: Track[] = [];
      for (const p of this.points) {
        const qx = p.x + sampleBilinear(fwd.u, w, h, p.x, p.y);
        const qy = p.y + sampleBilinear(fwd.v, w, h, p.x, p.y);
        if (qx < 0 || qy < 0 || qx > w - 1 || qy > h - 1) continue;
        const rx = qx + sampleBilinear(bwd.u, w, h, qx, qy);
        const ry = qy + sampleBilinear(bwd.v, w, h, qx, qy);
        if (Math.hypot(rx - p.x, ry - p.y) > FB_MAX_ERROR) continue;
        kept.push({ id: p.id, x: qx, y: qy, age: p.age + 1 });
      }
      this.points = kept;
    }
    this.seed(grey);
  }

  private seed(grey: GreyImage): void {
    const s = this.spacing;
    const { width: w, height: h } = this;
    const cols = Math.ceil(w / s);
    const taken = new Uint8Array(cols * Math.ceil(h / s));
    for (const p of this.points) taken[Math.floor(p.y / s) * cols + Math.floor(p.x / s)] = 1;
    const grad = gradientMagnitude(grey);
    for (let cy = 0; cy * s < h; cy++) {
      for (let cx = 0; cx * s < w; cx++) {
        if (taken[cy * cols + cx]) continue;
        let best = -1;
        let bestG = SEED_GRADIENT;
        // One pixel in from the frame edge: the flow there is extrapolated, not measured.
        for (let y = Math.max(1, cy * s); y < Math.min(h - 1, (cy + 1) * s); y++) {
          for (let x = Math.max(1, cx * s); x < Math.min(w - 1, (cx + 1) * s); x++) {
            const g = grad[y * w + x]!;
            if (g > bestG) {
              bestG = g;
              best = y * w + x;
            }
          }
        }
        if (best >= 0) this.points.push({ id: this.nextId++, x: best % w, y: Math.floor(best / w), age: 0 });
      }
    }
  }
}

/** How the approximate depth weighs its cues (sum 1). */
const DEPTH_CUES = { position: 0.4, parallax: 0.35, detail: 0.25 } as const;

/** Share of the previous frame's depth kept, so the map does not flicker with every flow error. */
const DEPTH_MEMORY = 0.5;

/**
 * Approximate depth, 1 = near, 0 = far: lower in the frame is nearer (a ground plane), what moves against
 * the frame's typical motion is nearer (parallax), and sharply detailed regions are nearer than hazy ones.
 * Smoothed over time with `previous`; {@link blurDepth} then applies the request's `blur`.
 */
export const approximateDepth = (
  grey: GreyImage,
  fwd: FlowField | null,
  previous: Float32Array | null,
): Float32Array => {
  const { width: w, height: h } = grey;
  const n = w * h;
  const parallax = new Float32Array(n);
  if (fwd) {
    let mu = 0;
    let mv = 0;
    for (let i = 0; i < n; i++) {
      mu += fwd.u[i]!;
      mv += fwd.v[i]!;
    }
    mu /= n;
    mv /= n;
    let peak = 0.5;
    for (let i = 0; i < n; i++) {
      const m = Math.hypot(fwd.u[i]! - mu, fwd.v[i]! - mv);
      parallax[i] = m;
      if (m > peak) peak = m;
    }
    for (let i = 0; i < n; i++) parallax[i] = parallax[i]! / peak;
  }
  const detail = blurPlane({ width: w, height: h, data: gradientMagnitude(grey) }, 3).data;
  let dPeak = 1e-3;
  for (let i = 0; i < n; i++) if (detail[i]! > dPeak) dPeak = detail[i]!;
  const out = new Float32Array(n);
  for (let y = 0, i = 0; y < h; y++) {
    const pos = h > 1 ? y / (h - 1) : 0.5;
    for (let x = 0; x < w; x++, i++) {
      const d =
        DEPTH_CUES.position * pos +
        DEPTH_CUES.parallax * parallax[i]! +
        DEPTH_CUES.detail * (detail[i]! / dPeak);
      out[i] = previous ? DEPTH_MEMORY * previous[i]! + (1 - DEPTH_MEMORY) * d : d;
    }
  }
  return out;
};

/** Blends this frame's depth into the running one (see DEPTH_MEMORY); `previous` null = first frame. */
export const smoothDepth = (current: Float32Array, previous: Float32Array | null): Float32Array => {
  if (!previous) return current;
  const out = new Float32Array(current.length);
  for (let i = 0; i < out.length; i++)
    out[i] = DEPTH_MEMORY * previous[i]! + (1 - DEPTH_MEMORY) * current[i]!;
  return out;
};

/** The depth as the render uses it: `blur` 0..1 widens a Gaussian up to 12 working px. */
export const blurDepth = (depth: Float32Array, w: number, h: number, blur: number): Float32Array =>
  blur > 0 ? blurPlane({ width: w, height: h, data: depth }, 12 * blur).data : depth;

/** Deterministic noise in [-1, 1) for a pixel and frame. */
const noise = (i: number, frame: number, salt: number): number => {
  let x = Math.imul(i ^ Math.imul(frame + 1, 0x9e3779b1), 0x85ebca6b) ^ salt;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 31 - 1;
};

/** Gradient gain from depth units to normal tilt: a full-depth step over ~10 px tilts ~75°. */
const NORMAL_GAIN = 40;

/**
 * Unit normals (x, y, z interleaved) from the depth's gradients. `augmentation` 0..1 loosens them: the
 * surfaces flatten (lower gain) and a per-pixel jitter reinterprets their orientation.
 */
export const depthNormals = (
  depth: Float32Array,
  w: number,
  h: number,
  augmentation: number,
  frame: number,
): Float32Array => {
  const out = new Float32Array(w * h * 3);
  const gain = NORMAL_GAIN * (1 - 0.7 * augmentation);
  const jitter = 0.6 * augmentation;
  for (let y = 0, i = 0; y < h; y++) {
    const ym = Math.max(0, y - 1) * w;
    const yp = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++, i++) {
      const dx = 0.5 * (depth[y * w + Math.min(w - 1, x + 1)]! - depth[y * w + Math.max(0, x - 1)]!);
      const dy = 0.5 * (depth[yp + x]! - depth[ym + x]!);
      const nx = -dx * gain + jitter * noise(i, frame, 0x51);
      const ny = -dy * gain + jitter * noise(i, frame, 0x7f);
      const k = 1 / Math.hypot(nx, ny, 1);
      out[3 * i] = nx * k;
      out[3 * i + 1] = ny * k;
      out[3 * i + 2] = k;
    }
  }
  return out;
};
