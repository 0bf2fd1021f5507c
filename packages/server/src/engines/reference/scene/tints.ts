// Colours bound to scene elements ("green hills", "a purple sky", "a turquoise sea") painted into the
// palette, dimmed and desaturated by the time of day so a named colour still sits in plausible light. Pure.
import { labToRgb, mix, rgbToLab, type Lab, type Rgb } from '../../../media/color.js';
import type { Element, ElementTint } from './colour-words.js';
import type { ColourKey, Palette } from './palette-types.js';
import type { Scene, TimeOfDay } from './scene.js';

/** What the light leaves of a named colour: lightness and chroma scales, and how far an element's own lightness moves. */
const LIGHT: Record<TimeOfDay, { l: number; c: number; move: number }> = {
  day: { l: 1, c: 1, move: 0.75 },
  golden: { l: 0.92, c: 0.95, move: 0.6 },
  dawn: { l: 0.85, c: 0.85, move: 0.5 },
  sunset: { l: 0.72, c: 0.85, move: 0.42 },
  dusk: { l: 0.5, c: 0.7, move: 0.32 },
  night: { l: 0.3, c: 0.55, move: 0.25 },
};

/** Snow lightness by time of day; the glow warms it (alpenglow at sunset). */
const SNOW_L: Record<TimeOfDay, number> = { day: 96, golden: 94, dawn: 91, sunset: 88, dusk: 66, night: 44 };

/** The colour of lit snow. */
export const snowColour = (time: TimeOfDay, glow: Rgb): Rgb => {
  const warm = time === 'day' ? 0.1 : time === 'night' ? 0.15 : 0.26;
  const [, a, b] = rgbToLab(mix([246, 249, 255], glow, warm));
  return labToRgb([SNOW_L[time], a, b - (time === 'night' || time === 'dusk' ? 8 : 0)]);
};

/** A named colour as it appears under this light. */
const lit = (c: Rgb, time: TimeOfDay): Lab => {
  const [L, a, b] = rgbToLab(c);
  const k = LIGHT[time];
  return [L * k.l, a * k.c, b * k.c];
};

/** Shifts a Lab colour's lightness by `dl` and scales its chroma by `cs`. */
const shade = (lab: Lab, dl: number, cs: number): Lab => [
  Math.min(100, Math.max(0, lab[0] + dl)),
  lab[1] * cs,
  lab[2] * cs,
];

/** Moves `c` toward `target`: chroma by `w`, lightness by `w * move`. */
const paint = (c: Rgb, target: Lab, w: number, move: number): Rgb => {
  const a = rgbToLab(c);
  const L = a[0] + (target[0] - a[0]) * w * move;
  const A = a[1] + (target[1] - a[1]) * w;
  const B = a[2] + (target[2] - a[2]) * w;
  // Dark colours cannot carry much chroma without looking lit from inside: cap it by lightness.
  const k = Math.min(1, (8 + L * 1.05) / (Math.hypot(A, B) || 1));
  return labToRgb([L, A * k, B * k]);
};

/** Whether the scene draws the element a colour was bound to. */
const drawn = (scene: Scene, el: Element): boolean =>
  el === 'land'
    ? scene.terrain !== 'none'
    : el === 'water'
      ? scene.water
      : el === 'city'
        ? scene.city
        : el === 'foliage'
          ? scene.forest
          : true;

/** Colour words that tint the whole palette: unbound ones, and ones bound to something not drawn. */
export const globalWords = (scene: Scene): string[] => {
  const out = [...scene.looseColors];
  for (const t of scene.tints) if (!drawn(scene, t.element) && !out.includes(t.word)) out.push(t.word);
  return out.filter((w) => scene.colors.includes(w)).slice(0, 3);
};

/** [palette key, weight, lightness shift, chroma scale] for each element. */
type Plan = readonly [ColourKey, number, number, number][];

const warmTime = (t: TimeOfDay): boolean => t === 'sunset' || t === 'dawn' || t === 'golden' || t === 'dusk';

const plans = (time: TimeOfDay): Record<'sky' | 'glow' | 'land' | 'water', Plan> => ({
  // The horizon keeps more of the time's own light when the sun is low: a blue sky at sunset is
  // blue overhead and orange at the horizon.
  sky: [
    ['skyTop', 0.95, -8, 1.05],
    ['skyMid', 0.92, 4, 0.9],
    ['skyHorizon', warmTime(time) ? 0.3 : 0.7, 22, 0.55],
    ['cloudShade', 0.45, -12, 0.6],
    ['cloudLit', 0.2, 30, 0.3],
    ['haze', 0.2, 20, 0.5],
    ['glow', 0.35, 20, 0.6],
  ],
  glow: [
    ['skyHorizon', 1, 12, 1],
    ['glow', 0.8, 22, 0.9],
    ['skyMid', 0.55, 0, 0.9],
    ['cloudLit', 0.6, 15, 0.8],
    ['haze', 0.45, 12, 0.7],
    ['skyTop', 0.15, -20, 0.8],
    ['sun', 0.2, 40, 0.3],
  ],
  land: [
    ['near', 1, 0, 1],
    ['ground', 1, 4, 1],
    ['far', 0.55, 8, 0.7],
  ],
  water: [['water', 1, 0, 1]],
});

const NEON: readonly Rgb[] = [
  [255, 60, 200],
  [40, 230, 255],
  [170, 90, 255],
];

/** Paints bound colours into `out` (in place) and returns the palette's element-only colours. */
export const applyTints = (
  scene: Scene,
  out: Record<ColourKey, Rgb>,
): Pick<Palette, 'foliage' | 'city' | 'cityRoofs' | 'neon' | 'waterOwn'> => {
  const extras: Pick<Palette, 'foliage' | 'city' | 'cityRoofs' | 'neon' | 'waterOwn'> = {
    foliage: null,
    city: null,
    cityRoofs: false,
    neon: [],
    waterOwn: 0,
  };
  const { time } = scene;
  const move = LIGHT[time].move;
  const all = plans(time);
  const dark = time === 'night' || time === 'dusk';
  for (const t of scene.tints as readonly ElementTint[]) {
    if (!drawn(scene, t.element)) continue;
    const target = lit(t.color, time);
    if (t.element === 'foliage') {
      extras.foliage = labToRgb(target);
    } else if (t.element === 'city') {
      if (t.word === 'neon' || dark) {
        // After dark a city's colour is its lights: bright, unlit by the sky.
        extras.neon = t.word === 'neon' ? [...NEON] : [t.color, mix(t.color, [255, 255, 255], 0.35)];
        const glow = t.word === 'neon' ? NEON[0]! : t.color;
        out.skyHorizon = mix(out.skyHorizon, glow, 0.3);
        out.haze = mix(out.haze, glow, 0.25);
      } else {
        extras.city = labToRgb(target);
        extras.cityRoofs = t.noun.startsWith('roof');
      }
    } else {
      if (t.element === 'water') extras.waterOwn = 0.7;
      const m = t.element === 'land' || t.element === 'water' ? move : Math.min(1, move + 0.2);
      for (const [k, w, dl, cs] of all[t.element]) out[k] = paint(out[k], shade(target, dl, cs), w, m);
    }
  }
  return extras;
};
