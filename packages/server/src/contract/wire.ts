// The wire vocabulary of the Generations API (contract §2–§3). Pure data, no I/O.
// Every other module takes its enums and shapes from here; nothing else defines them.
import type { ListPage, ListWindow } from './list-query.js';

/** API version echoed on every response (contract §4.1). */
export const API_VERSION = '2026-04-01';

export const MODELS = ['uni-1', 'uni-1-max', 'ray-3.2'] as const;
/** Model identifier (contract §2.6). */
export type Model = (typeof MODELS)[number];

export const GENERATION_TYPES = ['image', 'image_edit', 'video', 'video_edit', 'video_reframe'] as const;
/** The kind of generation to perform (contract §2.3). Default `image`. */
export type GenerationType = (typeof GENERATION_TYPES)[number];

export const ASPECT_RATIOS = [
  '3:1',
  '2:1',
  '21:9',
  '16:9',
  '4:3',
  '3:2',
  '1:1',
  '3:4',
  '2:3',
  '9:16',
  '1:2',
  '1:3',
] as const;
/** Union of every ratio any model accepts; each model enforces its own subset (contract §2.6). */
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const STYLES = ['auto', 'manga'] as const;
export type Style = (typeof STYLES)[number];

export const OUTPUT_FORMATS = ['png', 'jpeg'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const RESOLUTIONS = ['360p', '540p', '720p', '1080p'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const DURATIONS = ['5s', '10s'] as const;
export type Duration = (typeof DURATIONS)[number];

export const EDIT_STRENGTHS = [
  'adhere_1',
  'adhere_2',
  'adhere_3',
  'flex_1',
  'flex_2',
  'flex_3',
  'reimagine_1',
  'reimagine_2',
  'reimagine_3',
] as const;
export type EditStrength = (typeof EDIT_STRENGTHS)[number];

export const POSE_STRENGTHS = ['precise', 'coarse'] as const;
export type PoseStrength = (typeof POSE_STRENGTHS)[number];

export const STATES = ['queued', 'processing', 'completed', 'failed'] as const;
/** `queued` → `processing` → `completed` | `failed` (contract §3.1). */
export type GenerationState = (typeof STATES)[number];

export const FAILURE_CODES = [
  'content_moderated',
  'generation_failed',
  'budget_exhausted',
  'output_not_found',
  'image_too_large',
  'unsupported_format',
  'corrupt_input',
  'invalid_request',
  'rate_limited',
] as const;
/** Machine-readable failure code (contract §3.4). */
export type FailureCode = (typeof FAILURE_CODES)[number];

/**
 * Media reference (contract §2.4): exactly one of `url`, `data`, `generation_id`, `file_id`.
 * `media_type` is required with `data`, and with `source.url` when the source is a video.
 */
export interface ImageRef {
  /** Public https URL of an image (or a video, for video_edit/video_reframe sources). */
  url?: string | null;
  /** Base64-encoded bytes; size limits apply to the decoded bytes. */
  data?: string | null;
  /** MIME type, e.g. `image/png` or `video/mp4`. */
  media_type?: string | null;
  /** UUID of a prior completed generation of the same client. */
  generation_id?: string | null;
  /** UUID of a `ready` file of the same client (contract, Files API "Referencing a file"). */
  file_id?: string | null;
}

/** Normalised source rectangle on the output canvas (video_reframe only, contract §2.5). */
export interface SourcePosition {
  /** Left edge, fraction of canvas width, [-2, 2]. */
  x_norm: number;
  /** Top edge, fraction of canvas height, [-2, 2]. */
  y_norm: number;
  /** Width, fraction of canvas width, (0, 2]. */
  w_norm: number;
  /** Height, fraction of canvas height, (0, 2]. */
  h_norm: number;
}

export interface AdvancedControls {
  depth?: { enabled?: boolean | null; blur?: number | null } | null;
  face?: { enabled?: boolean | null } | null;
  normals?: { enabled?: boolean | null; augmentation?: number | null } | null;
  pose?: { enabled?: boolean | null; strength?: PoseStrength | null } | null;
  trajectory?: { enabled?: boolean | null; sparsity?: number | null } | null;
}

/** `video.edit` (video_edit only, contract §2.5). Absent ⇒ `auto_controls: true` (§2.7). */
export interface VideoEditOptions {
  auto_controls?: boolean | null;
  strength?: EditStrength | null;
  controls?: AdvancedControls | null;
  keyframes?: ImageRef[] | null;
  keyframe_indexes?: number[] | null;
}

/** `video` options (video types only, contract §2.5). */
export interface VideoOptions {
  /** Default `720p`. */
  resolution?: Resolution | null;
  /** Default `5s` (type video; edit/reframe follow the source). */
  duration?: Duration | null;
  /** Default false. */
  loop?: boolean | null;
  /** Default false; needs HDR access. */
  hdr?: boolean | null;
  /** Default false; needs `hdr`. */
  exr_export?: boolean | null;
  start_frame?: ImageRef | null;
  end_frame?: ImageRef | null;
  keyframes?: ImageRef[] | null;
  keyframe_indexes?: number[] | null;
  source_position?: SourcePosition | null;
  edit?: VideoEditOptions | null;
}

/**
 * A request body after validation, with the defaults of contract §2.7 applied.
 * Optional members of nested objects stay as the caller sent them.
 */
export interface GenerationRequest {
  prompt: string;
  type: GenerationType;
  model: Model;
  aspect_ratio: AspectRatio | null;
  image_ref: ImageRef[];
  source: ImageRef | null;
  style: Style;
  output_format: OutputFormat | null;
  web_search: boolean;
  user_id: string | null;
  video: VideoOptions | null;
}

/** One output artifact (contract §3.2). */
export interface GenerationOutput {
  /** `image`, `video` or `exr`. */
  type: string;
  /** Presigned URL, valid one hour. */
  url: string;
}

/** The response object, key order as documented (contract §3.1). */
export interface Generation {
  id: string;
  type: GenerationType;
  state: GenerationState;
  model: Model;
  created_at: string;
  output: GenerationOutput[];
  failure_reason: string | null;
  failure_code: FailureCode | null;
}

/**
 * The query of `GET /v1/generations` as it travels (Umbra's own route, issue 11): every member optional.
 * What `parseGenerationListQuery` reads; the client library's `GenerationListParams` must fit it
 * (`sdk-types.test.ts`).
 */
export interface GenerationListParams {
  /** The `next_cursor` of the previous page; absent = from the newest generation. */
  cursor?: string | null;
  /** Page size, 1–100; default 25. */
  limit?: number | null;
  /** Only generations in this state. */
  state?: GenerationState | null;
  /** Only generations of this type. */
  type?: GenerationType | null;
  /** Only generations of this model. */
  model?: Model | null;
}

/**
 * A page of `GET /v1/generations`, newest first (the Files list's envelope). Each item is the
 * generation exactly as `GET /v1/generations/{id}` answers it, output URLs freshly signed.
 */
export type GenerationList = ListPage<Generation>;

/** `GET /v1/generations` query, validated. */
export interface GenerationListQuery extends ListWindow {
  state: GenerationState | null;
  type: GenerationType | null;
  model: Model | null;
}

/** Error body of every 4xx/5xx (contract §4.1). */
export interface ErrorBody {
  detail: string;
}

export const isVideoType = (t: GenerationType): boolean =>
  t === 'video' || t === 'video_edit' || t === 'video_reframe';
