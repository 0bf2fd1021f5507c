// Moderation by a term list (UMBRA_MODERATION=terms:<file>): pure parsing and matching, no I/O.
//
// One entry per line. Blank lines and lines starting with `#` are ignored. A line of the form
// `/body/flags` is a regular expression (flags from `imsu`; `i` is always added); any other line is a
// plain term: one or more words, matched whole-word and case-insensitively, with any punctuation or
// spacing between its words (`foo-bar` matches "Foo bar" and "foo_bar" but not "foobars").

/** A parsed term list, ready to match. */
export interface TermList {
  /** Plain terms, each a normalised phrase of lower-case words joined by one space. */
  readonly phrases: ReadonlySet<string>;
  /** The longest plain term, in words (bounds the phrase search). */
  readonly maxWords: number;
  /** Pattern lines, compiled. */
  readonly patterns: readonly RegExp[];
}

/** A term file that cannot be used, with the 1-based line that broke it when there is one. */
export class TermListError extends Error {
  override name = 'TermListError';
}

/** Larger term files are refused: a list this big is a mistake, not a policy. */
export const MAX_TERM_FILE_BYTES = 8 * 1024 * 1024;

const WORD = /[\p{L}\p{N}]+/gu;

/** The lower-case words of a text, in order; punctuation, `_` and spacing only separate them. */
export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** Parses a term file's text. Throws TermListError on binary content, a bad pattern or a huge file. */
export function parseTermList(text: string): TermList {
  if (Buffer.byteLength(text, 'utf8') > MAX_TERM_FILE_BYTES) {
    throw new TermListError(`the term file is larger than ${MAX_TERM_FILE_BYTES} bytes`);
  }
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    throw new TermListError('the term file is not UTF-8 text');
  }
  const phrases = new Set<string>();
  const patterns: RegExp[] = [];
  let maxWords = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const pattern = /^\/(.+)\/([a-z]*)$/s.exec(line);
    if (pattern !== null) {
      const [, body = '', flags = ''] = pattern;
      if (!/^[imsu]*$/.test(flags)) {
        throw new TermListError(`line ${i + 1}: pattern flags may only be i, m, s and u, got '${flags}'`);
      }
      try {
        patterns.push(new RegExp(body, flags.includes('i') ? flags : `${flags}i`));
      } catch (err) {
        throw new TermListError(`line ${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
      }
      continue;
    }
    const w = words(line);
    // A line of punctuation only can never match a word; refusing it surfaces a typo at start-up.
    if (w.length === 0) throw new TermListError(`line ${i + 1}: '${line}' has no letters or digits`);
    phrases.add(w.join(' '));
    maxWords = Math.max(maxWords, w.length);
  }
  return { phrases, maxWords, patterns };
}

/** The first entry `text` hits (the phrase, or the pattern's source), or null when it hits none. */
export function matchTerms(list: TermList, text: string): string | null {
  if (list.phrases.size > 0) {
    const w = words(text);
    // Every run of up to maxWords consecutive words is looked up: linear in the text, whatever the list.
    for (let start = 0; start < w.length; start++) {
      let phrase = '';
      for (let n = 0; n < list.maxWords && start + n < w.length; n++) {
        phrase = n === 0 ? (w[start] ?? '') : `${phrase} ${w[start + n] ?? ''}`;
        if (list.phrases.has(phrase)) return phrase;
      }
    }
  }
  for (const p of list.patterns) if (p.test(text)) return `/${p.source}/`;
  return null;
}
