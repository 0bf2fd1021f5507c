// Edits that name a subject: "add a dog" draws one into the source, standing on its ground; "make the car
// red" finds the car Umbra drew (by the colours of its art) and repaints it. Pure planning and pixel work;
// the overlay is rasterised by the caller.
import { hex, rgbToLab, type Lab } from '../../../media/color.js';
import { luminance, type RawImage } from '../../../media/raw-image.js';
import { paintColour } from '../scene/colour-words.js';
import { AIRBORNE, placeArt, type Figure } from '../scene/figures.js';
import type { LexiconEntry } from '../scene/lexicon.js';
import { fromHsl, grade, hsl, iconBody, recolour, silhouette } from '../scene/subject-art.js';
import type { Mention } from '../scene/subject-words.js';
import { n, op } from '../scene/svg.js';
import { findHorizon } from './weather.js';

/** Where an added subject goes in an image: on its ground, at the third away from the image's weight. */
export const placeAdded = (img: RawImage, mention: Mention, seed: number): Figure => {
  const { width: w, height: h } = img;
  const horizon = findHorizon(img);
  const l = luminance(img);
  // Of the photographer's positions, the one where the picture is calmest, so the subject covers nothing.
  const busy = (cx: number): number => {
    let e = 0;
    const x0 = Math.max(1, Math.round(cx - w * 0.1));
    const x1 = Math.min(w - 1, Math.round(cx + w * 0.1));
    for (let y = Math.max(0, horizon - Math.round(h * 0.1)); y < h; y += 2)
      for (let x = x0; x < x1; x += 2) e += Math.abs(l[y * w + x]! - l[y * w + x - 1]!);
    return e;
  };
  const spots = [2 / 3, 1 / 3, 1 / 2, 3 / 4, 1 / 4].map((f) => w * f);
  const x = spots.reduce((a, b) => (busy(b) < busy(a) * 0.8 ? b : a)) + (((seed % 7) - 3) / 100) * w;
  const airborne = AIRBORNE.has(mention.entry.kind);
  const size =
    h * (airborne ? 0.24 : 0.36) * (mention.size === 'big' ? 1.3 : mention.size === 'small' ? 0.7 : 1);
  const base = airborne ? h * 0.32 + size * 0.5 : Math.min(h * 0.97, horizon + (h - horizon) * 0.62);
  return {
    mention: 0,
    layer: 0,
    icon: mention.entry.icon.startsWith('builtin:') ? 'lighthouse' : mention.entry.icon,
    x,
    base: Math.max(base, size + h * 0.02),
    size,
    flip: false,
    airborne,
    onWater: false,
    color: mention.color,
  };
};

