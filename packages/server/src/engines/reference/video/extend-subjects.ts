// An extend keeps its subjects moving (issue 14 part 6). The engine is never told what the video it extends
// was asked for, so it draws the subjects its own prompt names as text-to-video would place them (facing
// either way) and looks for each drawing in the pinned frame; a subject found there is lifted out of the
// frame (its shadow with it), the hole it leaves is filled from the pixels around it, and it walks on the
// way it faces. Pure pixel work.
import { rgbToLab } from '../../../media/color.js';
import type { RawImage } from '../../../media/raw-image.js';
import type { Box } from './graph-layers.js';
import { boxPixels } from './raster.js';

/** Px the art's solid part is grown by when lifted (a found drawing may sit a pixel off). */
const GROW = 1;
/** Passes that relax a refilled hole toward its neighbours' mean. */
const SMOOTHING = 24;

/** Box-averages an image by a whole factor (the search does not need finer). */
export const shrink = (img: RawImage, k: number): RawImage => {
  if (k <= 1) return img;
  const w = Math.floor(img.width / k);
  const h = Math.floor(img.height / k);
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = 0; dy < k; dy++)
          for (let dx = 0; dx < k; dx++) s += img.data[((y * k + dy) * img.width + x * k + dx) * 3 + c]!;
        data[(y * w + x) * 3 + c] = Math.round(s / (k * k));
      }
  return { width: w, height: h, data };
};

/** Distance (chessboard, px) of every pixel to the nearest set pixel of `mask`, capped at `cap`. */
const distanceTo = (mask: Uint8Array, w: number, h: number, cap: number): Uint8Array => {
  const d = new Uint8Array(w * h).fill(cap);
  for (let i = 0; i < w * h; i++) if (mask[i]) d[i] = 0;
  for (let pass = 0; pass < cap; pass++) {
    let changed = false;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (d[i] !== pass) continue;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
            const j = yy * w + xx;
            if (d[j]! > pass + 1) {
              d[j] = pass + 1;
              changed = true;
            }
          }
      }
    if (!changed) break;
  }
  return d;
};

/**
 * Fills the pixels under `hole` from the pixels around it: each is the mean of the nearest pixels outside
 * the hole on its row and on its column, weighted by how near they are (a landscape's bands run across,
 * so a short horizontal span weighs most). In place.
 */
export const fillHole = (img: RawImage, hole: Uint8Array): void => {
  const { width: w, height: h, data } = img;
  const src = data.slice();
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!hole[i]) continue;
      const ends: { p: number; d: number }[] = [];
      let l = x - 1;
      while (l >= 0 && hole[y * w + l]) l--;
      let r = x + 1;
      while (r < w && hole[y * w + r]) r++;
      let u = y - 1;
      while (u >= 0 && hole[u * w + x]) u--;
      let b = y + 1;
      while (b < h && hole[b * w + x]) b++;
      if (l >= 0) ends.push({ p: y * w + l, d: x - l });
      if (r < w) ends.push({ p: y * w + r, d: r - x });
      // Rows weigh double: the ground's colour changes with height, hardly across.
      if (u >= 0) ends.push({ p: u * w + x, d: (y - u) * 2 });
      if (b < h) ends.push({ p: b * w + x, d: (b - y) * 2 });
      let sw = 0;
      const acc = [0, 0, 0];
      for (const e of ends) {
        const wt = 1 / (e.d * e.d);
        sw += wt;
        for (let c = 0; c < 3; c++) acc[c]! += src[e.p * 3 + c]! * wt;
      }
      if (sw > 0) for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(acc[c]! / sw);
    }
  // Then relaxed toward the mean of its neighbours, so the spans' ends do not show as streaks.
  for (let pass = 0; pass < SMOOTHING; pass++)
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        if (!hole[i]) continue;
        for (let c = 0; c < 3; c++)
          data[i * 3 + c] = Math.round(
            (data[(i - 1) * 3 + c]! +
              data[(i + 1) * 3 + c]! +
              data[(i - w) * 3 + c]! +
              data[(i + w) * 3 + c]!) /
              4,
          );
      }
};

/** A subject drawn as text-to-video draws it, trimmed to where it has pixels: RGBA, `width`×`height`. */
export interface Drawing {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Where a drawing matches a frame best: its top-left, px, and the share of its art's pixels that agree. */
export interface Match {
  x: number;
  y: number;
  score: number;
}

/** Colours agree when close in Lab, lightness counting less (the shot's light grade shifts it). */
const agree = (a: number[] | Float32Array, i: number, b: readonly number[]): boolean => {
  const dl = (a[i]! - b[0]!) * 0.35;
  const da = a[i + 1]! - b[1]!;
  const db = a[i + 2]! - b[2]!;
  return dl * dl + da * da + db * db < 12 * 12;
};

const labPlane = (img: RawImage): Float32Array => {
  const out = new Float32Array(img.width * img.height * 3);
  for (let i = 0, p = 0; i < img.width * img.height; i++, p += 3) {
    const [L, A, B] = rgbToLab([img.data[p]!, img.data[p + 1]!, img.data[p + 2]!]);
    out[p] = L;
    out[p + 1] = A;
    out[p + 2] = B;
  }
  return out;
};

/** The art's own pixels (fully opaque: a shadow or a reflection is half transparent) as Lab samples. */
const artSamples = (d: Drawing, k: number, step: number): { x: number; y: number; lab: number[] }[] => {
  const out: { x: number; y: number; lab: number[] }[] = [];
  for (let y = 0; y + k <= d.height; y += k * step)
    for (let x = 0; x + k <= d.width; x += k * step) {
      // A sample stands for a k×k block: every pixel of it must be art.
      let ok = true;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < k && ok; dy++)
        for (let dx = 0; dx < k; dx++) {
          const o = ((y + dy) * d.width + x + dx) * 4;
          if (d.rgba[o + 3]! < 250) {
            ok = false;
            break;
          }
          r += d.rgba[o]!;
          g += d.rgba[o + 1]!;
          b += d.rgba[o + 2]!;
        }
      if (!ok) continue;
      const n = k * k;
      out.push({ x: x / k, y: y / k, lab: [...rgbToLab([r / n, g / n, b / n])] });
    }
  return out;
};

