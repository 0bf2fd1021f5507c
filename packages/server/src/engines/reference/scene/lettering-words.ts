// Finds the words a prompt asks to see written in the image ("a sign saying OPEN", "a shop named Blue Door")
// and what carries them (a logo, a sign, a title). Pure; reads the original prompt so the user's
// capitalisation survives (the rest of the parser lowercases).

/** What carries the words: an emblem, a sign panel in the scene, or a title band. */
export type LetteringKind = 'logo' | 'sign' | 'title';

/** Words to letter into the image. */
export interface Lettering {
  text: string;
  kind: LetteringKind;
}

/** Longest text lettered, in characters; longer text is cut at a word boundary. */
export const MAX_LETTERING = 40;

const LETTER = /[\p{L}\p{N}]/u;

/**
 * Quote pairs. Single quotes only open after a non-letter and only close before one, so the apostrophes in
 * "cat's" or "rock 'n' roll"'s one-letter word do not start a quotation; inside, an apostrophe followed by
 * a letter ("'Bob's Burgers'") is part of the text.
 */
const QUOTED: readonly { re: RegExp; single: boolean }[] = [
  { re: /"([^"]*)"/gu, single: false },
  { re: /\u201c([^\u201c\u201d]*)[\u201d\u201c]/gu, single: false },
  { re: /\u201e([^\u201c\u201d]*)[\u201c\u201d]/gu, single: false },
  { re: /\u00ab([^\u00bb]*)\u00bb/gu, single: false },
  { re: /(?<![\p{L}\p{N}])'((?:[^']|'(?=[\p{L}\p{N}]))*?)'(?![\p{L}\p{N}])/gu, single: true },
  {
    re: /(?<![\p{L}\p{N}])\u2018((?:[^\u2018\u2019]|\u2019(?=[\p{L}\p{N}]))*?)\u2019(?![\p{L}\p{N}])/gu,
    single: true,
  },
];

/** The marks that close a quotation opened by each mark. */
const CLOSERS: Readonly<Record<string, RegExp>> = {
  '"': /"/u,
  '\u201c': /[\u201d\u201c]/u,
  '\u201e': /[\u201c\u201d]/u,
  '\u00ab': /\u00bb/u,
  "'": /'/u,
  '\u2018': /\u2019/u,
};

/** Nouns after which "reading" introduces words ("a sign reading OPEN", not "a girl reading a book"). */
const READ_BY =
  '(?:sign|signboard|banner|plaque|poster|placard|board|label|cover|logo|badge|card|marquee|billboard|neon|t-shirt|shirt|mug|title)s?\\s+reading';
