// Season and weather edits on the source's own pixels: snow settling on what faces up, rain, fog, autumn
// foliage, and lights that glow when night falls. Pure and deterministic, in place on a RawImage.
import { luminance, type RawImage } from '../../../media/raw-image.js';
import { blurPlane, dilate, hash2, type Plane } from '../image/filters.js';

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);
const smooth = (a: number, b: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

/**
 * The row where land meets sky: the strongest rise of texture and fall of brightness between a third and
 * four fifths of the height, found on row averages. Used to tell the ground (which snow covers) from sky.
 */
export const findHorizon = (img: RawImage): number => {
  const { width: w, height: h } = img;
  const l = luminance(img);
  const rows = new Float32Array(h);
  for (let y = 0; y < h; y++) {
    let s = 0;
    for (let x = 0; x < w; x++) s += l[y * w + x]!;
    rows[y] = s / w;
  }
  const step = Math.max(1, Math.round(h / 60));
  let best = Math.round(h * 0.6);
  let bestScore = -Infinity;
  for (let y = Math.round(h * 0.3); y < Math.round(h * 0.8); y++) {
    const above = rows[Math.max(0, y - step)]!;
    const below = rows[Math.min(h - 1, y + step)]!;
    const score = Math.abs(above - below);
    if (score > bestScore) {
      bestScore = score;
      best = y;
    }
  }
  return best;
};

/**
 * Upward-facing surfaces: pixels just under an edge whose lower side is darker (the top of a roof, a
 * ridge, an animal's back, a branch) and flat ground below the horizon. 0..1 per pixel.
 */
export const upwardSurfaces = (img: RawImage): Plane => {
  const { width: w, height: h } = img;
  const luma: Plane = { width: w, height: h, data: luminance(img) };
  const soft = blurPlane(luma, Math.max(1, h / 700));
  const out = new Float32Array(w * h);
  const reach = Math.max(2, Math.round(h / 180));
  for (let y = reach; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      // A top edge: brighter above than here (sky over a roof), and mostly horizontal.
      const dy = soft.data[i - reach * w]! - soft.data[i]!;
      const dx = Math.abs(soft.data[i]! - soft.data[i - (x > 0 ? 1 : 0)]!);
      out[i] = smooth(0.04, 0.14, dy) * (dx < Math.abs(dy) ? 1 : 0.4);
    }
  // Snow lies a little way down from each top edge.
  const thick = dilate({ width: w, height: h, data: out }, Math.max(1, Math.round(h / 400)));
  const settled = new Float32Array(w * h);
  const depth = Math.max(3, Math.round(h / 90));
  for (let x = 0; x < w; x++) {
    let carry = 0;
    for (let y = 0; y < h; y++) {
      const i = y * w + x;
      carry = Math.max(thick.data[i]!, carry * (1 - 1 / depth));
      settled[i] = carry;
    }
  }
  // Flat ground below the horizon holds snow too, thinning where the texture says it is steep or busy.
  const horizon = findHorizon(img);
  const edges = blurPlane({ width: w, height: h, data: out }, Math.max(2, h / 120));
  for (let y = horizon; y < h; y++) {
    const t = smooth(horizon, horizon + h * 0.06, y);
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      // Water holds no snow: blue-grey pixels (sea, lake) keep theirs.
      const p = i * 3;
      const water = smooth(2, 22, img.data[p + 2]! - Math.max(img.data[p]!, img.data[p + 1]!) + 6);
      // Nor do colourful things standing on the ground (a car, a house): snow caps them, it does not bury them.
      const sat =
        (Math.max(img.data[p]!, img.data[p + 1]!, img.data[p + 2]!) -
          Math.min(img.data[p]!, img.data[p + 1]!, img.data[p + 2]!)) /
        255;
      const ground =
        t * (0.85 - Math.min(0.5, edges.data[i]! * 2)) * (1 - water) * (1 - smooth(0.25, 0.55, sat));
      settled[i] = Math.max(settled[i]!, ground);
    }
  }
  return { width: w, height: h, data: settled };
};

