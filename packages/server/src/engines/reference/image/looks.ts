// Finishing looks built from classical operations: manga (ink edges + halftone screentone), pencil sketch,
// watercolour, monochrome, oil painting, pixel art, neon and vintage photo. Each keeps the picture's
// composition. Pure, in-memory, deterministic (noise comes from a position hash, never from a random source).
import { blurPlane, dilate, hash2, sobel, type Plane } from './filters.js';
import { grow, growInto, halve, shrink, windowMean } from './resample.js';
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

/** Contrast stretch between the 2nd and 98th percentiles of a sample, in place. */
const stretch = (l: Plane): void => {
  const sample: number[] = [];
  for (let i = 0; i < l.data.length; i += 97) sample.push(l.data[i]!);
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(sample.length * 0.02)] ?? 0;
  const hi = sample[Math.floor(sample.length * 0.98)] ?? 1;
  const span = Math.max(0.05, hi - lo);
  for (let i = 0; i < l.data.length; i++) l.data[i] = Math.min(1, Math.max(0, (l.data[i]! - lo) / span));
};

/** A gentle hand wobble per row or column, so hatching is not ruled by a machine. */
const wobble = (n: number, period: number, phase: number): Float32Array => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++)
    out[i] =
      period *
      (0.22 * Math.sin(i / (period * 7.3) + phase) + 0.12 * Math.sin(i / (period * 2.9) + 2 * phase));
  return out;
};

/** Anti-aliased stroke of half-width `hw` at phase 0 of a `period`-wide repeat; `t` is the position. */
const stroke = (t: number, period: number, hw: number): number => {
  const m = t - Math.floor(t / period) * period;
  const dist = Math.min(m, period - m);
  return 1 - smoothstep(hw - 0.7, hw + 0.7, dist);
};

/** A [1 2 1]/4 blur each way (edges repeated): the lightest softening there is. */
const binomial = (p: Plane): Plane => {
  const { width: w, height: h, data: src } = p;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0, i = y * w; x < w; x++, i++)
      tmp[i] = 0.25 * (src[x > 0 ? i - 1 : i]! + 2 * src[i]! + src[x < w - 1 ? i + 1 : i]!);
  for (let y = 0; y < h; y++)
    for (let x = 0, i = y * w; x < w; x++, i++)
      out[i] = 0.25 * (tmp[y > 0 ? i - w : i]! + 2 * tmp[i]! + tmp[y < h - 1 ? i + w : i]!);
  return { width: w, height: h, data: out };
};

/**
 * Pencil sketch: graphite outlines and hatching on white paper. Light tones are bare paper; each darker
 * tone band adds a layer of strokes (diagonal, cross-diagonal, then upright), each stroke broken into
 * segments of varying pressure, with a faint smudge under the darkest areas.
 */
export const inkLook = (img: RawImage): void => {
  const { width: w, height: h } = img;
  const scale = Math.min(w, h) / 900;
  // Luma taken at half size, softened there by a [1 2 1] kernel and grown back: a quarter of the pixels.
  const l = grow(binomial(lumaOf(...halve(img))), 2, w, h);
  const ink = sobel(l);
  for (let i = 0; i < ink.data.length; i++) ink.data[i] = smoothstep(0.07, 0.154, ink.data[i]!);
  stretch(l);
  const period = Math.max(4, Math.round(Math.min(w, h) / 150));
  const seg = period * 7;
  const hw = Math.max(0.55, 0.45 * scale + 0.25);
  const wx = wobble(w, period, 0.7);
  const wy = wobble(h, period, 2.1);
  // Lighter overall than the source (a sketch leaves most of the page as paper): v^0.7, tabulated.
  const tone = new Float32Array(1025);
  for (let k = 0; k <= 1024; k++) tone[k] = Math.pow(k / 1024, 0.7);
  const d = img.data;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const v = tone[Math.round(l.data[i]! * 1024)]!;
      let keep = 1 - 0.12 * (1 - v) * (1 - v);
      if (v < 0.62) {
        const a = x + y + wy[y]!;
        const p = 0.5 + 0.5 * hash2(Math.floor(a / period), Math.floor((x - y) / seg), 5);
        keep *= 1 - 0.75 * p * stroke(a, period, hw) * (1 - smoothstep(0.44, 0.62, v));
        if (v < 0.4) {
          const b = x - y + wx[x]!;
          const q = 0.5 + 0.5 * hash2(Math.floor(b / period), Math.floor((x + y) / seg), 6);
          keep *= 1 - 0.75 * q * stroke(b + period / 2, period, hw) * (1 - smoothstep(0.24, 0.4, v));
          if (v < 0.22) {
            const r = 0.6 + 0.4 * hash2(Math.floor(x / period), Math.floor(y / seg), 8);
            keep *= 1 - 0.85 * r * stroke(x + wy[y]!, period, hw) * (1 - smoothstep(0.1, 0.22, v));
          }
        }
      }
      keep *= 1 - 0.95 * ink.data[i]!;
      const paper = 0.975 + 0.025 * hash2(x >> 1, y >> 1, 7);
      const p = i * 3;
      // Graphite (52, 54, 60) under paper (248, 246, 240).
      d[p] = 52 + (248 * paper - 52) * keep + 0.5;
      d[p + 1] = 54 + (246 * paper - 54) * keep + 0.5;
      d[p + 2] = 60 + (240 * paper - 60) * keep + 0.5;
    }
  }
};

