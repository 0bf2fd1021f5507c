// Colour words and the scene elements they name. "green hills under a blue sky" binds green to the land
// and blue to the sky; a colour word with no element nearby stays a global palette tint. Pure.
import { hex, labToRgb, rgbToLab, type Rgb } from '../../../media/color.js';

/**
 * Shades a thing can be painted in but a palette is not tinted by ("a black cat", "a white horse"): the
 * palette reads "black and white" as monochrome and "white snow" as snow.
 */
export const SHADE_WORDS: Readonly<Record<string, string>> = {
  black: '#1f1f22',
  white: '#f4f4f2',
  grey: '#8c8c8e',
  gray: '#8c8c8e',
};

/** The colour a subject is painted in for `word`, or undefined. */
export const paintColour = (word: string): string | undefined => COLOR_WORDS[word] ?? SHADE_WORDS[word];

/** Colour words the palette understands, mapped to sRGB hex. */
export const COLOR_WORDS: Readonly<Record<string, string>> = {
  red: '#d4343a',
  scarlet: '#e0302a',
  crimson: '#b0203a',
  ruby: '#b8183e',
  maroon: '#7a1e2e',
  coral: '#f07a5a',
  peach: '#f6b08a',
  orange: '#f08a2c',
  rust: '#b04a22',
  copper: '#c06a3a',
  amber: '#f0a830',
  yellow: '#f2d23c',
  gold: '#e8b640',
  golden: '#e8b040',
  ochre: '#c8902c',
  bronze: '#a8742c',
  olive: '#7a8a30',
  green: '#3fa653',
  emerald: '#1f9a6a',
  jade: '#2fa07a',
  mint: '#7fd8b0',
  teal: '#1f9a9a',
  turquoise: '#2cc3c0',
  aqua: '#30d0d0',
  cyan: '#2cc8e0',
  azure: '#3a8ee8',
  blue: '#2f6fe0',
  cobalt: '#2050c8',
  sapphire: '#1f4fb8',
  navy: '#1c2f6e',
  indigo: '#3f2f9a',
  purple: '#8a3fc4',
  violet: '#7f4fe0',
  lilac: '#b898e0',
  lavender: '#a890e0',
  pink: '#ec6fa8',
  rose: '#e8708a',
  magenta: '#d43fb0',
  brown: '#8a5a32',
  silver: '#b8c0cc',
};

/** Phrases that contain a colour word but name a light, not a colour. */
const NOT_COLOURS = /\bgolden (hour|light)\b|\bblue hour\b/g;

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(NOT_COLOURS, ' ')
    .split(/[^a-z]+/);

/** Finds colour words in order of appearance (each once). */
export const findColors = (text: string): string[] => {
  const seen: string[] = [];
  for (const w of words(text)) if (COLOR_WORDS[w] && !seen.includes(w)) seen.push(w);
  return seen;
};

/** The parts of a scene a colour can be bound to; `glow` is the lit horizon of a "red sunset". */
export type Element = 'sky' | 'glow' | 'land' | 'water' | 'city' | 'foliage';

/** One colour bound to one element. `color` is already adjusted by its modifier ("deep", "pale"). */
export interface ElementTint {
  element: Element;
  word: string;
  /** The noun the colour was bound to ("roofs"), or the implying word. */
  noun: string;
  color: Rgb;
}

const NOUNS: Readonly<Record<Element, readonly string[]>> = {
  sky: ['sky', 'skies', 'heavens', 'clouds', 'cloud', 'horizon', 'atmosphere'],
  glow: ['sunset', 'sunsets', 'sunrise', 'dawn', 'dusk', 'twilight', 'glow', 'afterglow', 'sun', 'daybreak'],
  land: [
    'hill',
    'hills',
    'mountain',
    'mountains',
    'peak',
    'peaks',
    'ridge',
    'ridges',
    'valley',
    'valleys',
    'desert',
    'deserts',
    'dune',
    'dunes',
    'sand',
    'sands',
    'field',
    'fields',
    'meadow',
    'meadows',
    'grass',
    'grassland',
    'grasslands',
    'prairie',
    'plains',
    'canyon',
    'canyons',
    'cliff',
    'cliffs',
    'rocks',
    'land',
    'landscape',
    'ground',
    'earth',
    'wheat',
    'countryside',
    'slopes',
    'highlands',
    'moor',
    'moors',
    'mesa',
  ],
  water: [
    'sea',
    'seas',
    'ocean',
    'lake',
    'lakes',
    'water',
    'waters',
    'river',
    'bay',
    'lagoon',
    'waves',
    'pond',
  ],
  city: [
    'city',
    'town',
    'roof',
    'roofs',
    'rooftops',
    'buildings',
    'skyline',
    'towers',
    'skyscrapers',
    'lights',
    'streets',
    'windows',
    'houses',
    'metropolis',
  ],
  foliage: [
    'forest',
    'forests',
    'trees',
    'tree',
    'woods',
    'woodland',
    'leaves',
    'foliage',
    'blossom',
    'blossoms',
    'jungle',
    'pines',
    'canopy',
    'grove',
    'orchard',
  ],
};

