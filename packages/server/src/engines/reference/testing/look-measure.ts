// Measurements that tell the finishing looks apart, for their tests: each would fail if its look broke.
// Pure; the synthetic scene is a deterministic stand-in for a render (sky, sun, ridge, textured hills, a
// dark boat) with the edges, flat areas and texture the looks act on.
import { rgbToHsv, type Rgb } from '../../../media/color.js';
import type { RawImage } from '../../../media/raw-image.js';
import { hash2 } from '../image/filters.js';

const px = (img: RawImage, i: number): Rgb => [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
const lumaAt = (img: RawImage, i: number): number =>
  (0.2126 * img.data[i * 3]! + 0.7152 * img.data[i * 3 + 1]! + 0.0722 * img.data[i * 3 + 2]!) / 255;

/** Row where the synthetic ridge meets the sky at column `x`. */
export const ridgeRow = (w: number, h: number, x: number): number =>
  Math.round(h * (0.55 - 0.25 * Math.max(0, 1 - Math.abs(x / w - 0.4) * 3)));

/** A deterministic landscape-like test picture; `grain` is the amplitude (8-bit levels) of the hills' texture. */
export const syntheticScene = (w: number, h: number, grain = 22): RawImage => {
  const data = new Uint8Array(w * h * 3);
  const set = (x: number, y: number, c: Rgb): void => data.set(c.map(Math.round), (y * w + x) * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = y / h;
      let c: Rgb = [70 + 170 * u, 90 + 60 * u, 190 - 110 * u];
      const dx = x - w * 0.72;
      const dy = y - h * 0.3;
      if (dx * dx + dy * dy < (h * 0.07) ** 2) c = [255, 236, 170];
      if (y >= ridgeRow(w, h, x)) c = [55, 50, 80];
      if (y > h * 0.7) {
        // Hills with a strong, fine texture: what painting looks should flatten.
        const n = (hash2(x >> 1, y >> 1, 99) - 0.5) * 2 * grain;
        c = [60 + n, 130 + n, 50 + n];
      }
      const bx = x - w * 0.3;
      const by = y - h * 0.82;
      if (Math.abs(bx) < w * 0.05 && by > 0 && by < h * 0.04 - Math.abs(bx) * 0.3) c = [25, 20, 30];
      set(x, y, c.map((v) => Math.min(255, Math.max(0, v))) as unknown as Rgb);
    }
  }
  return { width: w, height: h, data };
};

/** A copy, for looks that work in place. */
export const copyImage = (img: RawImage): RawImage => ({ ...img, data: img.data.slice() });

/** Number of distinct colours. */
export const distinctColors = (img: RawImage): number => {
  const seen = new Set<number>();
  for (let i = 0; i < img.width * img.height; i++)
    seen.add((img.data[i * 3]! << 16) | (img.data[i * 3 + 1]! << 8) | img.data[i * 3 + 2]!);
  return seen.size;
};

/** Fraction of `cell`×`cell` grid cells (from the top left) that are not one flat colour. */
export const mixedCells = (img: RawImage, cell: number): number => {
  let mixed = 0;
  let cells = 0;
  for (let y0 = 0; y0 < img.height; y0 += cell)
    for (let x0 = 0; x0 < img.width; x0 += cell) {
      cells++;
      const first = px(img, y0 * img.width + x0).join();
      outer: for (let y = y0; y < Math.min(img.height, y0 + cell); y++)
        for (let x = x0; x < Math.min(img.width, x0 + cell); x++)
          if (px(img, y * img.width + x).join() !== first) {
            mixed++;
            break outer;
          }
    }
  return mixed / cells;
};

/** Mean luma 0..1. */
export const meanLumaOf = (img: RawImage): number => {
  let s = 0;
  for (let i = 0; i < img.width * img.height; i++) s += lumaAt(img, i);
  return s / (img.width * img.height);
};

/** Mean HSV saturation of the brightest `share` of pixels, and their mean luma. */
export const brightest = (img: RawImage, share: number): { sat: number; luma: number } => {
  const n = img.width * img.height;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => lumaAt(img, b) - lumaAt(img, a) || a - b);
  const top = idx.slice(0, Math.max(1, Math.floor(n * share)));
  let sat = 0;
  let luma = 0;
  for (const i of top) {
    sat += rgbToHsv(px(img, i))[1];
    luma += lumaAt(img, i);
  }
  return { sat: sat / top.length, luma: luma / top.length };
};

