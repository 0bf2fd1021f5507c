// Scene colours: a base palette per time of day, bent by colour words and by colours taken from
// reference images. Pure.
import { hex, labToRgb, mix, rgbToLab, type Rgb } from '../../../media/color.js';
import { COLOR_WORDS, type Scene, type TimeOfDay } from './scene.js';
import type { ColourKey, Palette } from './palette-types.js';
import { applyTints, globalWords, snowColour } from './tints.js';

export type { ColourKey, Palette } from './palette-types.js';

type P = Record<ColourKey, string>;

const BASE: Record<TimeOfDay, P> = {
  dawn: {
    skyTop: '#46598f',
    skyMid: '#c592a8',
    skyHorizon: '#ffd2b0',
    glow: '#ffc59a',
    sun: '#fff3dc',
    cloudLit: '#ffc9b5',
    cloudShade: '#7d6f98',
    far: '#9a8fb0',
    near: '#2c2a45',
    ground: '#4a5a4a',
    water: '#6f7fa8',
    haze: '#e8c0c0',
    lights: '#ffd9a0',
  },
  day: {
    skyTop: '#2f6cc0',
    skyMid: '#6fa8e0',
    skyHorizon: '#cfe5f4',
    glow: '#fffbe8',
    sun: '#ffffff',
    cloudLit: '#ffffff',
    cloudShade: '#a9b8cc',
    far: '#8ea8c4',
    near: '#26402f',
    ground: '#4d7a3a',
    water: '#3c78b0',
    haze: '#d8e8f2',
    lights: '#f4f0d8',
  },
  golden: {
    skyTop: '#3f6aa6',
    skyMid: '#d9b07a',
    skyHorizon: '#ffdca0',
    glow: '#ffd68a',
    sun: '#fff4d0',
    cloudLit: '#ffe2b0',
    cloudShade: '#a88a88',
    far: '#b09080',
    near: '#3a2e28',
    ground: '#7a7a34',
    water: '#5a7a98',
    haze: '#f4d8a8',
    lights: '#ffe0a0',
  },
  sunset: {
    skyTop: '#232a5c',
    skyMid: '#b4507a',
    skyHorizon: '#ff9650',
    glow: '#ffb060',
    sun: '#ffe6b0',
    cloudLit: '#ff9a78',
    cloudShade: '#5a3a68',
    far: '#7a4f7e',
    near: '#1c1628',
    ground: '#3a2a30',
    water: '#5a3f6e',
    haze: '#e8907a',
    lights: '#ffc070',
  },
  dusk: {
    skyTop: '#0e1638',
    skyMid: '#3c3874',
    skyHorizon: '#d0786e',
    glow: '#e88a6a',
    sun: '#ffd0a0',
    cloudLit: '#b07090',
    cloudShade: '#2a2448',
    far: '#4a406e',
    near: '#120f22',
    ground: '#221c30',
    water: '#2a2850',
    haze: '#8a6a8a',
    lights: '#ffc070',
  },
  night: {
    skyTop: '#03060f',
    skyMid: '#0b1530',
    skyHorizon: '#1f3358',
    glow: '#9fb8e8',
    sun: '#f4f1e6',
    cloudLit: '#4a5a80',
    cloudShade: '#0c1224',
    far: '#1c2a48',
    near: '#05080f',
    ground: '#0c1418',
    water: '#0d1a30',
    haze: '#2a3a5a',
    lights: '#ffc46a',
  },
};

const KEYS = Object.keys(BASE.day) as ColourKey[];

/** Keeps a colour's lightness and moves its chroma toward `target`'s by `t`. */
const tintLab = (c: Rgb, target: Rgb, t: number): Rgb => {
  const a = rgbToLab(c);
  const b = rgbToLab(target);
  return labToRgb([a[0] + (b[0] - a[0]) * t * 0.25, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]);
};

const c255 = (v: number): number => Math.min(255, Math.max(0, v));
const clamp = (c: Rgb): Rgb => [c255(c[0]), c255(c[1]), c255(c[2])];

const luma = (c: Rgb): number => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];

/**
 * Builds the palette. Colour words bound to an element colour that element (see tints.ts); the
 * rest tint the whole scene (first word strongest); `refColors`
 * (dominant colours of the reference images, by weight) replace the hues: light references colour
 * the sky, dark ones the land, so a scene painted from a reference "borrows its light".
 */
export const buildPalette = (scene: Scene, refColors: readonly Rgb[] = []): Palette => {
  const base = BASE[scene.time];
  const out = {} as Record<ColourKey, Rgb>;
  for (const k of KEYS) out[k] = hex(base[k]);
  if (scene.weather === 'storm' || scene.weather === 'rain' || scene.weather === 'cloudy') {
    const grey = hex(scene.time === 'night' ? '#1a1e28' : '#7a8290');
    for (const k of ['skyTop', 'skyMid', 'skyHorizon', 'cloudLit', 'glow'] as const) {
      out[k] = mix(out[k], grey, scene.weather === 'cloudy' ? 0.3 : 0.55);
    }
  }
  if (scene.terrain === 'dunes') {
    out.ground = mix(out.ground, hex('#d8a468'), 0.7);
    out.near = mix(out.near, hex('#8a5a3a'), 0.5);
    out.far = mix(out.far, hex('#e0b88a'), 0.3);
  }
  if (scene.snowCover) {
    out.ground = mix(out.ground, hex('#e8eef6'), 0.75);
    out.near = mix(out.near, hex('#9aa8bc'), 0.4);
  }
  globalWords(scene).forEach((word, i) => {
    const c = COLOR_WORDS[word];
    if (!c) return;
    const t = 0.55 / (i + 1);
    for (const k of KEYS) if (k !== 'sun' && k !== 'lights') out[k] = tintLab(out[k], hex(c), t);
  });
  const extras = applyTints(scene, out);
  if (refColors.length > 0) {
    const byLuma = [...refColors].sort((a, b) => luma(b) - luma(a));
    const light = byLuma[0]!;
    const mid = byLuma[Math.floor(byLuma.length / 2)]!;
    const dark = byLuma[byLuma.length - 1]!;
    const dominant = refColors[0]!;
    const plan: [ColourKey, Rgb][] = [
      ['skyTop', mid],
      ['skyMid', dominant],
      ['skyHorizon', light],
      ['glow', light],
      ['cloudLit', light],
      ['cloudShade', mid],
      ['far', mid],
      ['near', dark],
      ['ground', dark],
      ['water', mid],
      ['haze', light],
    ];
    for (const [k, c] of plan) out[k] = tintLab(mix(out[k], c, 0.35), c, 0.8);
  }
  for (const k of KEYS) out[k] = clamp(out[k]);
  return { ...out, ...extras, snow: clamp(snowColour(scene.time, out.glow)) };
};
