// Pure raster filters on float planes and RawImages: blur, edges, film grain, vignette. No I/O.
import type { RawImage } from '../../../media/raw-image.js';

/** One float channel, row-major. */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

const boxPass = (
  src: Float32Array,
  dst: Float32Array,
  w: number,
  h: number,
  r: number,
  horiz: boolean,
): void => {
  const len = horiz ? w : h;
  const lines = horiz ? h : w;
  const step = horiz ? 1 : w;
  const norm = 1 / (2 * r + 1);
  for (let l = 0; l < lines; l++) {
    const base = horiz ? l * w : l;
    // Edge pixels are repeated, so borders do not darken.
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += src[base + Math.min(len - 1, Math.max(0, k)) * step]!;
    for (let i = 0; i < len; i++) {
      dst[base + i * step] = acc * norm;
      const add = Math.min(len - 1, i + r + 1);
      const sub = Math.max(0, i - r);
      acc += src[base + add * step]! - src[base + sub * step]!;
    }
  }
};

/** Approximate Gaussian blur (three box passes each way), O(pixels) whatever the radius. */
export const blurPlane = (p: Plane, radius: number): Plane => {
  const r = Math.max(0, Math.round(radius / 1.7));
  if (r === 0) return { ...p, data: p.data.slice() };
  const a = p.data.slice();
  const b = new Float32Array(a.length);
  for (let pass = 0; pass < 3; pass++) {
    boxPass(a, b, p.width, p.height, r, true);
    boxPass(b, a, p.width, p.height, r, false);
  }
  return { width: p.width, height: p.height, data: a };
};

/** Sobel gradient magnitude (0..~4 for a 0..1 plane). */
export const sobel = (p: Plane): Plane => {
  const { width: w, height: h, data: d } = p;
  const out = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const tl = d[i - w - 1]!;
      const t = d[i - w]!;
      const tr = d[i - w + 1]!;
      const l = d[i - 1]!;
      const r = d[i + 1]!;
      const bl = d[i + w - 1]!;
      const b = d[i + w]!;
      const br = d[i + w + 1]!;
      const gx = tr + 2 * r + br - tl - 2 * l - bl;
      const gy = bl + 2 * b + br - tl - 2 * t - tr;
      out[i] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return { width: w, height: h, data: out };
};

/** Maximum filter over a (2r+1)² window: thickens ink lines. */
export const dilate = (p: Plane, r: number): Plane => {
  const { width: w, height: h } = p;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) m = Math.max(m, p.data[y * w + k]!);
      tmp[y * w + x] = m;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) m = Math.max(m, tmp[k * w + x]!);
      out[y * w + x] = m;
    }
  }
  return { width: w, height: h, data: out };
};

/** Unsharp mask in place: adds back `amount` × (image − blurred image), crisping fine detail. */
export const sharpen = (img: RawImage, radius: number, amount: number): void => {
  const { width: w, height: h, data: d } = img;
  for (let c = 0; c < 3; c++) {
    const p = new Float32Array(w * h);
    for (let i = 0; i < p.length; i++) p[i] = d[i * 3 + c]!;
    const b = blurPlane({ width: w, height: h, data: p }, radius).data;
    for (let i = 0; i < p.length; i++)
      d[i * 3 + c] = Math.max(0, Math.min(255, Math.round(p[i]! + amount * (p[i]! - b[i]!))));
  }
};

/** A deterministic per-pixel hash in [0, 1): the grain is part of the output, so it must be seeded. */
export const hash2 = (x: number, y: number, seed: number): number => {
  let h = (Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 2246822519)) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
};

/** Options for {@link finishImage}. */
export interface FinishOptions {
  /** Strength of the corner darkening, 0..1. */
  vignette: number;
  /** Grain amplitude in 8-bit levels; also dithers gradients so they do not band. */
  grain: number;
  seed: number;
}

/** Film finish: vignette and seeded grain, in place. */
export const finishImage = (img: RawImage, o: FinishOptions): void => {
  const { width: w, height: h, data: d } = img;
  const cx = w / 2;
  const cy = h / 2;
  const inv = 1 / (cx * cx + cy * cy);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p += 3) {
      const r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) * inv;
      const v = 1 - o.vignette * r2 * r2 * 0.9;
      const g = (hash2(x, y, o.seed) - 0.5) * 2 * o.grain;
      d[p] = Math.max(0, Math.min(255, d[p]! * v + g));
      d[p + 1] = Math.max(0, Math.min(255, d[p + 1]! * v + g));
      d[p + 2] = Math.max(0, Math.min(255, d[p + 2]! * v + g));
    }
  }
};