/** Mean hue (circular, degrees) and saturation of pixels whose luma lies in [lo, hi]. */
export const toneHue = (
  img: RawImage,
  lo: number,
  hi: number,
): { hue: number; sat: number; count: number } => {
  let sx = 0;
  let sy = 0;
  let sat = 0;
  let count = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const l = lumaAt(img, i);
    if (l < lo || l > hi) continue;
    const [h, s] = rgbToHsv(px(img, i));
    sx += Math.cos((h * Math.PI) / 180) * s;
    sy += Math.sin((h * Math.PI) / 180) * s;
    sat += s;
    count++;
  }
  const hue = ((Math.atan2(sy, sx) * 180) / Math.PI + 360) % 360;
  return { hue, sat: count ? sat / count : 0, count };
};

/** Mean luma of a box given in fractions of the canvas. */
export const regionLuma = (img: RawImage, x0: number, y0: number, x1: number, y1: number): number => {
  let s = 0;
  let n = 0;
  for (let y = Math.floor(img.height * y0); y < Math.ceil(img.height * y1); y++)
    for (let x = Math.floor(img.width * x0); x < Math.ceil(img.width * x1); x++) {
      s += lumaAt(img, y * img.width + x);
      n++;
    }
  return s / Math.max(1, n);
};

/** Mean luma of the four corner boxes (each 12% of a side) over that of the centre box. */
export const cornerToCentre = (img: RawImage): number => {
  const c = 0.12;
  const corners =
    regionLuma(img, 0, 0, c, c) +
    regionLuma(img, 1 - c, 0, 1, c) +
    regionLuma(img, 0, 1 - c, c, 1) +
    regionLuma(img, 1 - c, 1 - c, 1, 1);
  return corners / 4 / Math.max(1e-3, regionLuma(img, 0.4, 0.4, 0.6, 0.6));
};

/** Mean luma variance of 8×8 blocks inside a box given in fractions of the canvas (local texture). */
export const blockVariance = (img: RawImage, x0: number, y0: number, x1: number, y1: number): number => {
  let total = 0;
  let blocks = 0;
  for (let by = Math.floor(img.height * y0); by + 8 <= img.height * y1; by += 8)
    for (let bx = Math.floor(img.width * x0); bx + 8 <= img.width * x1; bx += 8) {
      let s = 0;
      let s2 = 0;
      for (let y = by; y < by + 8; y++)
        for (let x = bx; x < bx + 8; x++) {
          const l = lumaAt(img, y * img.width + x);
          s += l;
          s2 += l * l;
        }
      total += s2 / 64 - (s / 64) ** 2;
      blocks++;
    }
  return total / Math.max(1, blocks);
};

/** Mean absolute luma step across the synthetic ridge (3 px above vs 3 px below), sampled along it. */
export const ridgeContrast = (img: RawImage): number => {
  const { width: w, height: h } = img;
  let s = 0;
  let n = 0;
  for (let x = Math.floor(w * 0.05); x < w * 0.95; x += 4) {
    const y = ridgeRow(w, h, x);
    if (y < 4 || y + 4 >= h) continue;
    s += Math.abs(lumaAt(img, (y - 3) * w + x) - lumaAt(img, (y + 3) * w + x));
    n++;
  }
  return s / Math.max(1, n);
};

/** Fractions of near-white paper (luma > 0.8, saturation < 0.15) and of dark strokes (luma < 0.35). */
export const paperAndStrokes = (img: RawImage): { paper: number; dark: number; sat: number } => {
  let paper = 0;
  let dark = 0;
  let sat = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const l = lumaAt(img, i);
    const s = rgbToHsv(px(img, i))[1];
    sat += s;
    if (l > 0.8 && s < 0.15) paper++;
    if (l < 0.35) dark++;
  }
  return { paper: paper / n, dark: dark / n, sat: sat / n };
};

/** Mean HSV saturation of the pixels brighter than `minLuma`, and their share of the picture. */
export const litSaturation = (img: RawImage, minLuma: number): { sat: number; share: number } => {
  let sat = 0;
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++)
    if (lumaAt(img, i) > minLuma) {
      sat += rgbToHsv(px(img, i))[1];
      n++;
    }
  return { sat: n ? sat / n : 0, share: n / (img.width * img.height) };
};
