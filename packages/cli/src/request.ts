// Builds the request body of `umbra generate` from its flags. Only what the user gave is sent, so the
// server's defaults (contract §2.7) apply to the rest.
import type {
  GenerationCreateParams,
  GenerationType,
  ImageRef,
  VideoEditOptions,
  VideoOptions,
} from '@umbra/sdk';
import type { Choices, ClosedFlags, TypeOrigin } from './choices.js';
import { checkChoices } from './choices.js';
import { usageError } from './exit-codes.js';
import type { RefContext, Uploader } from './media-ref.js';
import { INLINE_INPUT_MAX_BYTES, inputIsVideo, toMediaRef } from './media-ref.js';

/**
 * The flags of `umbra generate`. The closed-set ones (`ClosedFlags`: --model, --ratio, --format, --style,
 * --resolution, --duration, --strength) are plain strings until `checkChoices` vets them.
 */
export interface GenerateFlags extends ClosedFlags {
  type?: GenerationType;
  webSearch?: boolean;
  userId?: string;
  ref: string[];
  source?: string;
  hdr?: boolean;
  exr?: boolean;
  loop?: boolean;
  startFrame?: string;
  endFrame?: string;
  keyframe: string[];
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
 * The type the request makes, and where it came from. Without --type, the one the other flags imply,
 * rather than sending a request that must fail: --source makes an edit (`video_edit` for a video), video
 * flags make `video`, and nothing at all leaves the API's default, `image` (not sent).
 */
export async function resolveType(f: GenerateFlags): Promise<{ type: GenerationType; origin: TypeOrigin }> {
  if (f.type !== undefined) return { type: f.type, origin: 'flag' };
  if (f.source !== undefined) {
    return {
      type: (await inputIsVideo(f.source, '--source')) ? 'video_edit' : 'image_edit',
      origin: 'source',
    };
  }
  return hasVideoFlags(f) ? { type: 'video', origin: 'video flags' } : { type: 'image', origin: 'default' };
}

/**
 * The request for `prompt` and the flags. The closed-set flags are checked against the model and type
 * first (a usage error names the accepted values), before any input is read in full or uploaded. With
 * `upload`, local files larger than `--inline-limit` are uploaded through the Files API and sent as
 * `file_id`; without it every local file goes inline.
 */
export async function buildRequest(
  prompt: string,
  f: GenerateFlags,
  upload?: Uploader,
): Promise<GenerationCreateParams> {
  const { type, origin } = await resolveType(f);
  const c = checkChoices(f, type, origin);
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
  const params: GenerationCreateParams = { prompt };
  if (origin !== 'default') params.type = type;
  if (c.model !== undefined) params.model = c.model;
  if (c.aspect_ratio !== undefined) params.aspect_ratio = c.aspect_ratio;
  if (c.output_format !== undefined) params.output_format = c.output_format;
  if (c.style !== undefined) params.style = c.style;
  if (f.webSearch === true) params.web_search = true;
  if (f.userId !== undefined) params.user_id = f.userId;
  if (f.ref.length > 0) {
    params.image_ref = await Promise.all(
      f.ref.map((r, i) => toMediaRef(r, ctx(`--ref #${i + 1}`, 'reference'))),
    );
  }
  if (source !== undefined) params.source = source;
  const video = await buildVideo(f, c, type, ctx);
  if (video !== null) params.video = video;
  return params;
}

async function buildVideo(
  f: GenerateFlags,
  c: Choices,
  type: GenerationType,
  ctx: (flag: string) => RefContext,
): Promise<VideoOptions | null> {
  const video: VideoOptions = {};
  if (c['video.resolution'] !== undefined) video.resolution = c['video.resolution'];
  if (c['video.duration'] !== undefined) video.duration = c['video.duration'];
  if (f.hdr === true) video.hdr = true;
  if (f.exr === true) video.exr_export = true;
  if (f.loop === true) video.loop = true;
  if (f.startFrame !== undefined) video.start_frame = await toMediaRef(f.startFrame, ctx('--start-frame'));
  if (f.endFrame !== undefined) video.end_frame = await toMediaRef(f.endFrame, ctx('--end-frame'));
  const edit: VideoEditOptions = {};
  if (c['video.edit.strength'] !== undefined) edit.strength = c['video.edit.strength'];
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
