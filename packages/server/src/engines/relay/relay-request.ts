// The body a relay sends upstream: the validated request in the contract's own shape, each input put back
// in its slot as the upstream's own generation id (chaining without re-upload), as the id of a file
// uploaded through the upstream's Files API (large inputs), or as base64 bytes.
// Pure: the engine reads the files, this decides what goes on the wire.
import type { GenerationRequest, ImageRef, VideoEditOptions, VideoOptions } from '../../contract/wire.js';
import type { ResolvedMedia } from '../engine.js';

/** MIME type sent with base64 bytes, by sniffed format; anything else goes as `application/octet-stream`. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  jxl: 'image/jxl',
  pdf: 'application/pdf',
  html: 'text/html',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  '3gp': 'video/3gpp',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
};

/** The media type of a sniffed format. Unsupported formats keep their true type so the upstream judges them. */
export const mediaTypeForFormat = (format: string): string =>
  MEDIA_TYPES[format] ?? 'application/octet-stream';

/** True when the input must travel as bytes: it did not come from a generation the upstream already has. */
export const needsBytes = (media: Pick<ResolvedMedia, 'upstreamId'>): boolean =>
  media.upstreamId === null || media.upstreamId === undefined;

/** How an input's bytes travel upstream when the upstream does not already have them. */
export type UpstreamBytes = { base64: string } | { fileId: string };

/**
 * The ImageRef for one input: `{generation_id}` of the upstream's own generation when the input chained
 * off a relayed one, else `{file_id}` of an upstream file or `{data, media_type}`. The caller's
 * url/data/generation_id/file_id/media_type are replaced (exactly one source may travel); any other
 * member of the caller's ref is kept.
 */
export function upstreamRef(
  original: ImageRef | null | undefined,
  media: Pick<ResolvedMedia, 'slot' | 'format' | 'upstreamId'>,
  bytes: UpstreamBytes | null,
): ImageRef {
  const rest: Record<string, unknown> = { ...original };
  for (const k of ['url', 'data', 'media_type', 'generation_id', 'file_id']) delete rest[k];
  if (!needsBytes(media)) return { ...rest, generation_id: media.upstreamId ?? null };
  if (bytes === null) throw new Error(`${media.slot}: bytes are needed to relay this input`);
  if ('fileId' in bytes) return { ...rest, file_id: bytes.fileId };
  return { ...rest, data: bytes.base64, media_type: mediaTypeForFormat(media.format) };
}

/** Drops members that are null or undefined: the contract reads null as absent (§2.7), so nothing changes. */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

function compactDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(compactDeep);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = compactDeep(x);
  return out;
}

/**
 * The upstream `POST /generations` body. `refs` maps every input slot (`source`, `image_ref[0]`,
 * `video.start_frame`, `video.end_frame`, `video.keyframes[i]`, `video.edit.keyframes[i]`) to the
 * ImageRef to send there; a slot of the request with no entry is an error (its bytes would be lost).
 *
 * The body keeps `type` and `model` explicit (the upstream must not pick other defaults) and leaves out
 * nulls and the top-level defaults (`image_ref: []`, `style: auto`, `web_search: false`), which mean the
 * same as absent and which a strict upstream might refuse on video types.
 */
export function buildUpstreamRequest(
  req: GenerationRequest,
  refs: ReadonlyMap<string, ImageRef>,
): Record<string, unknown> {
  const used = new Set<string>();
  const at = (slot: string): ImageRef => {
    const ref = refs.get(slot);
    if (ref === undefined) throw new Error(`no input was resolved for ${slot}`);
    used.add(slot);
    return ref;
  };
  const list = (prefix: string, xs: ImageRef[] | null | undefined): ImageRef[] | null | undefined =>
    xs === null || xs === undefined ? xs : xs.map((_, i) => at(`${prefix}[${i}]`));

  const body: Record<string, unknown> = {
    prompt: req.prompt,
    type: req.type,
    model: req.model,
    aspect_ratio: req.aspect_ratio,
    source: req.source === null ? null : at('source'),
    output_format: req.output_format,
    user_id: req.user_id,
  };
  if (req.image_ref.length > 0) body.image_ref = list('image_ref', req.image_ref);
  if (req.style !== 'auto') body.style = req.style;
  if (req.web_search) body.web_search = true;
  if (req.video !== null) {
    const v: VideoOptions = { ...req.video };
    if (v.start_frame != null) v.start_frame = at('video.start_frame');
    if (v.end_frame != null) v.end_frame = at('video.end_frame');
    v.keyframes = list('video.keyframes', v.keyframes);
    if (v.edit != null) {
      const e: VideoEditOptions = { ...v.edit };
      e.keyframes = list('video.edit.keyframes', e.keyframes);
      v.edit = e;
    }
    body.video = compactDeep(v);
  }
  const unused = [...refs.keys()].filter((s) => !used.has(s));
  if (unused.length > 0) throw new Error(`inputs with no place in the request: ${unused.join(', ')}`);
  return compact(body);
}
