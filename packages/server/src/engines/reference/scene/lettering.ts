// Letters words into the picture as outlines: glyphs from a packaged font become one SVG path, so the
// rasteriser needs no system font (an SVG <text> would). Deterministic: the same text and box give the same
// path, and the fonts are read from npm packages, never from the machine.
import type { Font, Glyph, PathCommand } from 'opentype.js';
import { fontsFor, type Face } from './fonts.js';
import type { Lettering } from './lettering-words.js';
import type { TimeOfDay } from './scene.js';
import { n, op } from './svg.js';

/** A rectangle on the canvas. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How to set the text. */
export interface LetterOptions {
  face: Face;
  /** Allow a second line when the text has several words and two lines set it larger. */
  maxLines?: 1 | 2;
  /** Apply the font's kerning (default true). */
  kerning?: boolean;
}

/** The outline of the text: an SVG path `d` and the rectangle its outline points lie in. */
export interface LetterPath {
  d: string;
  bounds: Box;
  /** Pixels per em, for sizing outlines and shadows; 0 when nothing could be drawn. */
  em: number;
  lines: number;
}

/** Layout units per em: every font is laid out at this size, whatever its own units. */
const EM = 1000;
/** Baseline-to-baseline distance in ems. Bebas Neue is capitals only, so its lines sit closer. */
const PITCH: Record<Face, number> = { display: 0.92, serif: 1.12 };
/** Two lines must set the text this much larger than one to be used. */
const TWO_LINE_GAIN = 1.15;
/** Kept clear inside the box so rounding to 0.1 px never crosses it. */
const PAD = 0.5;

