// Reads what a prompt says about its subjects: which things (from the lexicon), how many, in what colour
// and size, how they relate ("a cat on a windowsill", "an astronaut riding a horse"), where they are (a
// table, a window, a room) and from where they are seen (top view, close-up, portrait). Pure.
import { paintColour } from './colour-words.js';
import { withoutLettering } from './lettering-words.js';
import { LEXICON, pluralOf, type LexiconEntry } from './lexicon.js';

/** How one subject relates to another, or to the setting. */
export type RelationKind =
  'wearing' | 'on' | 'riding' | 'next-to' | 'in-front-of' | 'behind' | 'under' | 'above' | 'holding' | 'in';

/** Where the subjects are: outdoors in the landscape, or an indoor or tabletop setting. */
export type Setting = 'outdoor' | 'table' | 'window' | 'room';

/** From where the scene is seen. */
export type Viewpoint = 'normal' | 'top' | 'close' | 'portrait' | 'wide';

/** One subject named in the prompt. */
export interface Mention {
  entry: LexiconEntry;
  /** The words as written ("red foxes"). */
  phrase: string;
  count: number;
  /** A colour word applied to this subject ("a red fox"), or null. */
  color: string | null;
  size: 'small' | 'normal' | 'big';
  /** The count was said with a number ("ten birds"), not only a plural or a collective. */
  numbered: boolean;
}

/** "The cat (subject) is on (kind) the windowsill (object)". `object` indexes `mentions`, or names a setting. */
export interface Relation {
  kind: RelationKind;
  subject: number;
  object: number | Exclude<Setting, 'outdoor'>;
}

/** Everything the prompt says about its subjects. */
export interface Composition {
  mentions: Mention[];
  relations: Relation[];
  setting: Setting;
  viewpoint: Viewpoint;
}

const NUMBERS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  lone: 1,
  two: 2,
  pair: 2,
  couple: 2,
  both: 2,
  twin: 2,
  three: 3,
  few: 3,
  several: 4,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  many: 6,
  lots: 6,
  group: 5,
  herd: 6,
  flock: 7,
  pack: 5,
  school: 7,
  crowd: 8,
  family: 4,
  some: 3,
};

const MAX_COUNT = 12;
/** A plural with no number in front ("cats on a wall"). */
const PLURAL_COUNT = 3;

const SIZE_WORDS: Readonly<Record<string, 'small' | 'big'>> = {
  tiny: 'small',
  small: 'small',
  little: 'small',
  miniature: 'small',
  baby: 'small',
  big: 'big',
  large: 'big',
  huge: 'big',
  giant: 'big',
  enormous: 'big',
  massive: 'big',
  colossal: 'big',
  tall: 'big',
};

/** Words that end the look-back for a noun's number, colour and size. */
const BOUNDARY = new Set([
  'on',
  'in',
  'at',
  'with',
  'and',
  'of',
  'by',
  'to',
  'from',
  'under',
  'over',
  'near',
  'riding',
  'beside',
  'behind',
  'above',
  'below',
  'holding',
  'carrying',
  'next',
  'front',
  'is',
  'are',
  'the',
  'for',
  'into',
]);

/** Scene nouns a lexicon word may modify ("pine forest", "apple orchard"): then it is not a subject. */
const SCENE_NOUNS = new Set([
  'forest',
  'forests',
  'woods',
  'orchard',
  'orchards',
  'garden',
  'gardens',
  'field',
  'fields',
  'grove',
  'blossom',
  'blossoms',
  'tree',
  'trees',
  'farm',
  'plantation',
  'skin',
  'fur',
  'shape',
  'shaped',
  'pattern',
  'print',
  'colored',
  'coloured',
  'color',
  'colour',
  'light',
  'lights',
  'hour',
  'sky',
  'glow',
  'tone',
  'tones',
  'scent',
  'flavor',
  'flavour',
  'juice',
]);

/** Nouns that hold another ("a bowl of ramen"): the contents are the subject. */
const CONTAINERS = new Set([
  'vase',
  'bowl',
  'cup',
  'mug',
  'glass',
  'plate',
  'jar',
  'basket',
  'box',
  'bucket',
  'pot',
  'can',
  'bag',
  'bottle',
  'tray',
  'slice',
  'stack',
  'pile',
  'bunch',
  'bouquet',
  'pair',
  'bowls',
  'cups',
  'plates',
  'baskets',
  'boxes',
]);

const RELATIONS: readonly [RelationKind, RegExp][] = [
  ['wearing', /\b(wearing|wears|dressed in|with a hat|in a hat)\b/],
  ['riding', /\b(riding|rides|ridden by|mounted on|astride|on the back of|on horseback)\b/],
  ['in-front-of', /\bin front of\b/],
  ['next-to', /\b(next to|beside|besides|alongside|by|near|nearby|close to|and|with|together with|facing)\b/],
  ['on', /\b(on top of|on|atop|upon|sitting on|standing on|perched on|lying on|sleeping on|resting on)\b/],
  ['behind', /\b(behind|in back of)\b/],
  ['under', /\b(under|underneath|beneath|below)\b/],
  ['above', /\b(above|over|flying over|hovering over)\b/],
  ['holding', /\b(holding|carrying|hugging|eating|drinking)\b/],
  ['in', /\b(in|inside|within)\b/],
];

