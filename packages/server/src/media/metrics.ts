// Pure image measurements: palettes from references, and the metrics tests and the docs quote
// (detail, edge density, saturation, composition similarity).
import { rgbToHsv, type Rgb } from './color.js';
import { luminance, type RawImage } from './raw-image.js';

/** Mean sRGB colour. */
export const meanColor = (img: RawImage): Rgb => {
  let r = 0;
  let g = 0;
  let b = 0;
  const d = img.data;
  for (let p = 0; p < d.length; p += 3) {
    r += d[p]!;
    g += d[p + 1]!;
    b += d[p + 2]!;
  }
  const n = Math.max(1, d.length / 3);
  return [r / n, g / n, b / n];
};

/** Mean HSV saturation, 0..1 (0 for a greyscale image). */
export const meanSaturation = (img: RawImage): number => {
  let s = 0;
  const d = img.data;
  for (let p = 0; p < d.length; p += 3) s += rgbToHsv([d[p]!, d[p + 1]!, d[p + 2]!])[1];
  return s / Math.max(1, d.length / 3);
};

/** Mean luma, 0..1. */
export const meanLuma = (img: RawImage): number => {
  const l = luminance(img);
  let s = 0;
  for (const v of l) s += v;
  return s / Math.max(1, l.length);
};

/** Detail metric: mean absolute 4-neighbour Laplacian of luma (0..1 scale); more fine structure → higher. */
export const laplacianEnergy = (img: RawImage): number => {
  const { width: w, height: h } = img;
  const l = luminance(img);
  let s = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      s += Math.abs(4 * l[i]! - l[i - 1]! - l[i + 1]! - l[i - w]! - l[i + w]!);
    }
  }
  return s / Math.max(1, (w - 2) * (h - 2));
};

/** Fraction of pixels whose luma jumps by more than `threshold` to the right or below neighbour. */
export const edgeDensity = (img: RawImage, threshold = 0.25): number => {
  const { width: w, height: h } = img;
  const l = luminance(img);
  let n = 0;
  for (let y = 0; y < h - 1; y++) {
    for (let x = 0; x < w - 1; x++) {
      const i = y * w + x;
      if (Math.abs(l[i]! - l[i + 1]!) > threshold || Math.abs(l[i]! - l[i + w]!) > threshold) n++;
    }
  }
  return n / Math.max(1, (w - 1) * (h - 1));
};

/** Pearson correlation of two equally sized images' luma: composition similarity, −1..1. */
export const lumaCorrelation = (a: RawImage, b: RawImage): number => {
  if (a.width !== b.width || a.height !== b.height) throw new Error('lumaCorrelation: size mismatch');
  const la = luminance(a);
  const lb = luminance(b);
  const n = la.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += la[i]!;
    mb += lb[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = la[i]! - ma;
    const db = lb[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(Math.max(1e-12, saa * sbb));
};

/**
 * Dominant colours by k-means in RGB, deterministic (seeded from luma quantiles), sorted by weight.
 * Feed it a small downscaled image; each entry carries its share of pixels.
 */
export const extractPalette = (img: RawImage, k = 5, iterations = 8): { color: Rgb; weight: number }[] => {
  const d = img.data;
  const n = d.length / 3;
  if (n === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) =>
      d[i * 3]! + d[i * 3 + 1]! + d[i * 3 + 2]! - (d[j * 3]! + d[j * 3 + 1]! + d[j * 3 + 2]!) || i - j,
  );
  const centres: [number, number, number][] = [];
  for (let c = 0; c < k; c++) {
    const i = order[Math.min(n - 1, Math.floor(((c + 0.5) / k) * n))]!;
    centres.push([d[i * 3]!, d[i * 3 + 1]!, d[i * 3 + 2]!]);
  }
  const counts = new Array<number>(k).fill(0);
  for (let it = 0; it < iterations; it++) {
    const sums = centres.map(() => [0, 0, 0]);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const r = d[i * 3]!;
      const g = d[i * 3 + 1]!;
      const b = d[i * 3 + 2]!;
      let best = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const ce = centres[c]!;
        const dist = (r - ce[0]) ** 2 + (g - ce[1]) ** 2 + (b - ce[2]) ** 2;
        if (dist < bd) {
          bd = dist;
          best = c;
        }
      }
      const s = sums[best]!;
      s[0]! += r;
      s[1]! += g;
      s[2]! += b;
      counts[best]!++;
    }
    for (let c = 0; c < k; c++) {
      const cnt = counts[c]!;
      const s = sums[c]!;
      if (cnt > 0) centres[c] = [s[0]! / cnt, s[1]! / cnt, s[2]! / cnt];
    }
  }
  return centres
    .map((color, c) => ({ color: color satisfies Rgb, weight: counts[c]! / n }))
    .filter((e) => e.weight > 0)
    .sort((a, b) => b.weight - a.weight);
};
