// Wire types of the Generations API (contract §2–§3). Written by hand because the library has no
// dependencies; packages/server/src/contract/sdk-types.test.ts fails to compile if they drift from the
// server's contract module in either direction.

/**
 * Model identifier (contract §2.6). `uni-1` and `uni-1-max` make images (`image`, `image_edit`);
 * `ray-3.2` makes video (`video`, `video_edit`, `video_reframe`).
 */
export type Model = 'uni-1' | 'uni-1-max' | 'ray-3.2';

/** The kind of generation (contract §2.3). Default `image`. */
export type GenerationType = 'image' | 'image_edit' | 'video' | 'video_edit' | 'video_reframe';

/** `queued` → `processing` → `completed` | `failed`; the last two are terminal (contract §3.1). */
export type GenerationState = 'queued' | 'processing' | 'completed' | 'failed';

/**
 * Why a generation failed (contract §3.4). Worth retrying unchanged: `generation_failed`,
 * `output_not_found`, `rate_limited`. The others need a different request, inputs or balance.
 */
export type FailureCode =
  | 'content_moderated'
  | 'generation_failed'
  | 'budget_exhausted'
  | 'output_not_found'
  | 'image_too_large'
  | 'unsupported_format'
  | 'corrupt_input'
  | 'invalid_request'
  | 'rate_limited';

/**
 * Every ratio any model accepts. Image models take `3:1 2:1 16:9 3:2 1:1 2:3 9:16 1:2 1:3`;
 * `ray-3.2` takes `9:16 3:4 1:1 4:3 16:9 21:9` (contract §2.6).
 */
export type AspectRatio =
  '3:1' | '2:1' | '21:9' | '16:9' | '4:3' | '3:2' | '1:1' | '3:4' | '2:3' | '9:16' | '1:2' | '1:3';

/** Output format of the image types (contract §2.3); absent or null = the model chooses. */
export type OutputFormat = 'png' | 'jpeg';

/** Style of the image types (contract §2.3); `manga` on type `image` needs a portrait ratio. */
export type Style = 'auto' | 'manga';

/** Video output resolution (contract §2.5); `360p` is the draft tier. */
export type Resolution = '360p' | '540p' | '720p' | '1080p';

/** Video length (contract §2.5). */
export type Duration = '5s' | '10s';

/** `video.edit.strength` preset, from closest to the source (`adhere_1`) to most change (`reimagine_3`). */
export type EditStrength =
  | 'adhere_1'
  | 'adhere_2'
  | 'adhere_3'
  | 'flex_1'
  | 'flex_2'
  | 'flex_3'
  | 'reimagine_1'
  | 'reimagine_2'
  | 'reimagine_3';

/**
 * A media input (contract §2.4): give exactly one of `url`, `data`, `generation_id` or `file_id`.
 * Images: JPEG, PNG, WebP or still GIF, at most 50 MB and 8000 px per side.
 */
export interface ImageRef {
  /** Public `https://` URL of an image (or of a video, for `video_edit`/`video_reframe` sources). */
  url?: string | null;
  /** Base64-encoded bytes; the 50 MB image limit applies to the decoded bytes. Needs `media_type`. */
  data?: string | null;
  /**
   * MIME type such as `image/png` or `video/mp4`. Required with `data`, and with a video `source.url`;
   * optional for image URLs.
   */
  media_type?: string | null;
  /** UUID of an earlier completed generation of the same account, used as this input (chaining). */
  generation_id?: string | null;
  /**
   * UUID of a file uploaded through the Files API (`client.files.upload`) by the same account. It must be
   * `ready`, and of the kind the position needs (an image, or a video for a video source).
   */
  file_id?: string | null;
}

/** Where the source sits on the output canvas (`video_reframe` only). All four are required when given. */
export interface SourcePosition {
  /** Left edge as a fraction of the canvas width, -2 to 2 (negative bleeds off the left). */
  x_norm: number;
  /** Top edge as a fraction of the canvas height, -2 to 2. */
  y_norm: number;
  /** Source width as a fraction of the canvas width, greater than 0 and at most 2. */
  w_norm: number;
  /** Source height as a fraction of the canvas height, greater than 0 and at most 2. */
  h_norm: number;
}

/** Manual conditioning for `video_edit`; every member is optional, omitted `enabled` = model default. */
export interface AdvancedControls {
  /** Depth control; `blur` 0–1, higher = more geometric freedom. */
  depth?: { enabled?: boolean | null; blur?: number | null } | null;
  /** Keep face identity. */
  face?: { enabled?: boolean | null } | null;
  /** Surface normals; `augmentation` 0–1, higher = more reinterpretation. */
  normals?: { enabled?: boolean | null; augmentation?: number | null } | null;
  /** Body pose; `strength` `precise` or `coarse`. */
  pose?: { enabled?: boolean | null; strength?: 'precise' | 'coarse' | null } | null;
  /** Motion anchors; `sparsity` 0–1, higher = fewer anchors. */
  trajectory?: { enabled?: boolean | null; sparsity?: number | null } | null;
}

