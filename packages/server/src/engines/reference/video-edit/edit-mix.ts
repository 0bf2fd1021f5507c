// Per-pixel work of a video edit frame (pure): the working-size grey image the control signals are
// computed on, the mix of source and full edit under the guidance weights, blending toward guide images,
// and the statistics the automatic strength rule reads. Runs on the edit worker thread.
import type { GreyImage } from '../video/flow.js';

/** The working size for control signals: long side `long`, both sides even. */
export const workingSize = (width: number, height: number, long = 128): { width: number; height: number } => {
  const k = Math.min(1, long / Math.max(width, height));
  const even = (x: number): number => Math.max(2, 2 * Math.round(x / 2));
  return { width: even(width * k), height: even(height * k) };
};

/**
 * Area-averaged Rec. 709 luma (0..1) of an rgb24 image that sits at the left of rows `stride` pixels long
 * (the source half of a side-by-side frame), at working size.
 */
export const workingGrey = (
  rgb: Uint8Array,
  width: number,
  height: number,
  stride: number,
  ww: number,
  wh: number,
): GreyImage => {
  const out = new Float32Array(ww * wh);
  for (let y = 0; y < wh; y++) {
    const y0 = Math.floor((y * height) / wh);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / wh));
    for (let x = 0; x < ww; x++) {
      const x0 = Math.floor((x * width) / ww);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / ww));
      let sum = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0, p = (sy * stride + x0) * 3; sx < x1; sx++, p += 3) {
          sum += 0.2126 * rgb[p]! + 0.7152 * rgb[p + 1]! + 0.0722 * rgb[p + 2]!;
        }
      }
      out[y * ww + x] = sum / ((y1 - y0) * (x1 - x0) * 255);
    }
  }
  return { width: ww, height: wh, data: out };
};

/**
 * Mixes a side-by-side frame (`pair`: source | full edit, rows 2 × `width` long) into `out` (rgb24,
 * `width`×`height`): each pixel moves from the source toward the edit by `amount` × the guidance weight
 * (bilinearly upsampled from `ww`×`wh`). Linear in `amount`, so the distance from the source grows
 * strictly with the strength level.
 */
export const mixEdit = (
  pair: Uint8Array,
  width: number,
  height: number,
  weight: Float32Array,
  ww: number,
  wh: number,
  amount: number,
  out: Uint8Array,
): void => {
  const row = new Float32Array(ww);
  const fx = new Float32Array(width);
  const ix = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(ww - 1, Math.max(0, ((x + 0.5) * ww) / width - 0.5));
    ix[x] = Math.min(ww - 2, Math.floor(sx));
    fx[x] = sx - ix[x]!;
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(wh - 1, Math.max(0, ((y + 0.5) * wh) / height - 0.5));
    const y0 = Math.min(wh - 2, Math.floor(sy));
    const ty = sy - y0;
    for (let x = 0; x < ww; x++) {
      row[x] = weight[y0 * ww + x]! * (1 - ty) + weight[(y0 + 1) * ww + x]! * ty;
    }
    const src = y * width * 2 * 3;
    const edit = src + width * 3;
    for (let x = 0, o = y * width * 3; x < width; x++, o += 3) {
      const i = ix[x]!;
      const k = amount * (row[i]! * (1 - fx[x]!) + row[i + 1]! * fx[x]!);
      const p = src + 3 * x;
      const e = edit + 3 * x;
      out[o] = Math.round(pair[p]! + k * (pair[e]! - pair[p]!));
      out[o + 1] = Math.round(pair[p + 1]! + k * (pair[e + 1]! - pair[p + 1]!));
      out[o + 2] = Math.round(pair[p + 2]! + k * (pair[e + 2]! - pair[p + 2]!));
    }
  }
};

/** Mean colour of an rgb24 image. */
export const meanRgb = (rgb: Uint8Array): [number, number, number] => {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let p = 0; p < rgb.length; p += 3) {
    r += rgb[p]!;
    g += rgb[p + 1]!;
    b += rgb[p + 2]!;
  }
  const n = Math.max(1, rgb.length / 3);
  return [r / n, g / n, b / n];
};

/** Shifts `img`'s colours by `k` × `delta` (a guide's mean minus the frame's): its colour cast spreads. */
export const shiftColour = (img: Uint8Array, delta: readonly number[], k: number): void => {
  const d0 = k * (delta[0] ?? 0);
  const d1 = k * (delta[1] ?? 0);
  const d2 = k * (delta[2] ?? 0);
  const c = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let p = 0; p < img.length; p += 3) {
    img[p] = c(img[p]! + d0);
    img[p + 1] = c(img[p + 1]! + d1);
    img[p + 2] = c(img[p + 2]! + d2);
  }
};

/** Cross-fades `img` toward `guide` by `k` (1 = the guide exactly). */
export const blendToward = (img: Uint8Array, guide: Uint8Array, k: number): void => {
  if (k >= 1) {
    img.set(guide.subarray(0, img.length));
    return;
  }
  for (let p = 0; p < img.length; p++) img[p] = Math.round(img[p]! + k * (guide[p]! - img[p]!));
};

/** Motion and detail of tiny grey frames (the automatic strength rule's input, see edit/plan.ts). */
export const greyActivity = (
  frames: Uint8Array,
  width: number,
  height: number,
): { motion: number; detail: number } => {
  const size = width * height;
  const count = Math.floor(frames.length / size);
  let motion = 0;
  let detail = 0;
  for (let f = 0; f < count; f++) {
    const base = f * size;
    let d = 0;
    for (let y = 0; y < height - 1; y++) {
      for (let x = 0; x < width - 1; x++) {
        const i = base + y * width + x;
        d += Math.abs(frames[i + 1]! - frames[i]!) + Math.abs(frames[i + width]! - frames[i]!);
      }
    }
    detail += d / ((width - 1) * (height - 1));
    if (f > 0) {
      let m = 0;
      for (let i = 0; i < size; i++) m += Math.abs(frames[base + i]! - frames[base - size + i]!);
      motion += m / size;
    }
  }
  return { motion: count > 1 ? motion / (count - 1) : 0, detail: count ? detail / count : 0 };
};

/**
 * Area-averaged downscale of an rgb24 image at the left of rows `stride` pixels long (the source half of
 * a side-by-side frame, or a whole frame with `stride` = `width`) to `w2`×`h2`.
 */
export const downscaleRgb = (
  rgb: Uint8Array,
  width: number,
  height: number,
  stride: number,
  w2: number,
  h2: number,
): Uint8Array => {
  const out = new Uint8Array(w2 * h2 * 3);
  for (let y = 0; y < h2; y++) {
    const y0 = Math.floor((y * height) / h2);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / h2));
    for (let x = 0; x < w2; x++) {
      const x0 = Math.floor((x * width) / w2);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / w2));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0, p = (sy * stride + x0) * 3; sx < x1; sx++, p += 3) {
          r += rgb[p]!;
          g += rgb[p + 1]!;
          b += rgb[p + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * w2 + x) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return out;
};
