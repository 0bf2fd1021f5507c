// Reads a prompt into a small scene description. Pure: the same prompt and seed give the same scene.
// Words the engine cannot draw are ignored; the result is always a landscape it knows how to paint.
import { bindColors, findColors, type ElementTint } from './colour-words.js';
import { Rng } from './rng.js';

export { COLOR_WORDS, findColors } from './colour-words.js';

export type TimeOfDay = 'dawn' | 'day' | 'golden' | 'sunset' | 'dusk' | 'night';
export type Weather = 'clear' | 'cloudy' | 'fog' | 'rain' | 'snow' | 'storm';
export type Terrain = 'mountains' | 'hills' | 'dunes' | 'none';
export type Subject = 'boat' | 'lighthouse' | 'birds' | 'tree' | 'cabin' | 'planet' | 'aurora' | 'moon';
/** Finishing looks named in words; `ink` is the pencil sketch. */
export type LookWord = 'watercolor' | 'oil' | 'ink' | 'neon' | 'vintage' | 'monochrome' | 'pixel';

/** What the reference engine will draw. */
export interface Scene {
  terrain: Terrain;
  water: boolean;
  city: boolean;
  forest: boolean;
  /** Round-crowned trees (blossom, autumn, orchards) instead of conifers. */
  broadleaf: boolean;
  space: boolean;
  time: TimeOfDay;
  weather: Weather;
  /** Named colours from the prompt, in order. */
  colors: string[];
  /** Colours bound to the element they name ("blue sky"); at most one per element. */
  tints: ElementTint[];
  /** Colour words bound to nothing: they tint the whole palette. */
  looseColors: string[];
  /** Snow lies on the ground and caps the ridges ("snowy mountains"); falling snow is `weather`. */
  snowCover: boolean;
  /** Stars were asked for in words; night, dusk and space show them anyway. */
  stars: boolean;
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

const BLUE_SKY = ['blue', 'azure', 'cobalt', 'sapphire', 'cyan'];

/** Time-of-day words, shared with the edit planner. */
export const findTime = (text: string): TimeOfDay | null => {
  if (has(text, ['night', 'midnight', 'moonlit', 'moonlight', 'nocturn', 'neon'])) return 'night';
  if (has(text, ['dusk', 'twilight', 'blue hour', 'evening'])) return 'dusk';
  if (has(text, ['sunset', 'sundown'])) return 'sunset';
  if (has(text, ['sunrise', 'dawn', 'daybreak', 'morning'])) return 'dawn';
  if (has(text, ['golden hour', 'golden light', 'afternoon', 'warm light'])) return 'golden';
  if (has(text, ['noon', 'midday', 'daylight', 'sunny', 'bright day', 'daytime'])) return 'day';
  // Stars mean night unless another time was named: "a sunset with the first stars" stays a sunset.
  if (has(text, ['starry', 'stars', 'starlit', 'milky way'])) return 'night';
  return null;
};

/**
 * Looks asked for in words, shared with the edit planner, in the order they are applied: painting looks
 * first, then tone (vintage, monochrome), and pixel art last so its blocks stay crisp. Words match at a
 * word start ("ink" is not in "pink" or "thinking").
 */
export const findLooks = (text: string): LookWord[] => {
  const looks: LookWord[] = [];
  if (has(text, ['watercolou?r', 'aquarelle', 'gouache'])) looks.push('watercolor');
  if (has(text, ['oil paint', 'oil-paint', 'oil on canvas', 'oils\\b', 'in oil\\b', 'impasto', 'painterly']))
    looks.push('oil');
  if (
    has(text, [
      'ink\\b',
      'inks\\b',
      'inked',
      'sketch',
      'pencil',
      'charcoal',
      'graphite',
      'line art',
      'line drawing',
      'drawing',
      'etching',
      'hatching',
    ])
  )
    looks.push('ink');
  if (has(text, ['neon', 'synthwave', 'vaporwave', 'outrun', 'glowing lines', 'glowing outlines']))
    looks.push('neon');
  if (
    has(text, [
      'vintage',
      'retro photo',
      'old photo',
      'old-fashioned photo',
      'sepia',
      'polaroid',
      'film photo',
      'analog(ue)? photo',
      'faded photo',
      'daguerreotype',
      'tintype',
      '19[2-8]0s\\b',
    ])
  )
    looks.push('vintage');
  if (has(text, ['black and white', 'black & white', 'b&w', 'monochrome', 'grayscale', 'greyscale', 'noir']))
    looks.push('monochrome');
  if (
    has(text, [
      'pixel art',
      'pixel-art',
      'pixelart',
      'pixelated',
      'pixellated',
      'pixel style',
      '8-?bit',
      '8 bit',
      '16-?bit',
      '16 bit',
      'retro game',
      'retro video game',
    ])
  )
    looks.push('pixel');
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
  const forest = has(t, [
    'forest',
    'woods',
    'woodland',
    'pine',
    'jungle',
    'grove',
    'trees',
    'taiga',
    'orchard',
    'blossom',
    'sakura',
  ]);
  const broadleaf =
    !has(t, ['pine', 'conifer', 'fir', 'spruce', 'taiga']) &&
    has(t, [
      'blossom',
      'sakura',
      'cherry',
      'autumn',
      'fall foliage',
      'maple',
      'oak',
      'orchard',
      'birch',
      'deciduous',
    ]);
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

  // "snowy mountains" are covered in snow; only words for falling snow (or a bare "winter") make it snow.
  const snowCover = has(t, ['snow', 'winter', 'blizzard', 'frost', 'icy', 'glacier']);
  const snowing =
    has(t, ['snowing', 'snowfall', 'snowstorm', 'blizzard', 'falling snow', 'snow falling', 'snowflake']) ||
    (snowCover &&
      !has(t, [
        'snowy',
        'snow-capped',
        'snowcapped',
        'snow capped',
        'snow-covered',
        'snow covered',
        'snow peak',
        'snow-clad',
      ]));
  let weather: Weather = 'clear';
  if (has(t, ['storm', 'thunder', 'lightning', 'tempest'])) weather = 'storm';
  else if (snowing) weather = 'snow';
  else if (has(t, ['rain', 'drizzle', 'downpour', 'monsoon'])) weather = 'rain';
  else if (has(t, ['fog', 'mist', 'haze', 'foggy', 'misty'])) weather = 'fog';
  else if (has(t, ['cloud', 'overcast', 'cloudy'])) weather = 'cloudy';

  const bound = bindColors(t);
  // A blue sky with no time named is a daytime sky (the seeded pick is still drawn, keeping the stream).
  const blueSky = bound.tints.some((b) => b.element === 'sky' && BLUE_SKY.includes(b.word));
  const seeded = (): TimeOfDay => {
    const pick = rng.pick<TimeOfDay>(['golden', 'sunset', 'day', 'dawn', 'sunset']);
    return blueSky ? 'day' : pick;
  };
  const time = findTime(t) ?? (space ? 'night' : seeded());

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
    broadleaf,
    space,
    time,
    weather,
    colors: findColors(t),
    tints: bound.tints,
    looseColors: bound.loose,
    snowCover,
    stars: has(t, ['stars', 'starry', 'starlit', 'starfield', 'milky way', 'constellation']),
    subjects,
    looks: findLooks(t),
    horizon: space ? 0.78 : wantsWater ? rng.range(0.5, 0.6) : rng.range(0.55, 0.66),
    sunX: rng.range(0.28, 0.72),
  };
};