/** `video.edit`, valid only for `video_edit`. Absent = `auto_controls: true`. */
export interface VideoEditOptions {
  /** Let the model derive the conditioning from the source (recommended). Not with `strength`/`controls`. */
  auto_controls?: boolean | null;
  /** Preset from closest to the source (`adhere_1`) to most change (`reimagine_3`). */
  strength?: EditStrength | null;
  /** Per-signal manual conditioning. */
  controls?: AdvancedControls | null;
  /** Up to 64 guide images placed on the source's 24 fps frame grid; not with `video.start_frame`. */
  keyframes?: ImageRef[] | null;
  /** Frame index of each entry of `keyframes` (same length, ≥ 0, unique). */
  keyframe_indexes?: number[] | null;
}

/** Options of the video types (contract §2.5). Not allowed on image types. */
export interface VideoOptions {
  /** `360p` | `540p` | `720p` | `1080p`; default `720p`. HDR on type `video` needs 720p or 1080p. */
  resolution?: Resolution | null;
  /** `5s` or `10s`, default `5s` (type `video`; edits and reframes follow the source). */
  duration?: Duration | null;
  /** Seamless loop; default false. Type `video` only, 5 s, not with `hdr`, `end_frame` or `keyframes`. */
  loop?: boolean | null;
  /** HDR output; default false. Needs HDR access on the account, 5 s, not with `loop`; not on reframes. */
  hdr?: boolean | null;
  /** Also deliver EXR frames; default false. Requires `hdr: true`. */
  exr_export?: boolean | null;
  /** First frame (image), or a prior video's `generation_id` to extend it forward. 5 s only. */
  start_frame?: ImageRef | null;
  /** Last frame (image), or a prior video's `generation_id` to lead into it. Type `video` only. */
  end_frame?: ImageRef | null;
  /** 1–64 keyframe images (type `video` only); not with `start_frame`, `end_frame` or `loop`. */
  keyframes?: ImageRef[] | null;
  /** Frame index of each keyframe: same length, unique, 0–120 for `5s`, 0–240 for `10s` (24 fps). */
  keyframe_indexes?: number[] | null;
  /** Placement of the source on the new canvas (`video_reframe` only); default centred fit. */
  source_position?: SourcePosition | null;
  /** Edit controls (`video_edit` only). */
  edit?: VideoEditOptions | null;
}

/** The body of `POST /generations` (contract §2.3). Unknown extra fields are passed through. */
export interface GenerationCreateParams {
  /** What to make, 1–6000 characters. Required for every type, edits included. */
  prompt: string;
  /** Default `image`. */
  type?: GenerationType;
  /** Default `uni-1` for image types and `ray-3.2` for video types. */
  model?: Model;
  /** Output ratio; null or absent = the model chooses. Ignored by `image_edit` (the source's size wins). */
  aspect_ratio?: AspectRatio | null;
  /** Reference images, default none: at most 9 for `image`, 8 for `image_edit`. Image types only. */
  image_ref?: ImageRef[];
  /** The input to edit: required for `image_edit`, `video_edit`, `video_reframe`; not allowed otherwise. */
  source?: ImageRef | null;
  /** `auto` (default) or `manga` (image types; `image` needs a portrait ratio for manga). */
  style?: Style;
  /** `png` or `jpeg`; null or absent = the model chooses. Image types only. */
  output_format?: OutputFormat | null;
  /** Search the web for visual references first; default false. Image types only. */
  web_search?: boolean;
  /** Your opaque end-user id (no personal data), at most 256 characters; never echoed back. */
  user_id?: string | null;
  /** Video options; video types only. */
  video?: VideoOptions | null;
}

/** One output file (contract §3.2). */
export interface GenerationOutput {
  /** `image`, `video` or `exr`. */
  type: string;
  /** Presigned URL, valid one hour; every `get` returns a fresh one. */
  url: string;
}

/** A generation job as the API returns it (contract §3.1). */
export interface Generation {
  /** UUID; use it with `get`, `wait`, or as a `generation_id` input. */
  id: string;
  /** The resolved type. */
  type: GenerationType;
  /** Current state. */
  state: GenerationState;
  /** The resolved model. */
  model: Model;
  /** ISO-8601 UTC creation time. */
  created_at: string;
  /** Output files: empty until `completed`, and when failed. */
  output: GenerationOutput[];
  /** Human-readable reason when `failed`, else null. */
  failure_reason: string | null;
  /** Machine-readable reason when `failed`, else null. */
  failure_code: FailureCode | null;
}

/**
 * The query of `generations.list` (`GET /generations`, an Umbra route; the hosted API has no list).
 * Every member is optional.
 */
export interface GenerationListParams {
  /** The `next_cursor` of the previous page; absent = start from the newest generation. */
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

/** A page of `GET /generations`: your client's generations, newest first (keyset-paginated). */
export interface GenerationList {
  /** The generations of this page, each exactly as `generations.get` returns it (fresh output URLs). */
  data: Generation[];
  /** More generations follow this page. */
  has_more: boolean;
  /** Opaque; pass it back as `cursor` for the next page. Null or absent on the last page. */
  next_cursor?: string | null;
}