/** Words after which the rest of the clause is the text. "so-called" is not one. */
const INTRO = new RegExp(
  `(?<![\\p{L}-])(?:called|named|saying|says|titled|entitled|labell?ed|that reads|which reads|with the words?|with the text|${READ_BY})\\s+`,
  'iu',
);
/** Clause boundaries that end an unquoted text. */
const STOP_MARK = /[,.;:()[\]\n]/u;
const STOP_WORDS = [
  'on',
  'in',
  'at',
  'with',
  'under',
  'by',
  'near',
  'over',
  'beside',
  'behind',
  'against',
  'during',
  'from',
  'for',
  'above',
  'below',
  'next to',
  'outside',
  'inside',
  'along',
  'across',
  'while',
  'where',
  'which',
  'that',
  'who',
];
/** Small words a capitalised name may hold ("The Lord of the Rings", "Salt & Pepper"). */
const CONNECTIVES = new Set([
  'the',
  'of',
  'and',
  'a',
  'an',
  '&',
  'de',
  'la',
  'le',
  'du',
  'des',
  'von',
  'van',
  'der',
  'y',
  'et',
  'n',
  'to',
]);
const EDGE_PUNCT =
  /^["'\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb\s-]+|["'\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb\s,;:-]+$/gu;

/** Where in the prompt the words are. */
interface Found {
  text: string;
  start: number;
  end: number;
}

const tidy = (s: string): string =>
  s
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();

/** Cuts text longer than {@link MAX_LETTERING} at the last word boundary that fits (mid-word if none). */
const cap = (s: string): string => {
  const chars = Array.from(s);
  if (chars.length <= MAX_LETTERING) return s;
  const head = chars.slice(0, MAX_LETTERING + 1).join('');
  const cut = head.lastIndexOf(' ');
  const kept = cut > 0 ? head.slice(0, cut) : chars.slice(0, MAX_LETTERING).join('');
  return kept.replace(/[\s,;:-]+$/u, '');
};

const quoted = (prompt: string): Found | null => {
  let best: Found | null = null;
  for (const { re, single } of QUOTED) {
    for (const m of prompt.matchAll(re)) {
      const text = tidy(m[1] ?? '');
      if (!LETTER.test(text) || (single && Array.from(text).length < 2)) continue;
      if (!best || m.index < best.start) best = { text, start: m.index, end: m.index + m[0].length };
      break;
    }
  }
  return best;
};

const introduced = (prompt: string): Found | null => {
  const m = INTRO.exec(prompt);
  if (!m) return null;
  const from = m.index + m[0].length;
  let rest = prompt.slice(from);
  // 'saying ""': a closed quotation here was the text, and quoted() found nothing worth lettering in it.
  const closer = CLOSERS[rest.charAt(0)];
  if (closer?.test(rest.slice(1))) return null;
  const mark = STOP_MARK.exec(rest);
  if (mark) rest = rest.slice(0, mark.index);
  // Prepositions end the text when written in lower case; a shouted all-caps prompt has no case to go by.
  const shouted = !/\p{Ll}/u.test(prompt);
  const stop = new RegExp(`\\s(?:${STOP_WORDS.join('|')})(?=\\s|$)`, shouted ? 'iu' : 'u').exec(rest);
  if (stop) rest = rest.slice(0, stop.index);
  let words = rest.split(/\s+/u).filter((w) => w.length > 0);
  // A capitalised name ends at the first lower-case word that is not one of its small words:
  // "a dog named Rex sitting" letters "Rex".
  const first = words[0]?.replace(EDGE_PUNCT, '') ?? '';
  if (!shouted && /^[\p{Lu}\p{N}]/u.test(first)) {
    const end = words.findIndex((w, i) => i > 0 && /^\p{Ll}/u.test(w) && !CONNECTIVES.has(w));
    if (end > 0) words = words.slice(0, end);
    while (words.length > 1 && CONNECTIVES.has(words[words.length - 1]!)) words.pop();
  }
  const taken = words.join(' ');
  const text = tidy(taken.replace(EDGE_PUNCT, ''));
  if (!LETTER.test(text)) return null;
  return { text, start: from, end: from + rest.length };
};

/** Finds the text to letter: the first quotation, else the words after called/named/saying/titled/…. */
const locate = (prompt: string): Found | null => {
  const found = quoted(prompt) ?? introduced(prompt);
  return found && { ...found, text: cap(found.text) };
};

/** The text a prompt asks to see written, with its own capitalisation, or null. */
export const findLettering = (prompt: string): string | null => locate(prompt)?.text ?? null;

const LOGO =
  /(?<![\p{L}\p{N}])(?:logo|emblem|badge|monogram|crest|insignia|icon|wordmark)s?(?![\p{L}\p{N}])/u;
const SIGN =
  /(?<![\p{L}\p{N}])(?:sign|signboard|signage|neon|shop|store|storefront|shopfront|billboard|banner|marquee|plaque|cafe|café|bar|pub|bakery|restaurant|diner|boutique|bookshop|bookstore)s?(?![\p{L}\p{N}])/u;

/** What carries the words; the words themselves are left out ("a poster titled 'Neon Dreams'" is a title). */
export const letteringKind = (promptWithoutText: string): LetteringKind => {
  const t = promptWithoutText.toLowerCase();
  if (LOGO.test(t)) return 'logo';
  if (SIGN.test(t)) return 'sign';
  return 'title';
};

/** The prompt without the words to letter, so they are not read as things to draw or times of day. */
export const withoutLettering = (prompt: string): string => {
  const found = locate(prompt);
  return found ? `${prompt.slice(0, found.start)} ${prompt.slice(found.end)}` : prompt;
};

/** The lettering a prompt asks for, or null when it names no text. */
export const readLettering = (prompt: string): Lettering | null => {
  const found = locate(prompt);
  if (!found) return null;
  return {
    text: found.text,
    kind: letteringKind(prompt.slice(0, found.start) + ' ' + prompt.slice(found.end)),
  };
};
