// Magic-byte sniffing: what a file IS, independent of the declared media_type or the URL's content-type,
// which clients and servers get wrong. Pure except `sniffFile`, which only reads the first bytes.
import { open } from 'node:fs/promises';

/** What the first bytes of a file say it is. */
export interface Sniffed {
  /** `image` and `video` are media containers; everything else (PDF, HTML, unknown bytes) is `other`. */
  kind: 'image' | 'video' | 'other';
  /** Short format name: `png`, `jpeg`, `webp`, `gif`, `bmp`, `tiff`, `avif`, `heic`, `svg`, `jxl`, `pdf`,
   * `html`, `mp4`, `mov`, `3gp`, `webm`, `mkv`, `avi`, or `unknown`. */
  format: string;
  /** Canonical MIME type for `format` (`application/octet-stream` when unknown). */
  mime: string;
}

/** How many leading bytes `sniff` wants: enough for ftyp brand lists and an SVG behind an XML prolog. */
export const SNIFF_HEAD_BYTES = 4096;

const FORMATS = {
  png: ['image', 'image/png'],
  jpeg: ['image', 'image/jpeg'],
  webp: ['image', 'image/webp'],
  gif: ['image', 'image/gif'],
  bmp: ['image', 'image/bmp'],
  tiff: ['image', 'image/tiff'],
  avif: ['image', 'image/avif'],
  heic: ['image', 'image/heic'],
  svg: ['image', 'image/svg+xml'],
  jxl: ['image', 'image/jxl'],
  pdf: ['other', 'application/pdf'],
  html: ['other', 'text/html'],
  mp4: ['video', 'video/mp4'],
  mov: ['video', 'video/quicktime'],
  '3gp': ['video', 'video/3gpp'],
  webm: ['video', 'video/webm'],
  mkv: ['video', 'video/x-matroska'],
  avi: ['video', 'video/x-msvideo'],
  unknown: ['other', 'application/octet-stream'],
} as const satisfies Record<string, readonly [Sniffed['kind'], string]>;

type Format = keyof typeof FORMATS;

function result(format: Format): Sniffed {
  const [kind, mime] = FORMATS[format];
  return { kind, format, mime };
}

function startsWith(head: Buffer, bytes: readonly number[], at = 0): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

function ascii(head: Buffer, at: number, len: number): string {
  return head.length >= at + len ? head.toString('latin1', at, at + len) : '';
}

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const MOV_BRANDS = new Set(['qt  ']);
const GPP_BRANDS = new Set(['3gp4', '3gp5', '3gp6', '3g2a', '3g2b', '3g2c']);
// Audio-only ISO-BMFF brands: an .m4a is not a video input.
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

// ISO base media (`....ftyp<major><minor><compatible…>`): MP4, MOV, 3GP, AVIF and HEIC share the box
// layout, so the major brand decides, with the compatible list as a tie-breaker for generic `mif1` files.
function sniffFtyp(head: Buffer): Sniffed | null {
  if (ascii(head, 4, 4) !== 'ftyp') return null;
  const boxSize = head.readUInt32BE(0);
  const major = ascii(head, 8, 4);
  const brands = [major];
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) brands.push(ascii(head, at, 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return result('avif');
  if (HEIC_BRANDS.has(major)) return result('heic');
  if (MOV_BRANDS.has(major)) return result('mov');
  if (GPP_BRANDS.has(major)) return result('3gp');
  if (AUDIO_BRANDS.has(major)) return result('unknown');
  // Everything else with an ftyp box (isom, iso2…, mp41, mp42, avc1, dash, M4V, MSNV…) plays as MP4.
  return result('mp4');
}

// SVG and HTML are text: skip a BOM and leading whitespace, then look at the markup. HTML markers win,
// because an HTML page may embed inline <svg> but an SVG file never contains <html>.
function sniffMarkup(head: Buffer): Sniffed | null {
  let text = head.toString('utf8', 0, Math.min(head.length, SNIFF_HEAD_BYTES));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart().toLowerCase();
  if (!text.startsWith('<')) return null;
  if (/^<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]/.test(text)) return result('html');
  if (/<svg[\s>]/.test(text)) return result('svg');
  return null;
}

/** Classifies a file from its first bytes (pass at least `SNIFF_HEAD_BYTES` when available). */
export function sniff(head: Buffer): Sniffed {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return result('png');
  if (startsWith(head, [0xff, 0xd8, 0xff])) return result('jpeg');
  const magic6 = ascii(head, 0, 6);
  if (magic6 === 'GIF87a' || magic6 === 'GIF89a') return result('gif');
  if (ascii(head, 0, 4) === 'RIFF') {
    const riffType = ascii(head, 8, 4);
    if (riffType === 'WEBP') return result('webp');
    if (riffType === 'AVI ') return result('avi');
    return result('unknown');
  }
  // "BM" alone is too weak (it starts plenty of text); also require a known DIB header size at offset 14.
  if (
    ascii(head, 0, 2) === 'BM' &&
    head.length >= 18 &&
    [12, 40, 52, 56, 64, 108, 124].includes(head.readUInt32LE(14))
  ) {
    return result('bmp');
  }
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return result('tiff');
  if (startsWith(head, [0xff, 0x0a]) || startsWith(head, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20]))
    return result('jxl');
  if (ascii(head, 0, 5) === '%PDF-') return result('pdf');
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    // EBML: the DocType element near the start says `webm` or `matroska`.
    return head.subarray(0, 64).includes('webm', 0, 'latin1') ? result('webm') : result('mkv');
  }
  return sniffFtyp(head) ?? sniffMarkup(head) ?? result('unknown');
}

/** A ZIP local-file header (the EXR frames archive); not a media format, so `sniff` leaves it `unknown`. */
export const isZip = (head: Buffer): boolean => startsWith(head, [0x50, 0x4b, 0x03, 0x04]);

/** The first `bytes` of `path` (fewer when the file is shorter) and the file's size. */
export async function readHead(
  path: string,
  bytes = SNIFF_HEAD_BYTES,
): Promise<{ head: Buffer; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, bytes));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await fh.close();
  }
}

/** Reads up to `SNIFF_HEAD_BYTES` from the start of `path` and sniffs them. */
export async function sniffFile(path: string): Promise<Sniffed & { size: number }> {
  const { head, size } = await readHead(path);
  return { ...sniff(head), size };
}