/** Smooth noise in 0..1 with features about `cell` pixels wide, on a `w`×`h` grid. */
const valueNoise = (w: number, h: number, cell: number, seed: number): Float32Array => {
  const gw = Math.ceil(w / cell) + 1;
  const gh = Math.ceil(h / cell) + 1;
  const grid = new Float32Array(gw * gh);
  for (let y = 0, i = 0; y < gh; y++) for (let x = 0; x < gw; x++, i++) grid[i] = hash2(x, y, seed);
  // Softened lattice, rescaled to 0..1: no diamond-shaped seams from the bilinear steps.
  const soft = cell > 2 ? blurPlane({ width: gw, height: gh, data: grid }, 2).data : grid;
  let lo = 1;
  let hi = 0;
  for (const v of soft) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < soft.length; i++) soft[i] = (soft[i]! - lo) / Math.max(1e-3, hi - lo);
  return grow({ width: gw, height: gh, data: soft }, cell, w, h).data;
};

/**
 * Watercolour, worked at half size: soft washes (the colour spread wide, the picture's own detail laid
 * over at part strength), pigment that is thin overall but pools unevenly in blooms and dries darker at the
 * wash edges, fine granulation, and white paper with a cold-press grain where the picture is light.
 */
export const watercolorLook = (img: RawImage): void => {
  const [pr, pg, pb] = halve(img);
  const { width: w, height: h } = pr;
  const s = Math.min(w, h) / 576;
  const washes = [pr, pg, pb].map((p) => grow(blurPlane(shrink(p, 2), 3 * s), 2, w, h).data);
  const [wr, wg, wb] = washes as [Float32Array, Float32Array, Float32Array];
  // Wash edges, not texture: the rims follow the large shapes.
  const edge = sobel(
    lumaOf(...([wr, wg, wb].map((data) => ({ width: w, height: h, data })) as [Plane, Plane, Plane])),
  ).data;
  const big = valueNoise(w, h, Math.max(4, Math.round(36 * s)), 31);
  const small = valueNoise(w, h, Math.max(3, Math.round(13 * s)), 33);
  const paper = valueNoise(w, h, 2, 37);
  const planes = [pr, pg, pb];
  const wash = [wr, wg, wb];
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      // Pigment pools where the wash dried at an edge, and in slow blooms across the sheet.
      const rim = 1 + 0.4 * smoothstep(0.015, 0.06, edge[i]!);
      const dens = (0.52 + 0.28 * big[i]! + 0.14 * small[i]! + 0.08 * (hash2(x, y, 41) - 0.5)) * rim;
      const sheet = 0.985 - 0.04 * paper[i]!;
      for (let c = 0; c < 3; c++) {
        const p = planes[c]!.data;
        const v = 0.45 * wash[c]![i]! + 0.55 * p[i]!;
        const pigment = Math.min(1, (1 - v) * dens);
        p[i] = (1 - pigment) * sheet;
      }
    }
  }
  growInto(img, [pr, pg, pb], 2);
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

/** Rec. 709 luma of three planes. */
const lumaOf = (r: Plane, g: Plane, b: Plane): Plane => {
  const out = new Float32Array(r.data.length);
  for (let i = 0; i < out.length; i++)
    out[i] = 0.2126 * r.data[i]! + 0.7152 * g.data[i]! + 0.0722 * b.data[i]!;
  return { width: r.width, height: r.height, data: out };
};

/**
 * Stroke directions of a painting on a grid `f` times coarser than `l`: along the edges (the smoothed
 * structure tensor's minor axis), drifting slowly through a default slant where the picture is flat.
 * Returns cos and sin per coarse cell.
 */
