// Turns a command-line input (file, URL, data: URI or generation id) into an ImageRef (contract §2.4).
// Local files travel as base64 `data`, so their media type is sniffed from the bytes, not trusted to a name.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImageRef } from '@umbra/sdk';
import { usageError } from './exit-codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
};

const ascii = (b: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...b.subarray(from, to));

/** The media type of the bytes by their magic numbers, or null when unknown. */
export function sniffMediaType(b: Uint8Array): string | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === 'PNG') return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8') return 'image/gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    return ascii(b, 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'video/webm';
  return null;
}

export const isVideoMediaType = (t: string | null | undefined): boolean => t?.startsWith('video/') === true;

/** Where the input goes: a video position needs `media_type` even for a URL (contract §2.4). */
export interface RefContext {
  /** The flag, for messages: `--source`, `--ref`… */
  flag: string;
  /** True when a URL here must be a video (source of video_edit/video_reframe). */
  videoUrl?: boolean;
}

export async function toMediaRef(arg: string, ctx: RefContext): Promise<ImageRef> {
  if (UUID.test(arg)) return { generation_id: arg };
  if (/^https?:\/\//i.test(arg)) {
    const byExt = BY_EXTENSION[extname(new URL(arg).pathname).toLowerCase()];
    if (isVideoMediaType(byExt)) return { url: arg, media_type: byExt ?? null };
    return ctx.videoUrl ? { url: arg, media_type: 'video/mp4' } : { url: arg };
  }
  const dataUri = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s.exec(arg);
  if (dataUri !== null) return { data: dataUri[2] ?? '', media_type: dataUri[1] ?? null };
  let bytes: Buffer;
  try {
    bytes = await readFile(arg);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw usageError(`${ctx.flag} ${arg}: ${why} (give a file, an http(s) URL or a generation id)`);
  }
  const mediaType = sniffMediaType(bytes) ?? BY_EXTENSION[extname(arg).toLowerCase()] ?? null;
  if (mediaType === null) {
    throw usageError(`${ctx.flag} ${arg}: not a PNG, JPEG, WebP, GIF, MP4, MOV or WebM file`);
  }
  return { data: bytes.toString('base64'), media_type: mediaType };
}

/** Whether an input names a video (used to pick `video_edit` over `image_edit` when --type is absent). */
export const refIsVideo = (ref: ImageRef): boolean => isVideoMediaType(ref.media_type);
