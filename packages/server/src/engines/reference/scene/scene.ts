// Reads a prompt into a small scene description. Pure: the same prompt and seed give the same scene.
// Words the engine cannot draw are ignored; the result is always a landscape it knows how to paint.
import { bindColors, findColors, type ElementTint } from './colour-words.js';
import { readLettering, withoutLettering, type Lettering } from './lettering-words.js';
import { Rng } from './rng.js';
import { readSubjects, type Composition } from './subject-words.js';

export { COLOR_WORDS, findColors } from './colour-words.js';

export type TimeOfDay = 'dawn' | 'day' | 'golden' | 'sunset' | 'dusk' | 'night';
export type Weather = 'clear' | 'cloudy' | 'fog' | 'rain' | 'snow' | 'storm';
export type Terrain = 'mountains' | 'hills' | 'dunes' | 'none';
/** Landscape features named in the prompt; the things it names are `composition.mentions`. */
export type Subject = 'birds' | 'planet' | 'aurora' | 'moon';
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
  /** The things the prompt names (a fox, three cats, an astronaut riding a horse), where and how seen. */
  composition: Composition;
  /** Finishing looks asked for in words (`style: manga` is a request field, not a word). */
  looks: LookWord[];
  /** Horizon height as a fraction of the canvas from the top. */
  horizon: number;
  /** Sun/moon position, fractions of the canvas. */
  sunX: number;
  /** Words to letter into the image ("a sign saying OPEN"), read with the prompt's own capitalisation. */
  lettering: Lettering | null;
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
  // A neon sign (or neon lights) is a thing in the picture, lettered or lit; "neon" alone is the look.
  const neonThing = /\bneon (signs?|lights?|letters?|lettering|tubes?)\b/.test(text);
  if (
    has(text, ['synthwave', 'vaporwave', 'outrun', 'glowing lines', 'glowing outlines']) ||
    (has(text, ['neon']) && !neonThing)
  )
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

const FURNITURE = new Set(['bed', 'couch-and-lamp', 'chair', 'bathtub', 'toilet', 'door', 'mirror']);

/**
 * Where subjects with nowhere named to be go: food and small things on a table, furniture in a room —
 * unless the prompt places them outdoors (a beach, a meadow, the rain).
 */
const settingFor = (c: Composition, t: string): Composition['setting'] => {
  if (c.setting !== 'outdoor' || c.mentions.length === 0) return c.setting;
  const outdoors =
    /\b(beach|sea|ocean|lake|river|pond|mountain|hill|meadow|field|grass|garden|park|forest|woods|desert|snow|rain|street|road|city|sky|space|trail|island|porch|yard|farm|savanna|jungle|outside|outdoors|stadium|game)/;
  if (outdoors.test(t)) return 'outdoor';
  if (c.mentions.some((m) => FURNITURE.has(m.entry.icon))) return 'room';
  const small = c.mentions.every(
    (m) => m.entry.kind === 'food' || (m.entry.kind === 'object' && m.entry.height < 1.2),
  );
  return small ? 'table' : 'outdoor';
};

/** Parses a prompt; `seed` decides whatever the words leave open. */
export const parseScene = (prompt: string, seed: number): Scene => {
  // The words to letter are text, not scenery: "a poster titled 'Summer Nights'" is not a night scene.
  const t = withoutLettering(prompt).toLowerCase();
  const rng = new Rng(seed);
  const said = readSubjects(prompt);
  const read = { ...said, setting: settingFor(said, t) };
  // A flock is a flock of silhouettes, not a crowd of drawn birds; a named or counted kind of bird is drawn.
  const flock = read.mentions.findIndex(
    (m) => m.entry.name === 'bird' && m.count >= 3 && !m.numbered && m.color === null,
  );
  const composition =
    flock < 0
      ? read
      : {
          ...read,
          mentions: read.mentions.filter((_, i) => i !== flock),
          relations: read.relations
            .filter((r) => r.subject !== flock && r.object !== flock)
            .map((r) => ({
              ...r,
              subject: r.subject > flock ? r.subject - 1 : r.subject,
              object: typeof r.object === 'number' && r.object > flock ? r.object - 1 : r.object,
            })),
        };
  const kinds = new Set(composition.mentions.map((m) => m.entry.kind));
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
  // Boats and swimmers need water to be in; an indoor setting shows its landscape through a window.
  const needsWater = (kinds.has('boat') || kinds.has('swimmer')) && composition.setting === 'outdoor';
  const nothingNamed = !space && !city && !water && !needsWater && terrain === 'none';
  if (nothingNamed) {
    // A prompt about something the engine cannot draw still gets a composed landscape, chosen by the seed.
    terrain = rng.chance(0.7) ? 'mountains' : 'hills';
  }
  // A skyline with nothing under it looks unfinished: stand it on a river, whose reflections carry the lights.
  const walkers = composition.mentions.some(
    (m) => !['boat', 'swimmer', 'bird', 'aircraft', 'insect'].includes(m.entry.kind),
  );
  const wantsWater =
    water || needsWater || (nothingNamed && rng.chance(0.6) && !walkers) || (city && terrain === 'none');

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
  // A flock stays a flock of silhouettes; a bird the prompt counts or names is drawn as a subject.
  if (flock >= 0 || (has(t, ['gull', 'seagull', 'flock']) && !kinds.has('bird'))) subjects.push('birds');
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
    tints: bound.tints.filter((b) => !composition.mentions.some((m) => m.color === b.word)),
    looseColors: bound.loose.filter((c) => !composition.mentions.some((m) => m.color === c)),
    snowCover,
    stars: has(t, ['stars', 'starry', 'starlit', 'starfield', 'milky way', 'constellation']),
    subjects,
    composition,
    looks: findLooks(t),
    horizon: space ? 0.78 : wantsWater ? rng.range(0.5, 0.6) : rng.range(0.55, 0.66),
    sunX: rng.range(0.28, 0.72),
    lettering: readLettering(prompt),
  };
};
