// Finishing looks built from classical operations: manga (ink edges + halftone screentone), ink sketch,
// watercolour and monochrome. Each keeps the picture's composition. Pure, in-memory.
import { blurPlane, dilate, hash2, sobel, type Plane } from './filters.js';
import { luminance, type RawImage } from '../../../media/raw-image.js';

const smoothstep = (a: number, b: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

const lumaPlane = (img: RawImage): Plane => ({ width: img.width, height: img.height, data: luminance(img) });

/** Ink strength 0..1 per pixel from luma edges, thickened in proportion to the image size. */
const inkLines = (l: Plane, scale: number, threshold: number): Plane => {
  const soft = blurPlane(l, Math.max(1, scale * 1.2));
  const e = sobel(soft);
  for (let i = 0; i < e.data.length; i++) e.data[i] = smoothstep(threshold, threshold * 2.2, e.data[i]!);
  return scale >= 1.5 ? dilate(e, Math.round(scale / 1.5)) : e;
};

const writeGrey = (img: RawImage, v: Float32Array): void => {
  const d = img.data;
  for (let i = 0, p = 0; i < v.length; i++, p += 3) {
    const g = Math.round(Math.min(1, Math.max(0, v[i]!)) * 255);
    d[p] = g;
    d[p + 1] = g;
    d[p + 2] = g;
  }
};

/**
 * Manga: pure greyscale. Bold ink on edges, solid black shadows, two densities of 45° dot screentone
 * for mid-tones, paper white for highlights.
 */
export const mangaLook = (img: RawImage): void => {
  const { width: w, height: h } = img;
  const scale = Math.min(w, h) / 700;
  const l = lumaPlane(img);
  // Mild contrast stretch first so every scene uses the full tone ladder.
  const sample: number[] = [];
  for (let i = 0; i < l.data.length; i += 97) sample.push(l.data[i]!);
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(sample.length * 0.02)] ?? 0;
  const hi = sample[Math.floor(sample.length * 0.98)] ?? 1;
  const span = Math.max(0.05, hi - lo);
  for (let i = 0; i < l.data.length; i++) l.data[i] = (l.data[i]! - lo) / span;
  const ink = inkLines(l, scale, 0.09);
  const period = Math.max(4, Math.round(Math.min(w, h) / 160));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = l.data[i]!;
      let tone: number;
      if (v < 0.1) tone = 0;
      else if (v > 0.72) tone = 1;
      else {
        const density = v < 0.3 ? 0.6 : v < 0.5 ? 0.38 : 0.16;
        const u = (x + y) / (period * Math.SQRT2);
        const q = (x - y) / (period * Math.SQRT2);
        const du = u - Math.floor(u) - 0.5;
        const dq = q - Math.floor(q) - 0.5;
        const d = Math.sqrt(du * du + dq * dq);
        const radius = Math.sqrt(density / Math.PI);
        tone = smoothstep(radius - 0.08, radius + 0.08, d);
      }
      out[i] = Math.min(tone, 1 - ink.data[i]!);
    }
  }
  writeGrey(img, out);
};

/** Ink sketch: fine lines and diagonal hatching in the shadows on warm paper. */
export const inkLook = (img: RawImage): void => {
  const { width: w, height: h } = img;
  const scale = Math.min(w, h) / 900;
  const l = lumaPlane(img);
  const ink = inkLines(l, scale, 0.07);
  const period = Math.max(4, Math.round(Math.min(w, h) / 140));
  const d = img.data;
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p += 3) {
      const i = y * w + x;
      const v = l.data[i]!;
      const a = ((x + y) % period) / period;
      const b = ((x - y + 100000 * period) % period) / period;
      let hatch = 1;
      if (v < 0.55 && a < 0.18) hatch = 0.45;
      if (v < 0.3 && b < 0.18) hatch = 0.3;
      // Graphite shading follows the source's tones, so the sketch keeps its light and composition.
      const shade = 0.3 + 0.7 * Math.pow(v, 0.8);
      const k = Math.min(hatch, 1 - ink.data[i]! * 0.92) * shade * (0.96 + 0.04 * hash2(x, y, 7));
      d[p] = Math.round(244 * k);
      d[p + 1] = Math.round(238 * k);
      d[p + 2] = Math.round(226 * k);
    }
  }
};

/** Watercolour: softened, lighter washes with darker pigment pooling at edges and a paper grain. */
export const watercolorLook = (img: RawImage): void => {
  const { width: w, height: h } = img;
  const radius = Math.max(2, Math.min(w, h) / 300);
  const chans: Plane[] = [0, 1, 2].map((c) => {
    const p = new Float32Array(w * h);
    for (let i = 0; i < p.length; i++) p[i] = img.data[i * 3 + c]! / 255;
    return blurPlane({ width: w, height: h, data: p }, radius);
  });
  const l = lumaPlane(img);
  const wide = blurPlane(l, radius * 4);
  const narrow = blurPlane(l, radius);
  const d = img.data;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      // Pigment pools where a wash meets a lighter area: darken by the local band-pass.
      const pool = Math.max(0, wide.data[i]! - narrow.data[i]!) * 1.6;
      const grain = 0.94 + 0.06 * hash2(x >> 1, y >> 1, 3);
      for (let c = 0; c < 3; c++) {
        const v = chans[c]!.data[i]!;
        const lifted = 0.18 + v * 0.86 - pool;
        d[i * 3 + c] = Math.round(Math.min(1, Math.max(0, lifted * grain)) * 255);
      }
    }
  }
};

/** Monochrome: luma with a gentle S-curve. */
export const monochromeLook = (img: RawImage): void => {
  const l = luminance(img);
  for (let i = 0; i < l.length; i++) {
    const v = l[i]!;
    l[i] = v + 0.25 * v * (1 - v) * (v - 0.5) * 4;
  }
  writeGrey(img, l);
};
