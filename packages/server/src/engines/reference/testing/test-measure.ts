// Region measurements for the colour tests: mean colour of a band of rows, counts of coloured, near-white
// and star-like pixels. Pure; rows are given as fractions of the height.
import { rgbToHsv, type Rgb } from '../../../media/color.js';
import type { RawImage } from '../../../media/raw-image.js';

const rows = (img: RawImage, y0: number, y1: number): [number, number] => [
  Math.floor(img.height * y0),
  Math.min(img.height, Math.ceil(img.height * y1)),
];

const px = (img: RawImage, x: number, y: number): Rgb => {
  const p = (y * img.width + x) * 3;
  return [img.data[p]!, img.data[p + 1]!, img.data[p + 2]!];
};

const luma = (c: Rgb): number => (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;

/** Mean sRGB colour of rows y0..y1. */
export const bandMean = (img: RawImage, y0: number, y1: number): Rgb => {
  const [a, b] = rows(img, y0, y1);
  const sum = [0, 0, 0];
  for (let y = a; y < b; y++)
    for (let x = 0; x < img.width; x++) {
      const c = px(img, x, y);
      sum[0]! += c[0];
      sum[1]! += c[1];
      sum[2]! += c[2];
    }
  const n = Math.max(1, (b - a) * img.width);
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
};

/** Angular distance between two hues, degrees 0..180. */
export const hueDistance = (a: number, b: number): number => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

/** Hue (degrees) and HSV saturation of a colour. */
export const hueSat = (c: Rgb): { hue: number; sat: number } => {
  const [hue, sat] = rgbToHsv(c);
  return { hue, sat };
};

/** Fraction of pixels in rows y0..y1 within `tol`° of `hue` and at least `minSat` saturated. */
export const hueFraction = (
  img: RawImage,
  y0: number,
  y1: number,
  hue: number,
  tol: number,
  minSat: number,
): number => {
  const [a, b] = rows(img, y0, y1);
  let hits = 0;
  for (let y = a; y < b; y++)
    for (let x = 0; x < img.width; x++) {
      const [h, s, v] = rgbToHsv(px(img, x, y));
      if (s >= minSat && v > 0.2 && hueDistance(h, hue) <= tol) hits++;
    }
  return hits / Math.max(1, (b - a) * img.width);
};

/** Fraction of near-white pixels (bright, nearly unsaturated) in rows y0..y1. */
export const whiteFraction = (img: RawImage, y0: number, y1: number): number => {
  const [a, b] = rows(img, y0, y1);
  let hits = 0;
  for (let y = a; y < b; y++)
    for (let x = 0; x < img.width; x++) {
      const c = px(img, x, y);
      if (luma(c) > 0.72 && rgbToHsv(c)[1] < 0.3) hits++;
    }
  return hits / Math.max(1, (b - a) * img.width);
};

/**
 * Star-like specks per megapixel in rows y0..y1: pixels brighter by `lift` than all four neighbours
 * three pixels away. Soft gradients, cloud edges and the sun's rim are not isolated peaks.
 */
export const specks = (img: RawImage, y0: number, y1: number, lift = 0.08): number => {
  const [a, b] = rows(img, y0, y1);
  let hits = 0;
  const d = 3;
  for (let y = Math.max(a, d); y < Math.min(b, img.height - d); y++)
    for (let x = d; x < img.width - d; x++) {
      const l = luma(px(img, x, y));
      const around = [px(img, x - d, y), px(img, x + d, y), px(img, x, y - d), px(img, x, y + d)];
      if (around.every((c) => l - luma(c) > lift)) hits++;
    }
  return (hits / Math.max(1, (b - a) * img.width)) * 1e6;
};

/**
 * Pixels that snow made bright: at least 0.15 lighter than in `bare`, light (luma > 0.55) and not strongly
 * coloured. Returns their fraction of the canvas and the share of them above row `ridgeRow` (a fraction).
 */
export const snowGain = (
  snowy: RawImage,
  bare: RawImage,
  ridgeRow: number,
): { fraction: number; aboveRow: number } => {
  let hits = 0;
  let above = 0;
  const hy = snowy.height * ridgeRow;
  for (let y = 0; y < snowy.height; y++)
    for (let x = 0; x < snowy.width; x++) {
      const c = px(snowy, x, y);
      const l = luma(c);
      if (l > 0.55 && l - luma(px(bare, x, y)) > 0.15 && rgbToHsv(c)[1] < 0.4) {
        hits++;
        if (y < hy) above++;
      }
    }
  const fraction = hits / (snowy.width * snowy.height);
  return {
    fraction: Math.round(fraction * 1e4) / 1e4,
    aboveRow: hits ? Math.round((above / hits) * 1e3) / 1e3 : 0,
  };
};
