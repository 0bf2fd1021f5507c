// What a downloaded upstream output is: its kind as this server stores it and its content type, judged by
// its first bytes through the one sniffer (the upstream's Content-Type header is only a fallback). Pure.
import { isZip, sniff } from '../../inputs/sniff.js';
import type { RenderedFile } from '../engine.js';

/** The output kinds this server can store; an upstream artifact of another kind is left behind. */
export const outputKind = (type: string): RenderedFile['type'] | null =>
  type === 'image' || type === 'video' || type === 'exr' ? type : null;

const DEFAULTS: Readonly<Record<RenderedFile['type'], string>> = {
  image: 'image/png',
  video: 'video/mp4',
  exr: 'application/zip',
};

export function outputContentType(
  type: RenderedFile['type'],
  head: Uint8Array,
  header: string | null,
): string {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const sniffed = sniff(b);
  if (sniffed.kind === 'image' || sniffed.kind === 'video') return sniffed.mime;
  if (isZip(b)) return 'application/zip';
  if (b.toString('latin1', 0, 4) === 'v/1\x01') return 'image/x-exr';
  const declared = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared !== '' && declared !== 'application/octet-stream') return declared;
  return DEFAULTS[type];
}
