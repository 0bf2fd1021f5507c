// Turns an image_edit prompt into a list of classical operations. Pure.
import type { Style } from '../../../contract/wire.js';
import { paintColour } from '../scene/colour-words.js';
import { LEXICON, type LexiconEntry } from '../scene/lexicon.js';
import { findColors, findLooks, findTime, type LookWord, type TimeOfDay } from '../scene/scene.js';
import { readSubjects, type Mention } from '../scene/subject-words.js';

/** A finishing look for an edit: any look a prompt can name, or manga. */
export type EditLook = 'manga' | LookWord;

/** What an edit will do, in application order. */
export interface EditPlan {
  /** Move colour statistics toward the references' (Lab mean/std transfer). */
  transferFromRefs: boolean;
  time: TimeOfDay | null;
  /** Colour words; the first drives the tint. */
  colors: string[];
  looks: EditLook[];
  /** Weather laid over the source: snow settles on upward surfaces, rain falls, fog fills the distance. */
  weather: 'snow' | 'rain' | 'fog' | null;
  /** Greens turn to autumn colours. */
  autumn: boolean;
  /** Subjects to draw into the source ("add a dog"). */
  add: Mention[];
  /** A subject Umbra drew, to repaint ("make the car red"). */
  repaint: { entry: LexiconEntry; color: string } | null;
  /** True when nothing was recognised: apply a seeded grade so the edit is still visible. */
  fallbackGrade: boolean;
}

/** "make the car red", "turn the cat black", "paint the boat blue", "change the house to green". */
const findRepaint = (t: string): EditPlan['repaint'] => {
  const m =
    /\b(?:make|turn|paint|colou?r|change)\s+(?:the|a|an|that|this|its|his|her)?\s*([a-z' -]+?)\s+(?:to\s+|into\s+)?(?:be\s+)?([a-z]+)\b/.exec(
      t,
    );
  if (!m || paintColour(m[2]!) === undefined) return null;
  const noun = m[1]!.trim();
  const entry = LEXICON.find((e) => e.words.includes(noun) || e.words.some((w) => `${w}s` === noun));
  // Art the engine draws itself (the lighthouse) has no palette to find it by: the colour tints instead.
  return entry && !entry.icon.startsWith('builtin:') ? { entry, color: m[2]! } : null;
};

/** Reads the prompt (and the `style` field) into an edit plan. */
export const planEdit = (prompt: string, style: Style, refCount: number): EditPlan => {
  const t = prompt.toLowerCase();
  const looks: EditLook[] = [];
  if (style === 'manga' || /\b(manga|anime|screentone|comic)/.test(t)) looks.push('manga');
  for (const l of findLooks(t)) if (!(l === 'ink' && looks.includes('manga'))) looks.push(l);
  const time = findTime(t);
  const weather = /\b(winter|wintry|snow|snowy|snowing|snowfall|blizzard|frost|frosty|icy)\b/.test(t)
    ? 'snow'
    : /\b(rain|rainy|raining|downpour|drizzle|storm|stormy|wet)\b/.test(t)
      ? 'rain'
      : /\b(fog|foggy|mist|misty|haze|hazy)\b/.test(t)
        ? 'fog'
        : null;
  const autumn = /\b(autumn|autumnal|fall colou?rs?|fall foliage|fall leaves)\b/.test(t);
  const added = /\b(?:add|adds|adding|put|place|insert|include)\b(.*)$/.exec(t);
  const add = added ? readSubjects(added[1]!).mentions : [];
  const repaint = findRepaint(t);
  // "black and white" names colours that are not tints; monochrome handles them. A colour that repaints a
  // subject or an added one's is theirs, not the picture's.
  const owned = new Set([repaint?.color, ...add.map((m) => m.color)]);
  const colors = findColors(t).filter((c) => !owned.has(c));
  const transferFromRefs = refCount > 0;
  return {
    transferFromRefs,
    time,
    colors,
    looks,
    weather,
    autumn,
    add,
    repaint,
    fallbackGrade:
      !transferFromRefs &&
      time === null &&
      colors.length === 0 &&
      looks.length === 0 &&
      weather === null &&
      !autumn &&
      add.length === 0 &&
      repaint === null,
  };
};
