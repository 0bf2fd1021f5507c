// Resampling and windowed means on float planes, for the looks that work on a coarser grid and come back
// to full size (a half-size picture has a quarter of the pixels to filter). Pure, no I/O.
import type { Plane } from './filters.js';
import type { RawImage } from '../../../media/raw-image.js';

/** The three channels of an image at half size (each pixel the mean of a 2×2 block), 0..1. */
export const halve = (img: RawImage): [Plane, Plane, Plane] => {
  const { width: w, height: h, data: d } = img;
  const hw = Math.ceil(w / 2);
  const hh = Math.ceil(h / 2);
  const out = [0, 1, 2].map(() => new Float32Array(hw * hh));
  const [r, g, b] = out as [Float32Array, Float32Array, Float32Array];
  const k = 1 / (4 * 255);
  for (let y = 0, i = 0; y < hh; y++) {
    const r0 = 2 * y * w;
    const r1 = Math.min(h - 1, 2 * y + 1) * w;
    for (let x = 0; x < hw; x++, i++) {
      const x0 = 2 * x;
      const x1 = Math.min(w - 1, x0 + 1);
      const a = (r0 + x0) * 3;
      const c = (r0 + x1) * 3;
      const e = (r1 + x0) * 3;
      const f = (r1 + x1) * 3;
      r[i] = (d[a]! + d[c]! + d[e]! + d[f]!) * k;
      g[i] = (d[a + 1]! + d[c + 1]! + d[e + 1]! + d[f + 1]!) * k;
      b[i] = (d[a + 2]! + d[c + 2]! + d[e + 2]! + d[f + 2]!) * k;
    }
  }
  return out.map((data) => ({ width: hw, height: hh, data })) as [Plane, Plane, Plane];
};

/** Mean of each `f`×`f` block: a cheap downscale for wide blurs and slow fields. */
export const shrink = (p: Plane, f: number): Plane => {
  const w = Math.ceil(p.width / f);
  const h = Math.ceil(p.height / f);
  const out = new Float32Array(w * h);
  const n = new Float32Array(w * h);
  const col = new Int32Array(p.width);
  for (let x = 0; x < p.width; x++) col[x] = Math.floor(x / f);
  for (let y = 0, j = 0; y < p.height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < p.width; x++, j++) {
      const i = row + col[x]!;
      out[i] = out[i]! + p.data[j]!;
      n[i] = n[i]! + 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / n[i]!;
  return { width: w, height: h, data: out };
};

/** Bilinear taps for upscaling `n` coarse samples by `f` to `len` fine ones (centres aligned). */
const taps = (n: number, f: number, len: number): { i0: Int32Array; i1: Int32Array; t: Float32Array } => {
  const i0 = new Int32Array(len);
  const i1 = new Int32Array(len);
  const t = new Float32Array(len);
  for (let x = 0; x < len; x++) {
    const s = Math.min(n - 1, Math.max(0, (x + 0.5) / f - 0.5));
    i0[x] = Math.floor(s);
    i1[x] = Math.min(n - 1, i0[x]! + 1);
    t[x] = s - i0[x]!;
  }
  return { i0, i1, t };
};

/** Bilinear upscale of a plane shrunk by `f` back to `w`×`h`. */
export const grow = (p: Plane, f: number, w: number, h: number): Plane => {
  const cx = taps(p.width, f, w);
  const cy = taps(p.height, f, h);
  const out = new Float32Array(w * h);
  const src = p.data;
  for (let y = 0, i = 0; y < h; y++) {
    const r0 = cy.i0[y]! * p.width;
    const r1 = cy.i1[y]! * p.width;
    const ty = cy.t[y]!;
    for (let x = 0; x < w; x++, i++) {
      const x0 = cx.i0[x]!;
      const x1 = cx.i1[x]!;
      const tx = cx.t[x]!;
      const a = src[r0 + x0]! + (src[r0 + x1]! - src[r0 + x0]!) * tx;
      const b = src[r1 + x0]! + (src[r1 + x1]! - src[r1 + x0]!) * tx;
      out[i] = a + (b - a) * ty;
    }
  }
  return { width: w, height: h, data: out };
};

/** What stays of the full-size picture under upscaled planes: `mul` × its channel + `add`, per channel. */
export interface Under {
  mul: readonly [number, number, number];
  add: readonly [number, number, number];
}

/**
 * Writes three coarse planes (0..1, shrunk by `f`) into `img`, bilinearly upscaled, over `under` (a faint
 * trace of the picture already there; none by default).
 */
export const growInto = (
  img: RawImage,
  planes: readonly [Plane, Plane, Plane],
  f: number,
  under: Under = { mul: [0, 0, 0], add: [0, 0, 0] },
): void => {
  const { width: w, height: h, data: d } = img;
  // A clamped view rounds and clips on assignment.
  const out = new Uint8ClampedArray(d.buffer, d.byteOffset, d.length);
  const pw = planes[0].width;
  const cx = taps(pw, f, w);
  const cy = taps(planes[0].height, f, h);
  const [mr, mg, mb] = under.mul;
  const [ar, ag, ab] = under.add.map((a) => a * 255) as [number, number, number];
  const [r, g, b] = [planes[0].data, planes[1].data, planes[2].data];
  for (let y = 0, p = 0; y < h; y++) {
    const r0 = cy.i0[y]! * pw;
    const r1 = cy.i1[y]! * pw;
    const ty = cy.t[y]!;
    for (let x = 0; x < w; x++, p += 3) {
      const i00 = r0 + cx.i0[x]!;
      const i01 = r0 + cx.i1[x]!;
      const i10 = r1 + cx.i0[x]!;
      const i11 = r1 + cx.i1[x]!;
      const tx = cx.t[x]!;
      // Weights carry the 0..1 → 0..255 scale.
      const w01 = 255 * tx * (1 - ty);
      const w10 = 255 * (1 - tx) * ty;
      const w11 = 255 * tx * ty;
      const w00 = 255 - w01 - w10 - w11;
      out[p] = r[i00]! * w00 + r[i01]! * w01 + r[i10]! * w10 + r[i11]! * w11 + out[p]! * mr + ar;
      out[p + 1] = g[i00]! * w00 + g[i01]! * w01 + g[i10]! * w10 + g[i11]! * w11 + out[p + 1]! * mg + ag;
      out[p + 2] = b[i00]! * w00 + b[i01]! * w01 + b[i10]! * w10 + b[i11]! * w11 + out[p + 2]! * mb + ab;
    }
  }
};

/** Mean over the `n`×`n` window whose top-left corner is each pixel (edges repeated). */
export const windowMean = (src: Float32Array, w: number, h: number, n: number): Float32Array => {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const inv = 1 / n;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let k = 0; k < n; k++) acc += src[row + Math.min(w - 1, k)]!;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc * inv;
      acc += src[row + Math.min(w - 1, x + n)]! - src[row + x]!;
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let k = 0; k < n; k++) acc += tmp[Math.min(h - 1, k) * w + x]!;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = acc * inv;
      acc += tmp[Math.min(h - 1, y + n) * w + x]! - tmp[y * w + x]!;
    }
  }
  return out;
};