const NOUN_OF = new Map<string, Element>();
for (const [el, list] of Object.entries(NOUNS) as [Element, readonly string[]][])
  for (const w of list) NOUN_OF.set(w, el);

/** Words that end a noun phrase: a colour never reaches across them. */
const STOPS = new Set([
  'under',
  'over',
  'above',
  'below',
  'beneath',
  'behind',
  'beyond',
  'with',
  'and',
  'or',
  'at',
  'on',
  'by',
  'near',
  'against',
  'into',
  'from',
  'to',
  'while',
  'where',
]);

/** Words a colour may look back across: "a sky of deep blue", "the sea is turquoise". */
const LINKS = new Set([
  'of',
  'in',
  'is',
  'are',
  'was',
  'were',
  'turned',
  'glowing',
  'painted',
  'all',
  'so',
  'very',
]);

/** Modifiers: [lightness scale, lightness lift toward white, chroma scale]. */
const MODIFIERS: Readonly<Record<string, readonly [number, number, number]>> = {
  deep: [0.72, 0, 1.1],
  dark: [0.6, 0, 0.95],
  rich: [0.85, 0, 1.15],
  pale: [1, 0.5, 0.45],
  light: [1, 0.35, 0.65],
  pastel: [1, 0.45, 0.5],
  soft: [1, 0.25, 0.7],
  bright: [1.05, 0.1, 1.2],
  vivid: [1, 0, 1.3],
  electric: [1.05, 0, 1.35],
  neon: [1.1, 0.05, 1.35],
  dusty: [0.95, 0.1, 0.5],
  muted: [0.95, 0, 0.5],
};

const modify = (c: Rgb, mod: string | undefined): Rgb => {
  const m = mod === undefined ? undefined : MODIFIERS[mod];
  if (!m) return c;
  const [l, a, b] = rgbToLab(c);
  const L = Math.min(97, l * m[0] + (97 - l * m[0]) * m[1]);
  return labToRgb([L, a * m[2], b * m[2]]);
};

/** Colours implied by a noun phrase without a colour word: "autumn forest", "cherry blossom". */
const IMPLIED: readonly { re: RegExp; element: Element; word: string; color: string }[] = [
  {
    re: /\b(autumn|autumnal|fall foliage|fall colou?rs)\b/,
    element: 'foliage',
    word: 'autumn',
    color: '#e0702a',
  },
  { re: /\b(cherry blossoms?|sakura)\b/, element: 'foliage', word: 'blossom', color: '#f08cbc' },
  { re: /\b(wheat|cornfields?|barley)\b/, element: 'land', word: 'wheat', color: '#e0b040' },
  { re: /\bneon\b/, element: 'city', word: 'neon', color: '#ff3cc8' },
];

type Hit = { element: Element; noun: string };

const elementAfter = (toks: readonly string[], i: number): Hit | undefined => {
  for (let j = i + 1; j < Math.min(toks.length, i + 5); j++) {
    const tok = toks[j]!;
    const el = NOUN_OF.get(tok);
    if (el) return { element: el, noun: tok };
    if (STOPS.has(tok) || COLOR_WORDS[tok]) return undefined;
  }
  return undefined;
};

const elementBefore = (toks: readonly string[], i: number): Hit | undefined => {
  for (let j = i - 1; j >= Math.max(0, i - 4); j--) {
    const tok = toks[j]!;
    const el = NOUN_OF.get(tok);
    if (el) return { element: el, noun: tok };
    if (!LINKS.has(tok) && !MODIFIERS[tok] && tok !== 'the' && tok !== 'a') return undefined;
  }
  return undefined;
};

/**
 * Binds colour words to the element they modify (the noun that follows within a short phrase, or the
 * noun before "is/of"); the rest are returned as `loose` for the global tint. First binding per element wins.
 */
export const bindColors = (text: string): { tints: ElementTint[]; loose: string[] } => {
  const t = text.toLowerCase();
  const toks = words(t).filter((w) => w.length > 0);
  const tints: ElementTint[] = [];
  const loose: string[] = [];
  toks.forEach((tok, i) => {
    const c = COLOR_WORDS[tok];
    if (!c) return;
    const prev = toks[i - 1];
    const color = modify(hex(c), prev);
    const hit = elementAfter(toks, i) ?? elementBefore(toks, i);
    if (hit === undefined) {
      if (!loose.includes(tok)) loose.push(tok);
    } else if (!tints.some((x) => x.element === hit.element)) {
      tints.push({ ...hit, word: tok, color });
    }
  });
  for (const imp of IMPLIED) {
    if (imp.re.test(t) && !tints.some((x) => x.element === imp.element))
      tints.push({ element: imp.element, word: imp.word, noun: imp.word, color: hex(imp.color) });
  }
  return { tints, loose };
};