const strokeField = (l: Plane, f: number): { cos: Float32Array; sin: Float32Array; width: number } => {
  const small = blurPlane(shrink(l, f), 1.5);
  const { width: w, height: h, data: s } = small;
  const jxx = new Float32Array(w * h);
  const jxy = new Float32Array(w * h);
  const jyy = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const gx = s[y * w + Math.min(w - 1, x + 1)]! - s[y * w + Math.max(0, x - 1)]!;
      const gy = s[Math.min(h - 1, y + 1) * w + x]! - s[Math.max(0, y - 1) * w + x]!;
      // Flat areas lean on a default slant that wanders with position, like a painter's wrist.
      const phi = 0.5 + 0.9 * (hash2(x >> 4, y >> 4, 13) - 0.5);
      const eps = 0.0004;
      const c = Math.cos(phi);
      const sn = Math.sin(phi);
      jxx[i] = gx * gx + eps * c * c;
      jxy[i] = gx * gy + eps * c * sn;
      jyy[i] = gy * gy + eps * sn * sn;
    }
  }
  const bxx = blurPlane({ width: w, height: h, data: jxx }, 3).data;
  const bxy = blurPlane({ width: w, height: h, data: jxy }, 3).data;
  const byy = blurPlane({ width: w, height: h, data: jyy }, 3).data;
  const cos = new Float32Array(w * h);
  const sin = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    // Gradient direction plus a quarter turn: strokes run along the contours.
    const a = 0.5 * Math.atan2(2 * bxy[i]!, bxx[i]! - byy[i]!) + Math.PI / 2;
    cos[i] = Math.cos(a);
    sin[i] = Math.sin(a);
  }
  return { cos, sin, width: w };
};

/**
 * Oil painting, worked at half size: a Kuwahara filter flattens the picture into brush patches while
 * keeping its edges (each pixel takes the mean of the least varied of its four neighbouring squares);
 * a brush texture — noise smeared along the stroke directions (line-integral convolution) — is lit from
 * the top left so the bristle ridges and the patch borders catch impasto highlights.
 */
export const oilLook = (img: RawImage): void => {
  const [pr, pg, pb] = halve(img);
  const { width: w, height: h } = pr;
  const n = Math.max(2, Math.round(Math.min(w, h) / 110));
  const r = n - 1;
  const l = lumaOf(pr, pg, pb);
  const l2 = new Float32Array(w * h);
  for (let i = 0; i < l2.length; i++) l2[i] = l.data[i]! * l.data[i]!;
  const ml = windowMean(l.data, w, h, n);
  const ml2 = windowMean(l2, w, h, n);
  const mr = windowMean(pr.data, w, h, n);
  const mg = windowMean(pg.data, w, h, n);
  const mb = windowMean(pb.data, w, h, n);
  const kr = pr.data;
  const kg = pg.data;
  const kb = pb.data;
  const kl = l.data;
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r) * w;
    const yb = y * w;
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r);
      // The least varied quadrant wins; its mean colour (and luma, for the relief) is the patch.
      let best = ya + xa;
      let bv = ml2[best]! - ml[best]! * ml[best]!;
      const q1 = ya + x;
      const v1 = ml2[q1]! - ml[q1]! * ml[q1]!;
      if (v1 < bv) {
        bv = v1;
        best = q1;
      }
      const q2 = yb + xa;
      const v2 = ml2[q2]! - ml[q2]! * ml[q2]!;
      if (v2 < bv) {
        bv = v2;
        best = q2;
      }
      const q3 = yb + x;
      if (ml2[q3]! - ml[q3]! * ml[q3]! < bv) best = q3;
      const i = yb + x;
      kr[i] = mr[best]!;
      kg[i] = mg[best]!;
      kb[i] = mb[best]!;
      kl[i] = ml[best]!;
    }
  }
  // Brush texture: white noise averaged along each stroke direction.
  const field = strokeField({ width: w, height: h, data: ml }, 2);
  const len = Math.max(3, Math.round(Math.min(w, h) / 150));
  const noise = new Float32Array(w * h);
  for (let y = 0, i = 0; y < h; y++) for (let x = 0; x < w; x++, i++) noise[i] = hash2(x, y, 17);
  const tex = new Float32Array(w * h);
  const norm = Math.sqrt(2 * len + 1) * 3.4;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const k = (y >> 1) * field.width + (x >> 1);
      const c = field.cos[k]!;
      const s = field.sin[k]!;
      let acc = 0;
      for (let t = -len; t <= len; t++) {
        const sx = Math.min(w - 1, Math.max(0, Math.floor(x + t * c + 0.5)));
        const sy = Math.min(h - 1, Math.max(0, Math.floor(y + t * s + 0.5)));
        acc += noise[sy * w + sx]!;
      }
      tex[i] = (acc / (2 * len + 1) - 0.5) * norm;
    }
  }
  const sat = 1.18;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const j = Math.max(0, y - 1) * w + Math.max(0, x - 1);
      const b = tex[i]!;
      // Light from the top left: a rise toward this pixel is lit, a fall is shaded.
      const relief = (b - tex[j]!) * 0.04 + (kl[i]! - kl[j]!) * 0.4;
      const hi = relief > 0 ? relief * 0.55 : relief * 0.35;
      const light = 1 + 0.05 * b;
      const lum = kl[i]!;
      kr[i] = (lum + (kr[i]! - lum) * sat) * light + hi;
      kg[i] = (lum + (kg[i]! - lum) * sat) * light + hi;
      kb[i] = (lum + (kb[i]! - lum) * sat) * light + hi;
    }
  }
  growInto(img, [pr, pg, pb], 2);
};

