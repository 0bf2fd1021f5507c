// The typefaces the lettering is drawn in, read from their npm packages (never from the system) and parsed
// once per thread. Each face is its Latin file plus the Latin Extended file as a fallback for the letters
// the first lacks (Fontsource splits fonts by Unicode range).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype, { type Font } from 'opentype.js';

/** `display`: Bebas Neue, tall capitals for signs and logos. `serif`: Playfair Display Bold, for titles. */
export type Face = 'display' | 'serif';

const FILES: Record<Face, readonly string[]> = {
  display: [
    '@fontsource/bebas-neue/files/bebas-neue-latin-400-normal.woff',
    '@fontsource/bebas-neue/files/bebas-neue-latin-ext-400-normal.woff',
  ],
  serif: [
    '@fontsource/playfair-display/files/playfair-display-latin-700-normal.woff',
    '@fontsource/playfair-display/files/playfair-display-latin-ext-700-normal.woff',
  ],
};

const require = createRequire(import.meta.url);
const loaded = new Map<Face, readonly Font[]>();

const parseFile = (spec: string): Font => {
  const bytes = readFileSync(require.resolve(spec));
  return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

/** The face's fonts, first choice first; parsed on first use and kept for the thread's life. */
export const fontsFor = (face: Face): readonly Font[] => {
  let fonts = loaded.get(face);
  if (!fonts) {
    fonts = FILES[face].map(parseFile);
    loaded.set(face, fonts);
  }
  return fonts;
};
