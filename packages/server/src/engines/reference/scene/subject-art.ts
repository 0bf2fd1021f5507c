// The art of a subject as SVG markup in a 32×32 box: Fluent Emoji Flat (MIT) read from its Iconify JSON
// package once per thread, recoloured for the prompt's colour word and graded for the scene's light.
import { createRequire } from 'node:module';
import { hex, mix, rgbToHsv, toHex, type Rgb } from '../../../media/color.js';
import { paintColour } from './colour-words.js';

/** The art's own box: every icon is drawn in `0 0 ART_BOX ART_BOX`. */
export const ART_BOX = 32;

interface IconSet {
  icons: Record<string, { body: string }>;
}

let set: IconSet | null = null;
const iconSet = (): IconSet => {
  // Loaded on first use: a render with no subjects never pays for the 9 MB of JSON.
  set ??= createRequire(import.meta.url)('@iconify-json/fluent-emoji-flat/icons.json') as IconSet;
  return set;
};

/** Whether the icon set has `name`. */
export const hasIcon = (name: string): boolean => iconSet().icons[name] !== undefined;

/** The icon's body; ids are prefixed with `uid` so that several copies can share one document. */
export const iconBody = (name: string, uid: string): string => {
  const body = iconSet().icons[name]?.body;
  if (body === undefined) throw new Error(`no art for ${name}`);
  return body.replace(/\bid="([^"]+)"/g, `id="${uid}$1"`).replace(/url\(#([^)]+)\)/g, `url(#${uid}$1)`);
};

const COLOUR_ATTR = /((?:fill|stroke|stop-color)=")(#[0-9a-fA-F]{3,6})"/g;

const expand = (c: string): string =>
  c.length === 4 ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c.toLowerCase();

/** Rewrites every colour in `body` through `f`. */
export const mapColours = (body: string, f: (c: Rgb) => Rgb): string =>
  body.replace(COLOUR_ATTR, (_m, attr: string, c: string) => `${attr}${toHex(f(hex(expand(c))))}"`);

/** Every colour of `body` painted black: the subject's silhouette, for shadows and masks. */
export const silhouette = (body: string, colour = '#000000'): string =>
  body
    .replace(/((?:fill|stroke)=")(#[0-9a-fA-F]{3,6}|url\([^)]*\))"/g, `$1${colour}"`)
    .replace(/(stop-color=")(#[0-9a-fA-F]{3,6})"/g, `$1${colour}"`)
    .replace(/\s(?:fill-|stroke-)?opacity="[^"]*"/g, '');

/** Hue (degrees), HSL saturation and lightness (0..1) of a colour. */
export const hsl = (c: Rgb): [number, number, number] => {
  const [h, s, v] = rgbToHsv(c);
  const l = v * (1 - s / 2);
  const sl = l === 0 || l === 1 ? 0 : (v - l) / Math.min(l, 1 - l);
  return [h, sl, l];
};

/** The colour of a hue, HSL saturation and lightness. */
export const fromHsl = (h: number, s: number, l: number): Rgb => {
  const k = (x: number): number => (x + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const ch = (x: number): number => Math.round(255 * (l - a * Math.max(-1, Math.min(k(x) - 3, 9 - k(x), 1))));
  return [ch(0), ch(8), ch(4)];
};

const hueDistance = (a: number, b: number): number => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

/**
 * Repaints the subject's main colour family (the hue covering the most of its shapes, weighted by path
 * length) in the named colour, keeping each shade's relative lightness: "a red fox", "a blue car".
 */
export const recolour = (body: string, word: string): string => {
  const target = paintColour(word);
  if (target === undefined) return body;
  const [th, ts, tl] = hsl(hex(target));
  const weights = new Map<string, number>();
  for (const m of body.matchAll(
    /<path[^>]*?fill="(#[0-9a-fA-F]{3,6})"[^>]*?d="([^"]*)"|<path[^>]*?d="([^"]*)"[^>]*?fill="(#[0-9a-fA-F]{3,6})"/g,
  )) {
    const c = expand(m[1] ?? m[4] ?? '#000');
    weights.set(c, (weights.get(c) ?? 0) + (m[2] ?? m[3] ?? '').length);
  }
  // The dominant chromatic hue, in 30° bins; an all-grey subject is recoloured by its lightest greys.
  const bins = new Array<number>(12).fill(0);
  for (const [c, wgt] of weights) {
    const [h, s, l] = hsl(hex(c));
    if (s > 0.25 && l > 0.12 && l < 0.92) bins[Math.floor(h / 30) % 12]! += wgt;
  }
  const best = bins.indexOf(Math.max(...bins));
  const chromatic = bins[best]! > 0;
  const mainHue = best * 30 + 15;
  let mainL = 0;
  let total = 0;
  for (const [c, wgt] of weights) {
    const [h, s, l] = hsl(hex(c));
    if (chromatic ? s > 0.2 && hueDistance(h, mainHue) <= 40 : s <= 0.25 && l > 0.35) {
      mainL += l * wgt;
      total += wgt;
    }
  }
  mainL = total > 0 ? mainL / total : 0.5;
  const greyTarget = ts < 0.15;
  return mapColours(body, (c) => {
    const [h, s, l] = hsl(c);
    const inFamily = chromatic ? s > 0.2 && hueDistance(h, mainHue) <= 40 : s <= 0.25 && l > 0.35;
    if (!inFamily) return c;
    const nl = Math.min(0.97, Math.max(0.03, l + (tl - mainL)));
    return fromHsl(th, greyTarget ? ts : Math.max(ts * 0.85, Math.min(1, s * 0.4 + ts * 0.6)), nl);
  });
};

/**
 * Grades the art into the scene's light: multiplied by the light's tint (warm at sunset, blue at night)
 * and dimmed by its strength, as the landscape is. `glow` colours (lit windows, flames) keep their own.
 */
export const grade = (body: string, tint: Rgb, strength: number, amount: number): string =>
  mapColours(body, (c) => {
    const lit: Rgb = [
      (c[0] * tint[0] * strength) / 255,
      (c[1] * tint[1] * strength) / 255,
      (c[2] * tint[2] * strength) / 255,
    ];
    return mix(c, lit, amount);
  });
