// Pure colour math: sRGB ↔ CIELAB and HSV, mixing, and Reinhard colour transfer. No I/O.
import type { RawImage } from './raw-image.js';

/** An sRGB colour, channels 0..255 (floats allowed). */
export type Rgb = readonly [number, number, number];
/** A CIELAB colour (D65): L 0..100, a/b roughly −128..127. */
export type Lab = readonly [number, number, number];

const clamp255 = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : x);

/** `#rrggbb` → Rgb. */
export const hex = (s: string): Rgb => {
  const n = parseInt(s.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

/** Rgb → `#rrggbb` (clamped, rounded), the form SVG attributes take. */
export const toHex = (c: Rgb): string =>
  '#' + c.map((v) => Math.round(clamp255(v)).toString(16).padStart(2, '0')).join('');

/** Linear interpolation in sRGB; good enough for palette stops, not for transfers. */
export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

const LIN = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LIN[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}
const toLinear = (v: number): number => {
  const c = clamp255(v) / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
};
const fromLinear = (c: number): number =>
  255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(Math.max(c, 0), 1 / 2.4) - 0.055);

const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
const fi = (t: number): number => (t > 0.206893 ? t * t * t : (t - 16 / 116) / 7.787);

const linToLab = (r: number, g: number, b: number): Lab => {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const fy = f(y);
  return [116 * fy - 16, 500 * (f(x) - fy), 200 * (fy - f(z))];
};

/** sRGB → CIELAB. */
export const rgbToLab = (c: Rgb): Lab => linToLab(toLinear(c[0]), toLinear(c[1]), toLinear(c[2]));

/** CIELAB → sRGB (unclamped floats; clamp when writing bytes). */
export const labToRgb = (lab: Lab): Rgb => {
  const fy = (lab[0] + 16) / 116;
  const x = 0.95047 * fi(fy + lab[1] / 500);
  const y = fi(fy);
  const z = 1.08883 * fi(fy - lab[2] / 200);
  return [
    fromLinear(3.2406 * x - 1.5372 * y - 0.4986 * z),
    fromLinear(-0.9689 * x + 1.8758 * y + 0.0415 * z),
    fromLinear(0.0557 * x - 0.204 * y + 1.057 * z),
  ];
};

/** sRGB → HSV with h in degrees 0..360, s and v 0..1. */
export const rgbToHsv = (c: Rgb): [number, number, number] => {
  const r = c[0] / 255;
  const g = c[1] / 255;
  const b = c[2] / 255;
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  let h = 0;
  if (d > 0) {
    if (max === r) h = 60 * (((g - b) / d + 6) % 6);
    else if (max === g) h = 60 * ((b - r) / d + 2);
    else h = 60 * ((r - g) / d + 4);
  }
  return [h, max === 0 ? 0 : d / max, max];
};

/** Converts a whole image to Lab planes (Float32, one array per channel). */
export const imageToLab = (img: RawImage): [Float32Array, Float32Array, Float32Array] => {
  const n = img.width * img.height;
  const L = new Float32Array(n);
  const A = new Float32Array(n);
  const B = new Float32Array(n);
  const d = img.data;
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    const lab = linToLab(LIN[d[p]!]!, LIN[d[p + 1]!]!, LIN[d[p + 2]!]!);
    L[i] = lab[0];
    A[i] = lab[1];
    B[i] = lab[2];
  }
  return [L, A, B];
};

/** Writes Lab planes back into an image's bytes (clamped). */
export const labToImage = (planes: [Float32Array, Float32Array, Float32Array], img: RawImage): void => {
  const [L, A, B] = planes;
  const d = img.data;
  for (let i = 0, p = 0; i < L.length; i++, p += 3) {
    const c = labToRgb([L[i]!, A[i]!, B[i]!]);
    d[p] = clamp255(Math.round(c[0]));
    d[p + 1] = clamp255(Math.round(c[1]));
    d[p + 2] = clamp255(Math.round(c[2]));
  }
};

/** Mean and standard deviation of each Lab channel. */
export interface LabStats {
  mean: [number, number, number];
  std: [number, number, number];
}

/** Lab statistics of a set of planes, the input of a Reinhard transfer. */
export const labStats = (planes: readonly Float32Array[]): LabStats => {
  const mean: [number, number, number] = [0, 0, 0];
  const std: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const p = planes[c]!;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < p.length; i++) {
      s += p[i]!;
      s2 += p[i]! * p[i]!;
    }
    const m = s / Math.max(1, p.length);
    mean[c] = m;
    std[c] = Math.sqrt(Math.max(0, s2 / Math.max(1, p.length) - m * m));
  }
  return { mean, std };
};

/**
 * Reinhard mean/std colour transfer in Lab, blended by `amount` (0 = unchanged, 1 = full transfer).
 * Lightness moves less than colour so the source keeps its exposure and composition.
 */
export const transferLab = (
  planes: [Float32Array, Float32Array, Float32Array],
  target: LabStats,
  amount: number,
): void => {
  const src = labStats(planes);
  for (let c = 0; c < 3; c++) {
    const p = planes[c]!;
    const k = c === 0 ? amount * 0.5 : amount;
    const scale = Math.min(3, target.std[c]! / Math.max(1e-3, src.std[c]!));
    const ms = src.mean[c]!;
    const mt = target.mean[c]!;
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      p[i] = v + k * ((v - ms) * scale + mt - v);
    }
  }
};