/** Cells on the long side of a pixel-art picture. */
export const PIXEL_CELLS = 144;
const PIXEL_PALETTE = 16;
const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/** Median cut of `n` RGB colours (0..255) into at most `k` box means. Deterministic (stable sorts). */
const medianCut = (cols: Float32Array, k: number): Float32Array => {
  const n = cols.length / 3;
  let boxes: number[][] = [Array.from({ length: n }, (_, i) => i)];
  const range = (box: number[]): [number, number] => {
    let best = 0;
    let ch = 0;
    for (let c = 0; c < 3; c++) {
      let lo = 255;
      let hi = 0;
      for (const i of box) {
        lo = Math.min(lo, cols[i * 3 + c]!);
        hi = Math.max(hi, cols[i * 3 + c]!);
      }
      if (hi - lo > best) {
        best = hi - lo;
        ch = c;
      }
    }
    return [best, ch];
  };
  while (boxes.length < k) {
    let pick = -1;
    let score = 0;
    let ch = 0;
    boxes.forEach((box, b) => {
      if (box.length < 2) return;
      const [rg, c] = range(box);
      const s = rg * Math.sqrt(box.length);
      if (s > score) {
        score = s;
        pick = b;
        ch = c;
      }
    });
    if (pick < 0) break;
    const box = boxes[pick]!.slice().sort((a, b) => cols[a * 3 + ch]! - cols[b * 3 + ch]! || a - b);
    const mid = box.length >> 1;
    boxes = [...boxes.slice(0, pick), box.slice(0, mid), box.slice(mid), ...boxes.slice(pick + 1)];
  }
  const pal = new Float32Array(boxes.length * 3);
  boxes.forEach((box, b) => {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (const i of box) s += cols[i * 3 + c]!;
      pal[b * 3 + c] = s / box.length;
    }
  });
  return pal;
};

const nearest = (pal: Float32Array, r: number, g: number, b: number): number => {
  let best = 0;
  let bd = Infinity;
  for (let k = 0; k < pal.length / 3; k++) {
    const dr = r - pal[k * 3]!;
    const dg = g - pal[k * 3 + 1]!;
    const db = b - pal[k * 3 + 2]!;
    const dd = dr * dr + dg * dg + db * db;
    if (dd < bd) {
      bd = dd;
      best = k;
    }
  }
  return best;
};

/**
 * Pixel art: the picture averaged onto a coarse grid (~144 cells on the long side), a little more vivid,
 * reduced to a 16-colour palette of its own (median cut refined by k-means) with a light ordered dither,
 * and blown back up with hard edges: every cell is one flat colour.
 */
