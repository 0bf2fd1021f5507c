// Builds the request body of `umbra generate` from its flags. Only what the user gave is sent, so the
// server's defaults (contract §2.7) apply to the rest.
import type {
  GenerationCreateParams,
  GenerationType,
  ImageRef,
  VideoEditOptions,
  VideoOptions,
} from '@umbra/sdk';
import { usageError } from './exit-codes.js';
import type { RefContext, Uploader } from './media-ref.js';
import { INLINE_INPUT_MAX_BYTES, refIsVideo, toMediaRef } from './media-ref.js';

export interface GenerateFlags {
  type?: GenerationType;
  model?: string;
  ratio?: string;
  format?: 'png' | 'jpeg';
  style?: 'auto' | 'manga';
  webSearch?: boolean;
  userId?: string;
  ref: string[];
  source?: string;
  resolution?: VideoOptions['resolution'];
  duration?: VideoOptions['duration'];
  hdr?: boolean;
  exr?: boolean;
  loop?: boolean;
  startFrame?: string;
  endFrame?: string;
  keyframe: string[];
  strength?: VideoEditOptions['strength'];
  /** Local files larger than this many bytes go through the Files API; default 4 MiB. */
  inlineLimit?: number;
}

const VIDEO_SOURCE_TYPES: readonly GenerationType[] = ['video_edit', 'video_reframe'];

/** `--keyframe INDEX=INPUT` → [index, input]. */
export function parseKeyframe(arg: string): [number, string] {
  const eq = arg.indexOf('=');
  const index = Number(arg.slice(0, eq));
  if (eq <= 0 || !Number.isInteger(index) || index < 0 || eq === arg.length - 1) {
    throw usageError(
      `--keyframe ${arg}: expected INDEX=FILE|URL|ID with a frame index ≥ 0, e.g. 0=first.png`,
    );
  }
  return [index, arg.slice(eq + 1)];
}

const hasVideoFlags = (f: GenerateFlags): boolean =>
  f.resolution !== undefined ||
  f.duration !== undefined ||
  f.hdr === true ||
  f.exr === true ||
  f.loop === true ||
  f.startFrame !== undefined ||
  f.endFrame !== undefined ||
  f.keyframe.length > 0 ||
  f.strength !== undefined;

/**
 * The request for `prompt` and the flags. With `upload`, local files larger than `--inline-limit` are
 * uploaded through the Files API and sent as `file_id`; without it every local file goes inline.
 */
export async function buildRequest(
  prompt: string,
  f: GenerateFlags,
  upload?: Uploader,
): Promise<GenerationCreateParams> {
  const maxInline = f.inlineLimit ?? INLINE_INPUT_MAX_BYTES;
  // Sources and frames are the subject of the output; --ref images only guide it.
  const ctx = (flag: string, purpose: 'input' | 'reference' = 'input'): RefContext =>
    upload === undefined ? { flag } : { flag, upload: { maxInline, send: upload, purpose } };
  const source =
    f.source === undefined
      ? undefined
      : await toMediaRef(f.source, {
          ...ctx('--source'),
          videoUrl: f.type !== undefined && VIDEO_SOURCE_TYPES.includes(f.type),
        });
  // Without --type, pick the one the other flags imply, rather than sending a request that must fail.
  const type: GenerationType | undefined =
    f.type ??
    (source !== undefined
      ? refIsVideo(source)
        ? 'video_edit'
        : 'image_edit'
      : hasVideoFlags(f)
        ? 'video'
        : undefined);
  const params: GenerationCreateParams = { prompt };
  if (type !== undefined) params.type = type;
  if (f.model !== undefined) params.model = f.model as GenerationCreateParams['model'];
  if (f.ratio !== undefined) params.aspect_ratio = f.ratio as GenerationCreateParams['aspect_ratio'];
  if (f.format !== undefined) params.output_format = f.format;
  if (f.style !== undefined) params.style = f.style;
  if (f.webSearch === true) params.web_search = true;
  if (f.userId !== undefined) params.user_id = f.userId;
  if (f.ref.length > 0) {
    params.image_ref = await Promise.all(
      f.ref.map((r, i) => toMediaRef(r, ctx(`--ref #${i + 1}`, 'reference'))),
    );
  }
  if (source !== undefined) params.source = source;
  const video = await buildVideo(f, type, ctx);
  if (video !== null) params.video = video;
  return params;
}

async function buildVideo(
  f: GenerateFlags,
  type: GenerationType | undefined,
  ctx: (flag: string) => RefContext,
): Promise<VideoOptions | null> {
  const video: VideoOptions = {};
  if (f.resolution !== undefined) video.resolution = f.resolution;
  if (f.duration !== undefined) video.duration = f.duration;
  if (f.hdr === true) video.hdr = true;
  if (f.exr === true) video.exr_export = true;
  if (f.loop === true) video.loop = true;
  if (f.startFrame !== undefined) video.start_frame = await toMediaRef(f.startFrame, ctx('--start-frame'));
  if (f.endFrame !== undefined) video.end_frame = await toMediaRef(f.endFrame, ctx('--end-frame'));
  const edit: VideoEditOptions = {};
  if (f.strength !== undefined) edit.strength = f.strength;
  if (f.keyframe.length > 0) {
    const pairs = f.keyframe.map(parseKeyframe);
    const keyframes: ImageRef[] = await Promise.all(
      pairs.map(([i, input]) => toMediaRef(input, ctx(`--keyframe ${i}`))),
    );
    const indexes = pairs.map(([i]) => i);
    // Keyframes of an edit sit on the source's frame grid, under video.edit (contract §2.5).
    if (type === 'video_edit') {
      edit.keyframes = keyframes;
      edit.keyframe_indexes = indexes;
    } else {
      video.keyframes = keyframes;
      video.keyframe_indexes = indexes;
    }
  }
  if (Object.keys(edit).length > 0) video.edit = edit;
  return Object.keys(video).length > 0 ? video : null;
}
