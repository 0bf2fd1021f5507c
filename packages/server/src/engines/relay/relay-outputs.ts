// What a downloaded upstream output is: its kind as this server stores it and its content type, judged by
// its first bytes (the upstream's Content-Type header is only a fallback). Pure.
import type { RenderedFile } from '../engine.js';

/** The output kinds this server can store; an upstream artifact of another kind is left behind. */
export const outputKind = (type: string): RenderedFile['type'] | null =>
  type === 'image' || type === 'video' || type === 'exr' ? type : null;

const DEFAULTS: Readonly<Record<RenderedFile['type'], string>> = {
  image: 'image/png',
  video: 'video/mp4',
  exr: 'application/zip',
};

/** Bytes worth reading from the start of a file for `outputContentType`. */
export const OUTPUT_HEAD_BYTES = 16;

export function outputContentType(
  type: RenderedFile['type'],
  head: Uint8Array,
  header: string | null,
): string {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const has = (bytes: number[], at = 0): boolean => bytes.every((x, i) => b[at + i] === x);
  if (has([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (has([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.toString('latin1', 4, 8) === 'ftyp') {
    return b.toString('latin1', 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  if (has([0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (has([0x76, 0x2f, 0x31, 0x01])) return 'image/x-exr';
  const declared = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared !== '' && declared !== 'application/octet-stream') return declared;
  return DEFAULTS[type];
}