interface Ink {
  cmds: PathCommand[];
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The glyph for a character: from the first font that has it, else its undecorated letter, else none. */
const glyphFor = (fonts: readonly Font[], ch: string): { glyph: Glyph; font: Font } | null => {
  for (const candidate of [ch, ch.normalize('NFD').charAt(0)]) {
    for (const font of fonts) {
      const glyph = font.charToGlyph(candidate);
      if (glyph.index !== 0) return { glyph, font };
    }
  }
  return null;
};

const bbox = (cmds: readonly PathCommand[]): Omit<Ink, 'cmds'> => {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  const add = (x: number | undefined, y: number | undefined): void => {
    if (x === undefined || y === undefined) return;
    x1 = Math.min(x1, x);
    x2 = Math.max(x2, x);
    y1 = Math.min(y1, y);
    y2 = Math.max(y2, y);
  };
  for (const c of cmds) {
    add(c.x, c.y);
    add(c.x1, c.y1);
    add(c.x2, c.y2);
  }
  return { x1, y1, x2, y2 };
};

/** One line's outlines at {@link EM} units, baseline at y = 0, with kerning; characters no font has are skipped. */
const setLine = (fonts: readonly Font[], text: string, kerning = true): Ink | null => {
  const cmds: PathCommand[] = [];
  let pen = 0;
  let prev: { glyph: Glyph; font: Font } | null = null;
  for (const ch of Array.from(text)) {
    const hit = glyphFor(fonts, ch);
    if (!hit) continue;
    const k = EM / hit.font.unitsPerEm;
    if (kerning && prev && prev.font === hit.font) pen += hit.font.getKerningValue(prev.glyph, hit.glyph) * k;
    cmds.push(...hit.glyph.getPath(pen, 0, EM).commands);
    pen += (hit.glyph.advanceWidth ?? 0) * k;
    prev = hit;
  }
  const box = bbox(cmds);
  return Number.isFinite(box.x1) ? { cmds, ...box } : null;
};

/** Lines stacked and each centred on x = 0. */
const stack = (lines: readonly Ink[], pitch: number): Ink => {
  const cmds: PathCommand[] = [];
  lines.forEach((line, i) => {
    const dx = -(line.x1 + line.x2) / 2;
    const dy = i * pitch;
    for (const c of line.cmds) {
      const m: PathCommand = { type: c.type };
      if (c.x !== undefined && c.y !== undefined) [m.x, m.y] = [c.x + dx, c.y + dy];
      if (c.x1 !== undefined && c.y1 !== undefined) [m.x1, m.y1] = [c.x1 + dx, c.y1 + dy];
      if (c.x2 !== undefined && c.y2 !== undefined) [m.x2, m.y2] = [c.x2 + dx, c.y2 + dy];
      cmds.push(m);
    }
  });
  return { cmds, ...bbox(cmds) };
};

/** Two lines as even in width as the word breaks allow, or null for a single word. */
const twoLines = (fonts: readonly Font[], words: readonly string[], kerning: boolean): Ink[] | null => {
  let best: Ink[] | null = null;
  let bestWidth = Infinity;
  for (let i = 1; i < words.length; i++) {
    const a = setLine(fonts, words.slice(0, i).join(' '), kerning);
    const b = setLine(fonts, words.slice(i).join(' '), kerning);
    if (!a || !b) continue;
    const width = Math.max(a.x2 - a.x1, b.x2 - b.x1);
    if (width < bestWidth) [best, bestWidth] = [[a, b], width];
  }
  return best;
};

/** Lays `text` out centred in `box`, as large as fits, on one line or (when allowed and larger) two. */
export const letterPath = (text: string, box: Box, opts: LetterOptions): LetterPath => {
  const fonts = fontsFor(opts.face);
  const pitch = PITCH[opts.face] * EM;
  const scaleOf = (ink: Ink): number =>
    Math.max(
      0,
      Math.min((box.w - 2 * PAD) / (ink.x2 - ink.x1 || 1), (box.h - 2 * PAD) / (ink.y2 - ink.y1 || 1)),
    );
  const kerning = opts.kerning ?? true;
  const one = setLine(fonts, text, kerning);
  let ink = one && stack([one], pitch);
  let lines = 1;
  const words = text.split(' ').filter((w) => w.length > 0);
  if ((opts.maxLines ?? 1) > 1 && words.length > 1) {
    const split = twoLines(fonts, words, kerning);
    const two = split && stack(split, pitch);
    if (two && (!ink || scaleOf(two) > scaleOf(ink) * TWO_LINE_GAIN)) [ink, lines] = [two, 2];
  }
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  if (!ink) return { d: '', bounds: { x: cx, y: cy, w: 0, h: 0 }, em: 0, lines: 0 };
  const s = scaleOf(ink);
  const mx = (ink.x1 + ink.x2) / 2;
  const my = (ink.y1 + ink.y2) / 2;
  const X = (x: number): string => n(cx + (x - mx) * s);
  const Y = (y: number): string => n(cy + (y - my) * s);
  // Every glyph contour is closed (opentype.js leaves out the Z, which a stroke needs to join its ends).
  // Segments that end where they start are dropped: a wide stroke turns their undefined direction into a
  // notch (fonts repeat on-curve points, and rounding to 0.1 px makes more of them).
  let d = '';
  let at = '';
  for (const c of ink.cmds) {
    if (c.type === 'Z' || (c.type === 'M' && d !== '')) {
      if (!d.endsWith('Z')) d += 'Z';
      if (c.type === 'Z') continue;
    }
    const end = `${X(c.x!)} ${Y(c.y!)}`;
    if (c.type === 'C') d += `C${X(c.x1!)} ${Y(c.y1!)} ${X(c.x2!)} ${Y(c.y2!)} ${end}`;
    else if (c.type === 'Q') d += `Q${X(c.x1!)} ${Y(c.y1!)} ${end}`;
    else if (c.type === 'M' || end !== at) d += `${c.type}${end}`;
    at = end;
  }
  if (d !== '' && !d.endsWith('Z')) d += 'Z';
  const w = (ink.x2 - ink.x1) * s;
  const h = (ink.y2 - ink.y1) * s;
  return { d, bounds: { x: cx - w / 2, y: cy - h / 2, w, h }, em: EM * s, lines };
};

/** Where the words go and in which face: the box the text is fitted into. */
export interface LetteringPlace extends LetterOptions {
  box: Box;
}

/** Canvas size. */
interface Size {
  w: number;
  h: number;
}

/** The emblem disc of a logo: centred, a third of the short side in radius. */
const emblem = (f: Size): { cx: number; cy: number; r: number } => ({
  cx: f.w / 2,
  cy: f.h / 2,
  r: Math.min(f.w, f.h) * 0.34,
});

/** A sign panel hanging in the upper part of the scene. */
const panel = (f: Size): Box => {
  const w = f.w * 0.62;
  const h = Math.min(f.h * 0.2, w * 0.36);
  return { x: (f.w - w) / 2, y: f.h * 0.12, w, h };
};

/** A title band across the upper third. */
const band = (f: Size): Box => {
  const h = Math.min(f.h * 0.22, f.w * 0.17);
  return { x: 0, y: f.h * 0.06, w: f.w, h };
};

/** Where a lettering is set on a canvas of size `f`. */
export const placeLettering = (lettering: Lettering, f: Size): LetteringPlace => {
  switch (lettering.kind) {
    case 'logo': {
      const { cx, cy, r } = emblem(f);
      return {
        face: 'display',
        maxLines: 2,
        box: { x: cx - r * 0.8, y: cy - r * 0.3, w: r * 1.6, h: r * 0.6 },
      };
    }
    case 'sign': {
      const p = panel(f);
      return {
        face: 'display',
        maxLines: 2,
        box: { x: p.x + p.w * 0.07, y: p.y + p.h * 0.16, w: p.w * 0.86, h: p.h * 0.68 },
      };
    }
    case 'title': {
      const b = band(f);
      return {
        face: 'serif',
        maxLines: 2,
        box: { x: f.w * 0.08, y: b.y + b.h * 0.15, w: f.w * 0.84, h: b.h * 0.7 },
      };
    }
  }
};

const CREAM = '#fbf3dc';
const INK = '#17120d';
const NEON = '#ff3d9a';

/** Light letters over a dark outline and a soft drop shadow: they read on any background. */
const inkedText = (em: number): string => {
  const sw = Math.max(1, em * 0.035);
  const off = Math.max(1, em * 0.03);
  return (
    `<use href="#lt-text" transform="translate(${n(off)} ${n(off)})" fill="#000" fill-opacity=".45" stroke="#000" stroke-opacity=".45" stroke-width="${n(sw * 2)}" stroke-linejoin="round"/>` +
    `<use href="#lt-text" fill="${INK}" stroke="${INK}" stroke-width="${n(sw * 2)}" stroke-linejoin="round"/>` +
    `<use href="#lt-text" fill="${CREAM}"/>`
  );
};

/**
 * Glowing tubes: pale cores over widening, fading strokes of the tube colour. Stacked strokes instead of a
 * blur: librsvg's feGaussianBlur cost more than the whole rest of the lettering (about +140 ms a render).
 */
const neonText = (em: number): string => {
  const sw = Math.max(1, em * 0.03);
  const halo = ([width, opacity]: readonly [number, number]): string =>
    `<use href="#lt-text" fill="none" stroke="${NEON}" stroke-opacity="${op(opacity)}" stroke-width="${n(sw * width)}" stroke-linejoin="round"/>`;
  const halos: readonly (readonly [number, number])[] = [
    [11, 0.06],
    [8.5, 0.08],
    [6.5, 0.1],
    [4.5, 0.16],
    [3, 0.4],
  ];
  return (
    halos.map(halo).join('') +
    `<use href="#lt-text" fill="#fff0f7" stroke="${NEON}" stroke-width="${n(sw * 1.2)}" stroke-linejoin="round"/>`
  );
};

/** What carries the words (`text`, their outline's bounds): the emblem disc, the hanging panel or the darkened band. */
const carrier = (lettering: Lettering, f: Size, text: Box, night: boolean): string => {
  const m = Math.min(f.w, f.h);
  switch (lettering.kind) {
    case 'logo': {
      const { cx, cy, r } = emblem(f);
      const rule = (y: number): string => `M${n(cx - r * 0.5)} ${n(y)}H${n(cx + r * 0.5)}`;
      return (
        `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="#161a1f" fill-opacity=".92" stroke="${CREAM}" stroke-width="${n(m * 0.012)}"/>` +
        `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r * 0.88)}" fill="none" stroke="${CREAM}" stroke-opacity=".7" stroke-width="${n(m * 0.004)}"/>` +
        `<path d="${rule(cy - r * 0.42)}${rule(cy + r * 0.42)}" stroke="${CREAM}" stroke-opacity=".8" stroke-width="${n(m * 0.005)}"/>`
      );
    }
    case 'sign': {
      // The panel hugs short words instead of spanning its full width around them.
      const full = panel(f);
      const w = Math.min(full.w, Math.max(text.w + full.h * 0.6, full.h * 1.6));
      const p = { ...full, x: (f.w - w) / 2, w };
      const cord = (x: number): string => `M${n(x)} 0V${n(p.y)}`;
      return (
        `<path d="${cord(p.x + p.w * 0.15)}${cord(p.x + p.w * 0.85)}" stroke="#222" stroke-width="${n(Math.max(1, m * 0.006))}"/>` +
        `<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(p.w)}" height="${n(p.h)}" rx="${n(p.h * 0.1)}" fill="${night ? '#0c0b12' : '#2b1d13'}" stroke="${night ? '#2d2a3a' : '#c8a062'}" stroke-width="${n(p.h * 0.04)}"/>`
      );
    }
    case 'title': {
      const b = band(f);
      return (
        `<linearGradient id="lt-band" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-opacity="0"/><stop offset=".2" stop-opacity=".55"/><stop offset=".8" stop-opacity=".55"/><stop offset="1" stop-opacity="0"/></linearGradient>` +
        `<rect x="0" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" fill="url(#lt-band)"/>`
      );
    }
  }
};

/** A lettering as SVG markup on a `f`-sized canvas at `time` of day, or '' when there is none to draw. */
export const drawLettering = (lettering: Lettering | null, f: Size, time: TimeOfDay): string => {
  if (!lettering) return '';
  const place = placeLettering(lettering, f);
  const path = letterPath(lettering.text, place.box, place);
  if (!path.d) return '';
  // A sign after dark is neon; everything else is light letters inked on a dark carrier.
  const neon = lettering.kind === 'sign' && (time === 'night' || time === 'dusk');
  return (
    `<g>${carrier(lettering, f, path.bounds, neon)}<defs><path id="lt-text" d="${path.d}"/></defs>` +
    `${neon ? neonText(path.em) : inkedText(path.em)}</g>`
  );
};