export const pixelArtLook = (img: RawImage): void => {
  const { width: w, height: h, data: d } = img;
  const cell = Math.max(2, Math.round(Math.max(w, h) / PIXEL_CELLS));
  const cw = Math.ceil(w / cell);
  const ch = Math.ceil(h / cell);
  const colOf = new Int32Array(w);
  for (let x = 0; x < w; x++) colOf[x] = Math.floor(x / cell);
  const sum = new Float64Array(cw * ch * 3);
  const cnt = new Float64Array(cw * ch);
  for (let y = 0, p = 0; y < h; y++) {
    const row = Math.floor(y / cell) * cw;
    for (let x = 0; x < w; x++, p += 3) {
      const c = row + colOf[x]!;
      sum[c * 3] = sum[c * 3]! + d[p]!;
      sum[c * 3 + 1] = sum[c * 3 + 1]! + d[p + 1]!;
      sum[c * 3 + 2] = sum[c * 3 + 2]! + d[p + 2]!;
      cnt[c] = cnt[c]! + 1;
    }
  }
  const cols = new Float32Array(cw * ch * 3);
  for (let c = 0; c < cw * ch; c++) {
    const r = sum[c * 3]! / cnt[c]!;
    const g = sum[c * 3 + 1]! / cnt[c]!;
    const b = sum[c * 3 + 2]! / cnt[c]!;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    // More saturated and contrasty: game palettes are bold.
    const yc = 128 + (y - 128) * 1.1;
    cols[c * 3] = Math.min(255, Math.max(0, yc + (r - y) * 1.3));
    cols[c * 3 + 1] = Math.min(255, Math.max(0, yc + (g - y) * 1.3));
    cols[c * 3 + 2] = Math.min(255, Math.max(0, yc + (b - y) * 1.3));
  }
  const pal = medianCut(cols, PIXEL_PALETTE);
  const k = pal.length / 3;
  for (let iter = 0; iter < 4; iter++) {
    const acc = new Float64Array(k * 4);
    for (let c = 0; c < cw * ch; c++) {
      const q = nearest(pal, cols[c * 3]!, cols[c * 3 + 1]!, cols[c * 3 + 2]!);
      acc[q * 4] = acc[q * 4]! + cols[c * 3]!;
      acc[q * 4 + 1] = acc[q * 4 + 1]! + cols[c * 3 + 1]!;
      acc[q * 4 + 2] = acc[q * 4 + 2]! + cols[c * 3 + 2]!;
      acc[q * 4 + 3] = acc[q * 4 + 3]! + 1;
    }
    for (let q = 0; q < k; q++)
      if (acc[q * 4 + 3]! > 0) for (let c = 0; c < 3; c++) pal[q * 3 + c] = acc[q * 4 + c]! / acc[q * 4 + 3]!;
  }
  const out = new Uint8Array(cw * ch * 3);
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const c = cy * cw + cx;
      const t = ((BAYER4[(cy & 3) * 4 + (cx & 3)]! + 0.5) / 16 - 0.5) * 18;
      const q = nearest(pal, cols[c * 3]! + t, cols[c * 3 + 1]! + t, cols[c * 3 + 2]! + t);
      for (let j = 0; j < 3; j++) out[c * 3 + j] = Math.round(pal[q * 3 + j]!);
    }
  }
  for (let y = 0, p = 0; y < h; y++) {
    const row = Math.floor(y / cell) * cw;
    for (let x = 0; x < w; x++, p += 3) {
      const c = (row + colOf[x]!) * 3;
      d[p] = out[c]!;
      d[p + 1] = out[c + 1]!;
      d[p + 2] = out[c + 2]!;
    }
  }
};

/**
 * Neon, drawn at half size: the picture's edges become tubes of fully saturated light (the edge's own hue
 * leaning toward a magenta-to-cyan gradient, all gradient where the picture is grey) with a soft-kneed
 * two-radius bloom, over a near-black ground that keeps only a trace of the original.
 */