const SETTING_WORDS: readonly [Exclude<Setting, 'outdoor'>, RegExp][] = [
  [
    'window',
    /\b(window ?sills?|window ledges?|by the window|at the window|in the window|bay window|windows?)\b/,
  ],
  [
    'table',
    /\b(tables?|desks?|counter ?tops?|counters?|tabletops?|table tops?|workbench|dining table|kitchen table|flat lay|cutting board|tray)\b/,
  ],
  [
    'room',
    /\b(rooms?|bedrooms?|living rooms?|kitchens?|indoors?|interior|studio|hallway|attic|cellar|classroom|bathroom|café interior|cafe interior|at home)\b/,
  ],
];

const VIEWPOINTS: readonly [Viewpoint, RegExp][] = [
  [
    'top',
    /\b(top view|top-down|top down|from above|overhead|bird'?s[- ]eye|flat lay|flatlay|aerial view|seen from above)\b/,
  ],
  ['portrait', /\b(portrait|headshot|head shot|bust of|profile picture|avatar)\b/],
  ['close', /\b(close-?up|close up|closeup|macro|extreme close|detail shot)\b/],
  [
    'wide',
    /\b(wide shot|wide angle|wide-angle|panorama|panoramic|establishing shot|long shot|in the distance|far away)\b/,
  ],
];

interface Form {
  words: string[];
  entry: LexiconEntry;
  plural: boolean;
}

/** Every written form (singular and plural) of every noun, longest phrases first. */
const FORMS: readonly Form[] = (() => {
  const forms = new Map<string, Form>();
  for (const entry of LEXICON)
    for (const word of entry.words) {
      const singular = word.split(' ');
      if (!forms.has(word)) forms.set(word, { words: singular, entry, plural: false });
      const plural = pluralOf(word);
      if (!forms.has(plural)) forms.set(plural, { words: plural.split(' '), entry, plural: plural !== word });
    }
  return [...forms.values()].sort((a, b) => b.words.length - a.words.length);
})();

const FIRST_WORD = (() => {
  const m = new Map<string, Form[]>();
  for (const f of FORMS) {
    const key = f.words[0]!;
    const list = m.get(key) ?? [];
    list.push(f);
    m.set(key, list);
  }
  return m;
})();

/** Lower-case words, punctuation dropped (apostrophes inside words kept), and their character offsets. */
const tokenize = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[“”"]/g, ' ')
    .split(/[^a-z0-9'\-é ñ]+|\s+/)
    .map((w) => w.replace(/^'+|'+$/g, '').replace(/'s$/, ''))
    .filter(Boolean);

/**
 * The prompt as far as things to draw go: without the words to letter ("a sign saying 'cat'" draws no cat)
 * and without words about the medium ("an oil painting", "a drawing of a cat").
 */
export const thingWords = (prompt: string): string =>
  withoutLettering(prompt)
    .replace(
      /\b(oil|watercolou?r|acrylic|digital|gouache|ink|pencil|charcoal)\s+(paintings?|drawings?|sketch(es)?)\b/gi,
      ' ',
    )
    .replace(/\b(painting|drawing|sketch|photo|photograph|picture|illustration|render|image)\s+of\b/gi, ' ');

const isColour = (w: string): boolean => paintColour(w) !== undefined;

interface Match {
  form: Form;
  start: number;
  end: number;
}

const matchAt = (tokens: readonly string[], i: number): Match | null => {
  for (const form of FIRST_WORD.get(tokens[i]!) ?? []) {
    if (form.words.every((w, k) => tokens[i + k] === w))
      return { form, start: i, end: i + form.words.length };
  }
  return null;
};

/** Reads the subjects of a prompt. */
export const readSubjects = (prompt: string): Composition => {
  const text = thingWords(prompt);
  const lower = ` ${text.toLowerCase().replace(/\s+/g, ' ')} `;
  const tokens = tokenize(text);
  const found: { mention: Mention; start: number; end: number }[] = [];
  for (let i = 0; i < tokens.length;) {
    const m = matchAt(tokens, i);
    if (!m) {
      i++;
      continue;
    }
    // "a bowl of ramen", "a cup of coffee": the container gives way to what it holds.
    if (CONTAINERS.has(m.form.words.join(' ')) && tokens[m.end] === 'of' && matchAt(tokens, m.end + 1)) {
      i = m.end + 1;
      continue;
    }
    // "an artist painting", "a dog drawing …": an -ing word right after a subject is what it does.
    const last = found[found.length - 1];
    if (last?.end === m.start && m.form.words.length === 1 && m.form.words[0]!.endsWith('ing')) {
      i = m.end;
      continue;
    }
    const next = tokens[m.end];
    const nextIsNoun =
      next !== undefined &&
      !next.endsWith('ing') &&
      (SCENE_NOUNS.has(next) || matchAt(tokens, m.end) !== null);
    // A colour word that names a thing ("orange", "rose") is a colour when it qualifies a noun after it.
    // "a tulip field", "a sunflower field": a field of them.
    const fieldOf =
      next !== undefined &&
      /^(fields?|gardens?|meadows?|beds?|patch)$/.test(next) &&
      m.form.entry.kind === 'plant';
    const modifier = nextIsNoun && !m.form.plural && !fieldOf;
    if (modifier) {
      i = m.end;
      continue;
    }
    let count = fieldOf ? 9 : m.form.plural ? PLURAL_COUNT : 1;
    let counted = fieldOf;
    let numbered = false;
    let color: string | null = null;
    let size: Mention['size'] = 'normal';
    for (let k = m.start - 1; k >= 0 && k >= m.start - 5; k--) {
      const w = tokens[k]!;
      const number = NUMBERS[w] ?? (/^\d+$/.test(w) ? Number(w) : undefined);
      if (number !== undefined) {
        // "a herd of", "a pair of": the collective's number wins over its article.
        if (!counted && (number > 1 || !m.form.plural)) {
          count = number;
          counted = true;
          numbered =
            /^\d+$/.test(w) ||
            [
              'two',
              'three',
              'four',
              'five',
              'six',
              'seven',
              'eight',
              'nine',
              'ten',
              'eleven',
              'twelve',
              'dozen',
              'pair',
              'couple',
              'both',
              'twin',
            ].includes(w);
        }
        if (w === 'a' || w === 'an' || w === 'one') break;
        continue;
      }
      if (w === 'of' && k > 0 && NUMBERS[tokens[k - 1]!] !== undefined) continue;
      if (BOUNDARY.has(w)) break;
      if (color === null && isColour(w)) color = w;
      const sz = SIZE_WORDS[w];
      if (sz) size = sz;
    }
    if (m.form.words.length === 1 && isColour(m.form.words[0]!) && color === null && count === 1) {
      // "orange" alone is a fruit only when counted or articled: "an orange", "two oranges".
      const before = tokens[m.start - 1];
      if (before === undefined || (NUMBERS[before] === undefined && !m.form.plural)) {
        i = m.end;
        continue;
      }
    }
    found.push({
      mention: {
        entry: m.form.entry,
        phrase: tokens.slice(m.start, m.end).join(' '),
        count: Math.max(1, Math.min(MAX_COUNT, count)),
        color,
        size,
        numbered,
      },
      start: m.start,
      end: m.end,
    });
    i = m.end;
  }

  // The same subject named twice ("a cat … the cat") is one subject.
  const mentions: Mention[] = [];
  const index: number[] = [];
  for (const f of found) {
    const same = mentions.findIndex((m) => m.entry === f.mention.entry);
    if (same >= 0) {
      index.push(same);
      continue;
    }
    index.push(mentions.length);
    mentions.push(f.mention);
  }

  const relations: Relation[] = [];
  const relationIn = (between: string): RelationKind | null => {
    for (const [kind, re] of RELATIONS) if (re.test(between)) return kind;
    return null;
  };
  for (let k = 0; k + 1 < found.length; k++) {
    const a = index[k]!;
    const b = index[k + 1]!;
    if (a === b) continue;
    const between = ` ${tokens.slice(found[k]!.end, found[k + 1]!.start).join(' ')} `;
    const kind = relationIn(between);
    if (kind && !relations.some((r) => r.subject === a && r.object === b))
      relations.push({ kind, subject: a, object: b });
  }

  let setting: Setting = 'outdoor';
  for (const [s, re] of SETTING_WORDS)
    if (re.test(lower)) {
      setting = s;
      break;
    }
  if (setting !== 'outdoor' && mentions.length > 0) {
    // The subject nearest before the setting's word stands on (or in) it.
    const at = lower.search(SETTING_WORDS.find(([s]) => s === setting)![1]);
    const before = tokenize(lower.slice(0, at)).length;
    let subject = -1;
    for (let k = found.length - 1; k >= 0; k--)
      if (found[k]!.end <= before) {
        subject = index[k]!;
        break;
      }
    if (subject >= 0) {
      const between = ` ${tokens.slice(found.find((f, k) => index[k] === subject)!.end, before).join(' ')} `;
      const kind = setting === 'room' ? 'in' : (relationIn(between) ?? 'on');
      relations.push({
        kind: kind === 'next-to' && setting !== 'window' ? 'on' : kind,
        subject,
        object: setting,
      });
    }
  }
  let viewpoint: Viewpoint = 'normal';
  for (const [v, re] of VIEWPOINTS)
    if (re.test(lower)) {
      viewpoint = v;
      break;
    }
  return { mentions, relations, setting, viewpoint };
};
