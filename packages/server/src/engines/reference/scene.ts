// Reads a prompt into a small scene description. Pure: the same prompt and seed give the same scene.
// Words the engine cannot draw are ignored; the result is always a landscape it knows how to paint.
import { Rng } from './rng.js';

export type TimeOfDay = 'dawn' | 'day' | 'golden' | 'sunset' | 'dusk' | 'night';
export type Weather = 'clear' | 'cloudy' | 'fog' | 'rain' | 'snow' | 'storm';
export type Terrain = 'mountains' | 'hills' | 'dunes' | 'none';
export type Subject = 'boat' | 'lighthouse' | 'birds' | 'tree' | 'cabin' | 'planet' | 'aurora' | 'moon';
export type LookWord = 'watercolor' | 'ink' | 'monochrome';

/** What the reference engine will draw. */
export interface Scene {
  terrain: Terrain;
  water: boolean;
  city: boolean;
  forest: boolean;
  space: boolean;
  time: TimeOfDay;
  weather: Weather;
  /** Named colours from the prompt, in order, used to tint the palette. */
  colors: string[];
  subjects: Subject[];
  /** Finishing looks asked for in words (`style: manga` is a request field, not a word). */
  looks: LookWord[];
  /** Horizon height as a fraction of the canvas from the top. */
  horizon: number;
  /** Sun/moon position, fractions of the canvas. */
  sunX: number;
}

const has = (text: string, words: readonly string[]): boolean =>
  words.some((w) => new RegExp(`\\b${w}`, 'i').test(text));

/** Colour words the palette understands, mapped to sRGB hex. */
export const COLOR_WORDS: Readonly<Record<string, string>> = {
  red: '#d4343a',
  crimson: '#b0203a',
  orange: '#f08a2c',
  amber: '#f0a830',
  yellow: '#f2d23c',
  gold: '#e8b640',
  green: '#3fa653',
  emerald: '#1f9a6a',
  teal: '#1f9a9a',
  turquoise: '#2cc3c0',
  cyan: '#2cc8e0',
  blue: '#2f6fe0',
  navy: '#1c2f6e',
  purple: '#8a3fc4',
  violet: '#7f4fe0',
  lavender: '#a890e0',
  pink: '#ec6fa8',
  magenta: '#d43fb0',
  brown: '#8a5a32',
  silver: '#b8c0cc',
};

/** Finds colour words in order of appearance. */
export const findColors = (text: string): string[] => {
  const hits: { word: string; at: number }[] = [];
  for (const word of Object.keys(COLOR_WORDS)) {
    const m = new RegExp(`\\b${word}\\b`, 'i').exec(text);
    if (m) hits.push({ word, at: m.index });
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.word);
};

/** Time-of-day words, shared with the edit planner. */
export const findTime = (text: string): TimeOfDay | null => {
  if (has(text, ['night', 'midnight', 'moonlit', 'moonlight', 'starry', 'stars', 'nocturn', 'neon']))
    return 'night';
  if (has(text, ['dusk', 'twilight', 'blue hour', 'evening'])) return 'dusk';
  if (has(text, ['sunset', 'sundown'])) return 'sunset';
  if (has(text, ['sunrise', 'dawn', 'daybreak', 'morning'])) return 'dawn';
  if (has(text, ['golden hour', 'golden light', 'afternoon', 'warm light'])) return 'golden';
  if (has(text, ['noon', 'midday', 'daylight', 'sunny', 'bright day', 'daytime'])) return 'day';
  return null;
};

/** Looks asked for in words, shared with the edit planner. */
export const findLooks = (text: string): LookWord[] => {
  const looks: LookWord[] = [];
  if (has(text, ['watercolou?r', 'aquarelle', 'gouache'])) looks.push('watercolor');
  if (has(text, ['ink', 'sketch', 'pencil', 'line art', 'drawing', 'etching'])) looks.push('ink');
  if (has(text, ['black and white', 'black & white', 'b&w', 'monochrome', 'grayscale', 'greyscale', 'noir']))
    looks.push('monochrome');
  return looks;
};

