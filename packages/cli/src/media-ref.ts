// Turns a command-line input (file, URL, data: URI or generation id) into an ImageRef (contract §2.4).
// Local files travel as base64 `data` — or, above a size limit, through the Files API as a `file_id` — so
// their media type is sniffed from the bytes, not trusted to a name.
import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FilePurpose, ImageRef } from '@umbra/sdk';
import { sniffMediaType } from '@umbra/sdk';
import { usageError } from './exit-codes.js';

/**
 * Default of `umbra generate --inline-limit`: local inputs up to 4 MiB travel inline as base64; larger ones
 * are uploaded through the Files API and referenced by `file_id`, which keeps the request small (base64
 * adds a third) and streams the bytes instead of holding them in memory.
 */
export const INLINE_INPUT_MAX_BYTES = 4 * 1024 * 1024;

/** Uploads a local file (Files API) until it is ready and returns its id. */
export type Uploader = (path: string, mediaType: string, purpose: FilePurpose) => Promise<string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATA_URI = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;

/** `file:<uuid>` (a file uploaded earlier): its id is a UUID too, so it needs the prefix. */
const fileIdOf = (arg: string): string | undefined => {
  const id = /^file:(.+)$/.exec(arg)?.[1];
  return id !== undefined && UUID.test(id) ? id : undefined;
};

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

/** The media type of the bytes by their magic numbers, or null when unknown (the SDK's own sniffer). */
export { sniffMediaType };

export const isVideoMediaType = (t: string | null | undefined): boolean => t?.startsWith('video/') === true;

/** Where the input goes: a video position needs `media_type` even for a URL (contract §2.4). */
export interface RefContext {
  /** The flag, for messages: `--source`, `--ref`… */
  flag: string;
  /** True when a URL here must be a video (source of video_edit/video_reframe). */
  videoUrl?: boolean;
  /** Files larger than `maxInline` bytes go through `send` instead of inline base64. */
  upload?: { maxInline: number; send: Uploader; purpose: FilePurpose };
}

const unreadable = (err: unknown, arg: string, flag: string): Error => {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
  return usageError(`${flag} ${arg}: ${why} (give a file, an http(s) URL or a generation id)`);
};

/** The first bytes of a file, enough to sniff its type. */
async function head(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The media type of a local file from its bytes, else its extension; a usage error when neither tells. */
export function mediaTypeOf(bytes: Uint8Array, path: string, flag: string): string {
  const mediaType = sniffMediaType(bytes) ?? BY_EXTENSION[extname(path).toLowerCase()] ?? null;
  if (mediaType === null) {
    throw usageError(`${flag} ${path}: not a PNG, JPEG, WebP, GIF, MP4, MOV or WebM file`);
  }
  return mediaType;
}

export async function toMediaRef(arg: string, ctx: RefContext): Promise<ImageRef> {
  if (UUID.test(arg)) return { generation_id: arg };
  const fileId = fileIdOf(arg);
  if (fileId !== undefined) return { file_id: fileId };
  if (/^https?:\/\//i.test(arg)) {
    const byExt = BY_EXTENSION[extname(new URL(arg).pathname).toLowerCase()];
    if (isVideoMediaType(byExt)) return { url: arg, media_type: byExt ?? null };
    return ctx.videoUrl ? { url: arg, media_type: 'video/mp4' } : { url: arg };
  }
  const dataUri = DATA_URI.exec(arg);
  if (dataUri !== null) return { data: dataUri[2] ?? '', media_type: dataUri[1] ?? null };
  let size: number;
  try {
    const st = await stat(arg);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = st.size;
  } catch (err) {
    throw unreadable(err, arg, ctx.flag);
  }
  if (ctx.upload !== undefined && size > ctx.upload.maxInline) {
    const mediaType = mediaTypeOf(await head(arg), arg, ctx.flag);
    return { file_id: await ctx.upload.send(arg, mediaType, ctx.upload.purpose) };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(arg);
  } catch (err) {
    throw unreadable(err, arg, ctx.flag);
  }
  return { data: bytes.toString('base64'), media_type: mediaTypeOf(bytes, arg, ctx.flag) };
}

/**
 * Whether an input names a video, judged before anything is sent (used to pick `video_edit` over
 * `image_edit` when --type is absent): a local file by its first bytes, a URL by its extension, a data: URI
 * by its media type. A generation id or `file:<id>` counts as an image; only the server knows its kind.
 */
export async function inputIsVideo(arg: string, flag: string): Promise<boolean> {
  if (UUID.test(arg) || fileIdOf(arg) !== undefined) return false;
  if (/^https?:\/\//i.test(arg)) {
    return isVideoMediaType(BY_EXTENSION[extname(new URL(arg).pathname).toLowerCase()]);
  }
  const dataUri = DATA_URI.exec(arg);
  if (dataUri !== null) return isVideoMediaType(dataUri[1]);
  let bytes: Uint8Array;
  try {
    bytes = await head(arg);
  } catch (err) {
    throw unreadable(err, arg, flag);
  }
  return isVideoMediaType(mediaTypeOf(bytes, arg, flag));
}