/** The overlay that adds `fig` to an image whose mean light is `meanLuma` (0..1): shadow, then the art. */
export const addedOverlay = (fig: Figure, width: number, height: number, meanLuma: number): string => {
  let body = iconBody(fig.icon, 'add');
  if (fig.color) body = recolour(body, fig.color);
  // Lit like the picture it joins: a dark picture dims the art, as its light would.
  const strength = Math.min(1, Math.max(0.35, meanLuma / 0.5));
  body = grade(body, [255, 250, 240], strength, 0.6);
  let out = '';
  if (!fig.airborne) {
    out += `<ellipse cx="${n(fig.x)}" cy="${n(fig.base - fig.size * 0.03)}" rx="${n(fig.size * 0.34)}" ry="${n(fig.size * 0.045)}" fill="#000" opacity="${op(0.4 * strength)}"/>`;
    const b = fig.base - fig.size * 0.03;
    out += `<g opacity="${op(0.3 * strength)}" transform="matrix(1 0 -0.6 0.22 ${n(0.6 * b)} ${n(b * 0.78)})">${placeArt(fig, silhouette(iconBody(fig.icon, 'adds')))}</g>`;
  }
  out += placeArt(fig, body);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${out}</svg>`;
};

/** The added subject alone, white on transparent: its mask. */
export const addedMask = (fig: Figure, width: number, height: number): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="#000"/>${placeArt(fig, silhouette(iconBody(fig.icon, 'm'), '#ffffff'))}</svg>`;

const artColours = (icon: string): Lab[] => {
  const seen = new Set<string>();
  for (const m of iconBody(icon, 'c').matchAll(/(?:fill|stop-color)="(#[0-9a-fA-F]{6})"/g))
    seen.add(m[1]!.toLowerCase());
  return [...seen].map((c) => rgbToLab(hex(c)));
};

/**
 * Pixels that belong to `entry` as Umbra draws it: close in colour to its art (lightness counts less, as the
 * scene's grade shifts it). Of the connected regions, the subject is the one that holds the most of the
 * art's distinct colours in a compact shape (a sky the colour of a wall holds one colour and fills the
 * frame); regions overlapping its box join it.
 */
export const findSubject = (img: RawImage, entry: LexiconEntry): Uint8Array => {
  const { width: w, height: h, data: d } = img;
  const colours = artColours(entry.icon).filter((c) => c[0] > 8 && c[0] < 97);
  const which = new Int16Array(w * h).fill(-1);
  for (let i = 0, p = 0; i < w * h; i++, p += 3) {
    const [L, A, B] = rgbToLab([d[p]!, d[p + 1]!, d[p + 2]!]);
    for (let k = 0; k < colours.length; k++) {
      const c = colours[k]!;
      const dl = (L - c[0]) * 0.35;
      const da = A - c[1];
      const db = B - c[2];
      if (dl * dl + da * da + db * db < 12 * 12) {
        which[i] = k;
        break;
      }
    }
  }
  // Regions of one art colour each; a sky the colour of a wall is one region too large to be a thing.
  const label = new Int32Array(w * h);
  const regions: { size: number; x0: number; y0: number; x1: number; y1: number; kind: number }[] = [
    { size: 0, x0: 0, y0: 0, x1: 0, y1: 0, kind: -1 },
  ];
  const stack: number[] = [];
  for (let i = 0; i < w * h; i++) {
    if (which[i]! < 0 || label[i]) continue;
    const kind = which[i]!;
    const id = regions.length;
    const r = { size: 0, x0: w, y0: h, x1: 0, y1: 0, kind };
    stack.push(i);
    label[i] = id;
    while (stack.length) {
      const j = stack.pop()!;
      const x = j % w;
      const y = (j - x) / w;
      r.size++;
      r.x0 = Math.min(r.x0, x);
      r.x1 = Math.max(r.x1, x);
      r.y0 = Math.min(r.y0, y);
      r.y1 = Math.max(r.y1, y);
      for (const k of [x > 0 ? j - 1 : -1, x < w - 1 ? j + 1 : -1, j - w, j + w])
        if (k >= 0 && k < w * h && which[k] === kind && !label[k]) {
          label[k] = id;
          stack.push(k);
        }
    }
    regions.push(r);
  }
  const thing = (r: (typeof regions)[number]): boolean => {
    const bw = r.x1 - r.x0 + 1;
    const bh = r.y1 - r.y0 + 1;
    return (
      r.size >= (w * h) / 20000 &&
      bw * bh < w * h * 0.2 &&
      bw < w * 0.5 &&
      bw <= bh * 3.2 &&
      bh <= bw * 6 &&
      r.size >= bw * bh * 0.3
    );
  };
  // Touching pieces of different colours make one thing (a roof on a wall, a window in it).
  const parent = regions.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const kept = regions.map((r, i) => i > 0 && thing(r));
  for (let i = 0; i < w * h; i++) {
    const a = label[i]!;
    if (!a || !kept[a]) continue;
    const right = i % w < w - 1 ? label[i + 1]! : 0;
    const down = i + w < w * h ? label[i + w]! : 0;
    if (right && right !== a && kept[right]) parent[find(right)] = find(a);
    if (down && down !== a && kept[down]) parent[find(down)] = find(a);
  }
  const clusters = new Map<
    number,
    { size: number; kinds: Set<number>; x0: number; y0: number; x1: number; y1: number }
  >();
  regions.forEach((r, i) => {
    if (!kept[i]) return;
    const root = find(i);
    const c = clusters.get(root) ?? { size: 0, kinds: new Set<number>(), x0: w, y0: h, x1: 0, y1: 0 };
    c.size += r.size;
    if (r.size >= (w * h) / 8000) c.kinds.add(r.kind);
    c.x0 = Math.min(c.x0, r.x0);
    c.y0 = Math.min(c.y0, r.y0);
    c.x1 = Math.max(c.x1, r.x1);
    c.y1 = Math.max(c.y1, r.y1);
    clusters.set(root, c);
  });
  let best = -1;
  let bestScore = 0;
  for (const [root, c] of clusters) {
    const boxArea = (c.x1 - c.x0 + 1) * (c.y1 - c.y0 + 1);
    if (c.size < (w * h) / 4000 || boxArea > w * h * 0.3) continue;
    // The art's many colours together in a compact shape: that is the thing Umbra drew.
    const score = c.kinds.size * 1e9 + c.size;
    if (score > bestScore) {
      bestScore = score;
      best = root;
    }
  }
  const out = new Uint8Array(w * h);
  if (best < 0) return out;
  for (let i = 0; i < w * h; i++) if (label[i] && kept[label[i]!] && find(label[i]!) === best) out[i] = 1;
  return out;
};

/** Repaints the masked pixels in the named colour, keeping their shading. Returns how many changed. */
export const repaint = (img: RawImage, mask: Uint8Array, word: string): number => {
  const target = paintColour(word);
  if (target === undefined) return 0;
  const [tr, tg, tb] = hex(target);
  const [th, ts, tl] = hsl([tr, tg, tb]);
  const d = img.data;
  let sumL = 0;
  let count = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      sumL += hsl([d[i * 3]!, d[i * 3 + 1]!, d[i * 3 + 2]!])[2];
      count++;
    }
  if (count === 0) return 0;
  const meanL = sumL / count;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const p = i * 3;
    const l = hsl([d[p]!, d[p + 1]!, d[p + 2]!])[2];
    const c = fromHsl(th, ts, Math.min(0.96, Math.max(0.04, l + (tl - meanL))));
    d[p] = c[0];
    d[p + 1] = c[1];
    d[p + 2] = c[2];
  }
  return count;
};