/** Parses a prompt; `seed` decides whatever the words leave open. */
export const parseScene = (prompt: string, seed: number): Scene => {
  const t = prompt.toLowerCase();
  const rng = new Rng(seed);
  const space = has(t, [
    'space',
    'galaxy',
    'nebula',
    'cosmos',
    'cosmic',
    'planet',
    'orbit',
    'universe',
    'astronaut',
  ]);
  const city = has(t, [
    'city',
    'cities',
    'skyline',
    'downtown',
    'metropol',
    'skyscraper',
    'town',
    'urban',
    'cyberpunk',
    'street',
    'buildings',
  ]);
  const water = has(t, [
    'sea',
    'ocean',
    'lake',
    'beach',
    'coast',
    'shore',
    'harbo',
    'bay',
    'river',
    'wave',
    'island',
    'seascape',
    'fjord',
    'pond',
    'reflection',
    'water',
    'canal',
    'marina',
  ]);
  const forest = has(t, ['forest', 'woods', 'woodland', 'pine', 'jungle', 'grove', 'trees', 'taiga']);
  let terrain: Terrain = 'none';
  if (has(t, ['desert', 'dune', 'sahara', 'sand'])) terrain = 'dunes';
  else if (
    has(t, [
      'mountain',
      'alps',
      'alpine',
      'peak',
      'summit',
      'ridge',
      'valley',
      'canyon',
      'volcano',
      'himalaya',
      'fjord',
      'cliff',
    ])
  )
    terrain = 'mountains';
  else if (
    has(t, ['hill', 'meadow', 'field', 'farm', 'countryside', 'prairie', 'grass', 'valley', 'vineyard'])
  )
    terrain = 'hills';
  else if (forest) terrain = 'hills';
  const nothingNamed = !space && !city && !water && terrain === 'none';
  if (nothingNamed) {
    // A prompt about something the engine cannot draw still gets a composed landscape, chosen by the seed.
    terrain = rng.chance(0.7) ? 'mountains' : 'hills';
  }
  // A skyline with nothing under it looks unfinished: stand it on a river, whose reflections carry the lights.
  const wantsWater = water || (nothingNamed && rng.chance(0.6)) || (city && terrain === 'none');

  let weather: Weather = 'clear';
  if (has(t, ['storm', 'thunder', 'lightning', 'tempest'])) weather = 'storm';
  else if (has(t, ['snow', 'winter', 'blizzard', 'frost', 'icy'])) weather = 'snow';
  else if (has(t, ['rain', 'drizzle', 'downpour', 'monsoon'])) weather = 'rain';
  else if (has(t, ['fog', 'mist', 'haze', 'foggy', 'misty'])) weather = 'fog';
  else if (has(t, ['cloud', 'overcast', 'cloudy'])) weather = 'cloudy';

  const time =
    findTime(t) ?? (space ? 'night' : rng.pick<TimeOfDay>(['golden', 'sunset', 'day', 'dawn', 'sunset']));

  const subjects: Subject[] = [];
  if (has(t, ['boat', 'ship', 'sail', 'yacht', 'ferry'])) subjects.push('boat');
  if (has(t, ['lighthouse'])) subjects.push('lighthouse');
  if (has(t, ['bird', 'gull', 'flock', 'crane', 'swallow'])) subjects.push('birds');
  if (has(t, ['lone tree', 'a tree', 'oak', 'single tree', 'old tree'])) subjects.push('tree');
  if (has(t, ['cabin', 'cottage', 'hut', 'house', 'chalet', 'barn'])) subjects.push('cabin');
  if (space || has(t, ['planet', 'saturn', 'jupiter'])) subjects.push('planet');
  if (has(t, ['aurora', 'northern lights', 'borealis'])) subjects.push('aurora');
  if (has(t, ['moon', 'lunar'])) subjects.push('moon');

  return {
    terrain: space && terrain === 'none' ? 'none' : terrain,
    water: wantsWater,
    city,
    forest,
    space,
    time,
    weather,
    colors: findColors(t),
    subjects,
    looks: findLooks(t),
    horizon: space ? 0.78 : wantsWater ? rng.range(0.5, 0.6) : rng.range(0.55, 0.66),
    sunX: rng.range(0.28, 0.72),
  };
};