/** Winter: a cold, paler grade and snow on every upward surface. */
export const snow = (img: RawImage, seed: number): void => {
  const { width: w, height: h, data: d } = img;
  const cover = upwardSurfaces(img);
  for (let i = 0, p = 0; i < w * h; i++, p += 3) {
    const r = d[p]!;
    const g = d[p + 1]!;
    const b = d[p + 2]!;
    const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    // Cold grade: less colour, a blue cast, lifted shadows.
    let nr = l + (r - l) * 0.55 - 10 + 10;
    let ng = l + (g - l) * 0.55 + 2 + 10;
    let nb = l + (b - l) * 0.55 + 22 + 10;
    const x = i % w;
    const y = (i - x) / w;
    const grain = (hash2(x, y, seed) - 0.5) * 10;
    const s = Math.min(1, cover.data[i]! * 1.15);
    const snowTone = 222 + grain + Math.min(25, l * 0.12);
    nr = nr * (1 - s) + (snowTone - 9) * s;
    ng = ng * (1 - s) + (snowTone - 2) * s;
    nb = nb * (1 - s) + (snowTone + 9) * s;
    d[p] = clamp(nr);
    d[p + 1] = clamp(ng);
    d[p + 2] = clamp(nb);
  }
};

/** Rain: darker, cooler, wet, with falling streaks at a slant. */
export const rain = (img: RawImage, seed: number): void => {
  const { width: w, height: h, data: d } = img;
  for (let p = 0; p < d.length; p += 3) {
    const l = 0.2126 * d[p]! + 0.7152 * d[p + 1]! + 0.0722 * d[p + 2]!;
    d[p] = clamp((l + (d[p]! - l) * 0.7) * 0.78);
    d[p + 1] = clamp((l + (d[p + 1]! - l) * 0.7) * 0.8 + 2);
    d[p + 2] = clamp((l + (d[p + 2]! - l) * 0.7) * 0.84 + 8);
  }
  const drops = Math.round((w * h) / 1100);
  const len = Math.max(6, h / 28);
  for (let k = 0; k < drops; k++) {
    const x0 = hash2(k, 1, seed) * (w + len * 0.3);
    const y0 = hash2(k, 2, seed) * h;
    const a = 0.22 + hash2(k, 3, seed) * 0.3;
    for (let t = 0; t < len; t++) {
      const x = Math.round(x0 - t * 0.22);
      const y = Math.round(y0 + t);
      if (x < 0 || x >= w || y >= h) break;
      const p = (y * w + x) * 3;
      d[p] = clamp(d[p]! + (215 - d[p]!) * a);
      d[p + 1] = clamp(d[p + 1]! + (225 - d[p + 1]!) * a);
      d[p + 2] = clamp(d[p + 2]! + (235 - d[p + 2]!) * a);
    }
  }
};

/** Fog: contrast and colour fade into a pale haze, thickest at the horizon where distance is greatest. */
export const fog = (img: RawImage): void => {
  const { width: w, height: h, data: d } = img;
  const horizon = findHorizon(img);
  const haze: [number, number, number] = [206, 210, 214];
  for (let y = 0; y < h; y++) {
    const fromHorizon = Math.abs(y - horizon) / h;
    const a = 0.72 - Math.min(0.42, fromHorizon * 1.1);
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      d[p] = clamp(d[p]! + (haze[0] - d[p]!) * a);
      d[p + 1] = clamp(d[p + 1]! + (haze[1] - d[p + 1]!) * a);
      d[p + 2] = clamp(d[p + 2]! + (haze[2] - d[p + 2]!) * a);
    }
  }
};