/**
 * Finds a drawing in a frame: a coarse search over the whole frame at 1/k scale, then every position
 * around the best one at full scale. Score: the share of the art's pixels whose colour agrees.
 */
export const matchDrawing = (img: RawImage, d: Drawing): Match => {
  const k = Math.max(1, Math.ceil(Math.max(img.width, img.height) / 240));
  const small = shrink(img, k);
  const lab = labPlane(small);
  const coarse = artSamples(d, k, 2);
  let best = { x: 0, y: 0, score: -1 };
  const sw = small.width;
  const tw = Math.floor(d.width / k);
  const th = Math.floor(d.height / k);
  for (let y = 0; y + th <= small.height; y++)
    for (let x = 0; x + tw <= sw; x++) {
      let hit = 0;
      for (const s of coarse) if (agree(lab, ((y + s.y) * sw + x + s.x) * 3, s.lab)) hit++;
      if (hit > best.score) best = { x, y, score: hit };
    }
  if (coarse.length === 0 || best.score < 0) return { x: 0, y: 0, score: 0 };
  // Refine at full scale over the coarse cell and its neighbours, on the pixels of that neighbourhood only.
  const fine = artSamples(d, 1, 2);
  const x0 = Math.max(0, best.x * k - k);
  const y0 = Math.max(0, best.y * k - k);
  const x1 = Math.min(img.width - d.width, best.x * k + k);
  const y1 = Math.min(img.height - d.height, best.y * k + k);
  const around: Box = { x: x0, y: y0, width: x1 - x0 + d.width, height: y1 - y0 + d.height };
  const region: RawImage = {
    width: around.width,
    height: around.height,
    data: boxPixels(img.data, img.width, around, 3),
  };
  const rlab = labPlane(region);
  let top = { x: x0, y: y0, score: -1 };
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      let hit = 0;
      for (const s of fine) if (agree(rlab, ((y - y0 + s.y) * region.width + x - x0 + s.x) * 3, s.lab)) hit++;
      if (hit > top.score) top = { x, y, score: hit };
    }
  return { x: top.x, y: top.y, score: fine.length ? top.score / fine.length : 0 };
};

/** A subject's place on the frame: its box and how much of each pixel of it is the subject (0..255). */
export interface Matte {
  box: Box;
  alpha: Uint8Array;
}

/**
 * Where a found drawing covers the frame: its own coverage (anti-aliased edges, a half-transparent shadow
 * or reflection), with the art's solid part grown by {@link GROW} px to take up a pixel of misregistration.
 * Marks every pixel it touches in `hole`, to be refilled.
 */
export const matteOf = (img: RawImage, d: Drawing, at: { x: number; y: number }, hole: Uint8Array): Matte => {
  const { width: w, height: h } = img;
  const box: Box = {
    x: Math.max(0, at.x - GROW),
    y: Math.max(0, at.y - GROW),
    width: Math.min(w, at.x + d.width + GROW) - Math.max(0, at.x - GROW),
    height: Math.min(h, at.y + d.height + GROW) - Math.max(0, at.y - GROW),
  };
  const cover = new Uint8Array(box.width * box.height);
  const solid = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++)
    for (let x = 0; x < box.width; x++) {
      const dx = box.x + x - at.x;
      const dy = box.y + y - at.y;
      if (dx < 0 || dy < 0 || dx >= d.width || dy >= d.height) continue;
      const a = d.rgba[(dy * d.width + dx) * 4 + 3]!;
      cover[y * box.width + x] = a;
      if (a >= 250) solid[y * box.width + x] = 1;
    }
  const dist = distanceTo(solid, box.width, box.height, GROW + 1);
  const alpha = new Uint8Array(box.width * box.height);
  for (let i = 0; i < alpha.length; i++) {
    alpha[i] = dist[i]! <= GROW ? 255 : cover[i]! > 4 ? cover[i]! : 0;
    if (alpha[i]) hole[(box.y + Math.floor(i / box.width)) * w + box.x + (i % box.width)] = 1;
  }
  return { box, alpha };
};

/**
 * The subject's own colours under its matte, given the frame and the frame refilled without it: where it
 * covers a pixel only partly, the refill's share is taken out again, so the cutout laid over the refill in
 * place gives the frame back, and laid elsewhere carries an edge or a shadow, not its old ground. RGBA,
 * box-sized.
 */
export const cutout = (img: RawImage, refilled: RawImage, m: Matte): Uint8Array => {
  const { box, alpha } = m;
  const rgba = new Uint8Array(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++)
    for (let x = 0; x < box.width; x++) {
      const k = y * box.width + x;
      const a = alpha[k]!;
      if (!a) continue;
      const i = ((box.y + y) * img.width + box.x + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v =
          a === 255 ? img.data[i + c]! : (255 * img.data[i + c]! - (255 - a) * refilled.data[i + c]!) / a;
        rgba[k * 4 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
      rgba[k * 4 + 3] = a;
    }
  return rgba;
};
