// Wire types of the Generations API (contract §2–§3). Kept identical to the server's contract module;
// a server test checks both directions of assignability.

export type Model = 'uni-1' | 'uni-1-max' | 'ray-3.2';
export type GenerationType = 'image' | 'image_edit' | 'video' | 'video_edit' | 'video_reframe';
export type GenerationState = 'queued' | 'processing' | 'completed' | 'failed';
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
export type AspectRatio =
  '3:1' | '2:1' | '21:9' | '16:9' | '4:3' | '3:2' | '1:1' | '3:4' | '2:3' | '9:16' | '1:2' | '1:3';

/** Exactly one of `url`, `data`, `generation_id`; `media_type` is required with `data`. */
export interface ImageRef {
  url?: string | null;
  data?: string | null;
  media_type?: string | null;
  generation_id?: string | null;
}

export interface SourcePosition {
  x_norm: number;
  y_norm: number;
  w_norm: number;
  h_norm: number;
}

export interface AdvancedControls {
  depth?: { enabled?: boolean | null; blur?: number | null } | null;
  face?: { enabled?: boolean | null } | null;
  normals?: { enabled?: boolean | null; augmentation?: number | null } | null;
  pose?: { enabled?: boolean | null; strength?: 'precise' | 'coarse' | null } | null;
  trajectory?: { enabled?: boolean | null; sparsity?: number | null } | null;
}

export interface VideoEditOptions {
  auto_controls?: boolean | null;
  strength?:
    | 'adhere_1'
    | 'adhere_2'
    | 'adhere_3'
    | 'flex_1'
    | 'flex_2'
    | 'flex_3'
    | 'reimagine_1'
    | 'reimagine_2'
    | 'reimagine_3'
    | null;
  controls?: AdvancedControls | null;
  keyframes?: ImageRef[] | null;
  keyframe_indexes?: number[] | null;
}

export interface VideoOptions {
  /** Default `720p`. */
  resolution?: '360p' | '540p' | '720p' | '1080p' | null;
  /** Default `5s`. */
  duration?: '5s' | '10s' | null;
  loop?: boolean | null;
  hdr?: boolean | null;
  exr_export?: boolean | null;
  start_frame?: ImageRef | null;
  end_frame?: ImageRef | null;
  keyframes?: ImageRef[] | null;
  keyframe_indexes?: number[] | null;
  source_position?: SourcePosition | null;
  edit?: VideoEditOptions | null;
}

export interface GenerationCreateParams {
  /** 1–6000 characters. */
  prompt: string;
  /** Default `image`. */
  type?: GenerationType;
  /** Default `uni-1` for image types, `ray-3.2` for video types. */
  model?: Model;
  aspect_ratio?: AspectRatio | null;
  image_ref?: ImageRef[];
  source?: ImageRef | null;
  /** Default `auto`. */
  style?: 'auto' | 'manga';
  output_format?: 'png' | 'jpeg' | null;
  /** Default false. */
  web_search?: boolean;
  /** Opaque end-user id, ≤ 256 characters. */
  user_id?: string | null;
  video?: VideoOptions | null;
}

export interface GenerationOutput {
  type: string;
  /** Presigned URL, valid one hour. */
  url: string;
}

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