/** Autumn: greens turn to amber, orange and red (by the pixel's own hash, so a canopy is mixed). */
export const autumn = (img: RawImage, seed: number): void => {
  const { width: w, data: d } = img;
  for (let i = 0, p = 0; p < d.length; i++, p += 3) {
    const r = d[p]!;
    const g = d[p + 1]!;
    const b = d[p + 2]!;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    if (max - min < 18) continue;
    // How green: green is the largest channel, clearly above red.
    const green = smooth(4, 30, g - Math.max(r, b * 0.9));
    if (green <= 0) continue;
    const x = i % w;
    const pick = hash2(Math.floor(x / 6), Math.floor((i - x) / w / 6), seed);
    const target: [number, number, number] =
      pick < 0.45 ? [214, 118, 34] : pick < 0.8 ? [190, 62, 30] : [222, 170, 52];
    const l = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 140;
    d[p] = clamp(r + (target[0] * l - r) * green);
    d[p + 1] = clamp(g + (target[1] * l - g) * green);
    d[p + 2] = clamp(b + (target[2] * l - b) * green);
  }
};

/**
 * Light sources of the source image: small, bright, warm features (lamps, a lighthouse's lantern, the sun)
 * standing out from their surroundings, and windows: small lighter spots on a dark wall. 0..1 per pixel.
 */
export const lightSources = (img: RawImage): Plane => {
  const { width: w, height: h } = img;
  const l = luminance(img);
  // Bright pixels, and how much of their neighbourhood is bright: a lamp is a small part of its
  // surroundings, a sky along a skyline is half of them.
  const bright = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) bright[i] = smooth(0.62, 0.8, l[i]!);
  const density = blurPlane({ width: w, height: h, data: bright }, Math.max(6, h / 16));
  const around = blurPlane({ width: w, height: h, data: l }, Math.max(6, h / 16));
  const near = blurPlane({ width: w, height: h, data: l }, Math.max(3, h / 120));
  const out = new Float32Array(w * h);
  const d = img.data;
  for (let i = 0, p = 0; i < w * h; i++, p += 3) {
    // Lamps burn warm: white paint and a pale sky are bright too, but they are not lights.
    const warm = smooth(0.05, 0.16, (d[p]! - d[p + 2]!) / 255);
    // …and stands out from it: the rim of a bright sky fades into it, a lamp does not.
    const stands = smooth(0.05, 0.14, l[i]! - around.data[i]!);
    const lamp = bright[i]! * (1 - smooth(0.35, 0.7, density.data[i]!)) * stands * warm;
    // A window: a small lighter spot on a dark wall (a skyline's windows by day) lights up too.
    const local = l[i]! - near.data[i]!;
    const window =
      smooth(0.06, 0.16, local) *
      (1 - smooth(0.22, 0.34, near.data[i]!)) *
      (1 - smooth(0.2, 0.4, density.data[i]!));
    out[i] = Math.max(lamp, window);
  }
  return { width: w, height: h, data: out };
};

/**
 * After a night grade: the sources found in the source image shine (warm, brighter than they were) and
 * bloom into their surroundings, so "at night" lights the lamps instead of putting them out.
 */
export const glowLights = (img: RawImage, sources: Plane): void => {
  const { width: w, height: h, data: d } = img;
  const bloom = blurPlane(sources, Math.max(3, h / 90));
  const wide = blurPlane(sources, Math.max(6, h / 30));
  for (let i = 0, p = 0; i < w * h; i++, p += 3) {
    const s = sources.data[i]!;
    const g = Math.min(1, bloom.data[i]! * 2.2 + wide.data[i]! * 3);
    d[p] = clamp(d[p]! + (255 - d[p]!) * s + 190 * g * (1 - s));
    d[p + 1] = clamp(d[p + 1]! + (236 - d[p + 1]!) * s + 140 * g * (1 - s));
    d[p + 2] = clamp(d[p + 2]! + (170 - d[p + 2]!) * s + 60 * g * (1 - s));
  }
};