export const neonLook = (img: RawImage): void => {
  const [pr, pg, pb] = halve(img);
  const { width: w, height: h } = pr;
  const s = Math.min(img.width, img.height) / 700;
  const e = sobel(blurPlane(lumaOf(pr, pg, pb), Math.max(1, s * 0.8))).data;
  const tubes = [0, 1, 2].map(() => ({ width: w, height: h, data: new Float32Array(w * h) }));
  const [tr, tg, tb] = tubes as [Plane, Plane, Plane];
  for (let y = 0, i = 0; y < h; y++) {
    const u = y / h;
    for (let x = 0; x < w; x++, i++) {
      const k = smoothstep(0.06, 0.2, e[i]!);
      if (k === 0) continue;
      const r = pr.data[i]!;
      const g = pg.data[i]!;
      const b = pb.data[i]!;
      const mx = Math.max(r, g, b);
      const mn = Math.min(r, g, b);
      // Saturated edges keep most of their own hue; the rest of the tube is the synthwave gradient.
      const t = mx > 0 ? 0.65 * smoothstep(0.12, 0.35, (mx - mn) / mx) : 0;
      const span = Math.max(1e-3, mx - mn);
      // The gradient: hot magenta at the top fading to electric cyan at the bottom.
      const cr = (1 - t) * (1 - 0.9 * u) + (t * (r - mn)) / span;
      const cg = (1 - t) * (0.12 + 0.73 * u) + (t * (g - mn)) / span;
      const cb = (1 - t) * (0.85 + 0.15 * u) + (t * (b - mn)) / span;
      // Back to full saturation: a mix of two hues is a third hue, never a grey tube.
      const hi = Math.max(cr, cg, cb);
      const lo = Math.min(cr, cg, cb);
      const q = k / Math.max(1e-3, hi - lo);
      tr.data[i] = (cr - lo) * q;
      tg.data[i] = (cg - lo) * q;
      tb.data[i] = (cb - lo) * q;
    }
  }
  // Bloom on a grid four times coarser again: a tight halo and a wide one.
  const f = 4;
  for (const tube of tubes) {
    const small = shrink(tube, f);
    const near = blurPlane(small, (5 * s) / (2 * f)).data;
    const far = blurPlane(small, (22 * s) / (2 * f)).data;
    // Soft knee: a thicket of edges (glints on water) glows, but does not fuse into one blot.
    for (let i = 0; i < small.data.length; i++) {
      const g = 1.8 * near[i]! + 1.6 * far[i]!;
      small.data[i] = (1.4 * g) / (1 + g);
    }
    const halo = grow(small, f, w, h).data;
    for (let i = 0; i < halo.length; i++) tube.data[i] = tube.data[i]! + halo[i]!;
  }
  // Light brighter than white keeps its hue (scaled, not clipped per channel): the tubes stay coloured.
  for (let i = 0; i < w * h; i++) {
    const m = Math.max(tr.data[i]!, tg.data[i]!, tb.data[i]!);
    if (m <= 1) continue;
    tr.data[i] = tr.data[i]! / m;
    tg.data[i] = tg.data[i]! / m;
    tb.data[i] = tb.data[i]! / m;
  }
  // A trace of the scene, cooled toward violet, so the dark keeps its shapes.
  growInto(img, [tr, tg, tb], 2, { mul: [0.06, 0.05, 0.09], add: [0.012, 0.004, 0.03] });
};

/**
 * Vintage photo: soft focus, colour drained to a sepia tone with lifted, milky blacks and rolled-off
 * whites, a warm cast, a vignette and film grain.
 */
export const vintageLook = (img: RawImage): void => {
  const { width: w, height: h, data: d } = img;
  const s = Math.min(w, h) / 700;
  const [pr, pg, pb] = halve(img);
  const soft = grow(blurPlane(lumaOf(pr, pg, pb), 0.9 * s), 2, w, h).data;
  // A clamped view rounds and clips on assignment.
  const out = new Uint8ClampedArray(d.buffer, d.byteOffset, d.length);
  const cx = w / 2;
  const cy = h / 2;
  const inv = 1 / (cx * cx + cy * cy);
  const dx2 = Float32Array.from({ length: w }, (_, x) => (x - cx) * (x - cx) * inv);
  // Vignette by squared radius (0 at the centre, 1 in the corners), tabulated.
  const vig = Float32Array.from({ length: 1025 }, (_, k) => 1 - 0.5 * Math.pow(k / 1024, 1.5));
  const grainCell = s > 1.5 ? 1 : 0;
  const k = 0.15;
  for (let y = 0, i = 0; y < h; y++) {
    const dy2 = (y - cy) * (y - cy) * inv;
    for (let x = 0, p = i * 3; x < w; x++, i++, p += 3) {
      const r = d[p]!;
      const g = d[p + 1]!;
      const b = d[p + 2]!;
      const l0 = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      const v = 0.35 * l0 + 0.65 * soft[i]!;
      // Faded print: blacks lifted to ~0.1, whites held below ~0.9.
      const t = 0.1 + 0.8 * (v + 0.25 * v * (1 - v) * (2 * v - 1));
      const m = vig[((dx2[x]! + dy2) * 1024) | 0]! * 255;
      const grain = (hash2(x >> grainCell, y >> grainCell, 23) - 0.5) * 0.07 * 255;
      // A little of the original colour survives, as in a faded print.
      out[p] = (t * 1.08 + 0.025 + (r / 255 - l0) * k) * m + grain;
      out[p + 1] = (t * 0.95 + 0.012 + (g / 255 - l0) * k) * m + grain;
      out[p + 2] = (t * 0.76 + 0.02 + (b / 255 - l0) * k) * m + grain;
    }
  }
};
