// The field table of a POST /v1/generations body (contract §2.3–§2.5): every field's JSON type, enumeration,
// range, nullability, default and doc string, in the order of the contract's tables (the order the type pass
// checks them in). validate-shape.ts reads bodies through it; the OpenAPI document describes them from it.
// Pure data.
import type { FieldSpec, ObjectSpec, ValueSpec } from './field-table.js';
import {
  ASPECT_RATIOS,
  DURATIONS,
  EDIT_STRENGTHS,
  GENERATION_TYPES,
  MODELS,
  OUTPUT_FORMATS,
  POSE_STRENGTHS,
  RESOLUTIONS,
  STYLES,
} from './wire.js';

/** Longest prompt, in Unicode code points (§2.8 A1, §7 item 17). */
export const MAX_PROMPT = 6000;
/** Longest `user_id`, in code points (§2.8 A3). */
export const MAX_USER_ID = 256;
/** Most `image_ref` entries on type image (§2.8 B6). */
export const MAX_IMAGE_REFS = 9;
/** Most `image_ref` entries on type image_edit, whose source takes a slot (§2.8 C10). */
export const MAX_EDIT_IMAGE_REFS = 8;
/** Most keyframes, on `video` and on `video.edit` (§2.8 D20, E26). */
export const MAX_KEYFRAMES = 64;
/** Last keyframe index of the longest duration (10 s at 24 fps, inclusive; §2.8 D20). */
export const MAX_KEYFRAME_INDEX = 240;

const str: ValueSpec = { kind: 'string' };
const bool: ValueSpec = { kind: 'boolean' };
const unitInterval: ValueSpec = { kind: 'number', minimum: 0, maximum: 1 };
const edge: ValueSpec = { kind: 'number', minimum: -2, maximum: 2 };
/** w_norm/h_norm are (0, 2]. */
const extent: ValueSpec = { kind: 'number', minimum: 0, maximum: 2, exclusiveMinimum: true };

/** A nullable optional member. */
const opt = (name: string, value: ValueSpec, doc: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  value,
  doc,
  nullable: true,
  ...extra,
});

/** ImageRef (§2.4), with `file_id` (contract, Files API "Referencing a file"). */
export const IMAGE_REF: ObjectSpec = {
  kind: 'object',
  name: 'ImageRef',
  doc:
    'A media reference: exactly one of `url`, `data`, `generation_id` or `file_id`. `media_type` is ' +
    'required with `data`, and with `source.url` when the source is a video (video_edit, video_reframe).',
  fields: [
    opt('url', str, 'Public https URL of an image (or a video, for the source of video_edit/video_reframe).'),
    opt('data', str, 'Base64-encoded bytes; size limits apply to the decoded bytes (50 MB per image).'),
    opt('media_type', str, 'MIME type, e.g. `image/png` or `video/mp4`. Required with `data`.'),
    opt('generation_id', str, 'UUID of a prior completed generation of the same client (chaining, extend).'),
    opt('file_id', str, 'UUID of a `ready` file of the same client (Files API).'),
  ],
};

const keyframes: ValueSpec = {
  kind: 'array',
  items: IMAGE_REF,
  later: { minItems: 1, maxItems: MAX_KEYFRAMES },
};
const keyframeIndexes: ValueSpec = {
  kind: 'array',
  items: { kind: 'integer', later: { minimum: 0, maximum: MAX_KEYFRAME_INDEX } },
  later: { minItems: 1, maxItems: MAX_KEYFRAMES, uniqueItems: true },
};

/** SourcePosition (§2.5): all four members required when the object is given. */
const SOURCE_POSITION: ObjectSpec = {
  kind: 'object',
  name: 'SourcePosition',
  doc: 'Where the source sits on the output canvas (video_reframe only). Default: centered fit.',
  fields: [
    { name: 'x_norm', value: edge, required: true, doc: 'Left edge, fraction of canvas width, [-2, 2].' },
    { name: 'y_norm', value: edge, required: true, doc: 'Top edge, fraction of canvas height, [-2, 2].' },
    { name: 'w_norm', value: extent, required: true, doc: 'Width, fraction of canvas width, (0, 2].' },
    { name: 'h_norm', value: extent, required: true, doc: 'Height, fraction of canvas height, (0, 2].' },
  ],
};

const control = (name: string, doc: string, fields: readonly FieldSpec[]): ObjectSpec => ({
  kind: 'object',
  name,
  doc,
  fields,
});
const enabled = opt('enabled', bool, 'Use this signal; absent = the model decides.');

/** AdvancedControls (§2.5): every member optional and nullable. */
const CONTROLS: ObjectSpec = {
  kind: 'object',
  name: 'AdvancedControls',
  doc: 'Per-signal manual conditioning of a video edit.',
  fields: [
    opt(
      'depth',
      control('DepthControl', 'Depth conditioning.', [
        enabled,
        opt('blur', unitInterval, 'Higher blur = more geometric freedom, 0–1.'),
      ]),
      'Depth conditioning.',
    ),
    opt('face', control('FaceControl', 'Face identity.', [enabled]), 'Face identity.'),
    opt(
      'normals',
      control('NormalsControl', 'Surface normals.', [
        enabled,
        opt('augmentation', unitInterval, 'Higher = more reinterpretation of surfaces, 0–1.'),
      ]),
      'Surface normals.',
    ),
    opt(
      'pose',
      control('PoseControl', 'Body pose.', [
        enabled,
        opt('strength', { kind: 'enum', values: POSE_STRENGTHS }, 'How closely the pose is followed.'),
      ]),
      'Body pose.',
    ),
    opt(
      'trajectory',
      control('TrajectoryControl', 'Motion trajectory.', [
        enabled,
        opt('sparsity', unitInterval, 'Higher = fewer motion anchors, 0–1.'),
      ]),
      'Motion trajectory.',
    ),
  ],
};

/** VideoEditOptions (§2.5), video_edit only. */
const EDIT: ObjectSpec = {
  kind: 'object',
  name: 'VideoEditOptions',
  doc: 'How a video_edit follows its source. Absent = `auto_controls: true`.',
  fields: [
    opt(
      'auto_controls',
      bool,
      'The model derives the conditioning from the source. Not with `strength`/`controls`.',
    ),
    opt(
      'strength',
      { kind: 'enum', values: EDIT_STRENGTHS },
      'Preset: adhere (closest to the source) → flex → reimagine (most change).',
    ),
    opt('controls', CONTROLS, 'Manual per-signal conditioning.'),
    opt(
      'keyframes',
      keyframes,
      'Guide images in the source video’s frame grid; not with `video.start_frame`.',
    ),
    opt(
      'keyframe_indexes',
      keyframeIndexes,
      'Frame index of each of `keyframes` (same length, unique, ≥ 0).',
    ),
  ],
};

/** VideoOptions (§2.5), video types only. */
export const VIDEO_OPTIONS: ObjectSpec = {
  kind: 'object',
  name: 'VideoOptions',
  doc: 'Video settings (video types only).',
  fields: [
    opt('resolution', { kind: 'enum', values: RESOLUTIONS }, 'Output resolution. Default 720p.', {
      default: '720p',
    }),
    opt(
      'duration',
      { kind: 'enum', values: DURATIONS },
      'Type video; edits and reframes follow the source.',
      {
        default: '5s',
      },
    ),
    opt('loop', bool, 'Seamless loop (type video, 5s, SDR, no end frame or keyframes).', { default: false }),
    opt('hdr', bool, 'HDR output; needs HDR access; 720p/1080p on type video; not on reframes.', {
      default: false,
    }),
    opt('exr_export', bool, 'Also deliver EXR frames; needs `hdr`.', { default: false }),
    opt('start_frame', IMAGE_REF, 'First-frame anchor (or a video to extend forward, by generation_id).'),
    opt('end_frame', IMAGE_REF, 'Last-frame anchor (type video).'),
    opt('keyframes', keyframes, 'Images pinned to frames (type video); parallel to `keyframe_indexes`.'),
    opt(
      'keyframe_indexes',
      keyframeIndexes,
      'Frame of each keyframe on the 24 fps grid: 0–120 for 5s, 0–240 for 10s.',
    ),
    opt('source_position', SOURCE_POSITION, 'Where the source sits on the new canvas (video_reframe only).'),
    opt('edit', EDIT, 'Edit settings (video_edit only).'),
  ],
};

/** GenerationCreateParams (§2.3), top level. */
export const GENERATION_CREATE: ObjectSpec = {
  kind: 'object',
  name: 'GenerationCreateParams',
  doc: 'The body of POST /v1/generations. Unknown fields are ignored.',
  fields: [
    {
      name: 'prompt',
      value: { kind: 'string', later: { minLength: 1, maxLength: MAX_PROMPT } },
      required: true,
      doc: `What to generate, 1–${MAX_PROMPT} characters (Unicode code points). Required for every type.`,
    },
    {
      name: 'type',
      value: { kind: 'enum', values: GENERATION_TYPES },
      doc: 'The kind of generation.',
      default: 'image',
    },
    {
      name: 'model',
      // Read as a string: an unknown id answers `Unknown model: <id>` after the type is known (§2.6).
      value: { kind: 'string', later: { enum: MODELS } },
      doc: 'Model; default uni-1 for image types, ray-3.2 for video types. Any other id: `Unknown model`.',
    },
    opt(
      'aspect_ratio',
      // Read as a string: a ratio outside the model's set answers with the model's list (§2.6).
      { kind: 'string', later: { enum: ASPECT_RATIOS } },
      'Output ratio; each model accepts its own subset. Null = the model chooses (images: 16:9, or 2:3 with style manga). Required for video_reframe.',
    ),
    {
      name: 'image_ref',
      value: { kind: 'array', items: IMAGE_REF, later: { maxItems: MAX_IMAGE_REFS } },
      doc: `Reference images (image types): at most ${MAX_IMAGE_REFS} on image, ${MAX_EDIT_IMAGE_REFS} on image_edit.`,
      default: [],
    },
    opt(
      'source',
      IMAGE_REF,
      'The input to edit or reframe: required for image_edit, video_edit, video_reframe.',
    ),
    {
      name: 'style',
      value: { kind: 'enum', values: STYLES },
      doc: '`manga` needs a portrait aspect_ratio on type image (image types only).',
      default: 'auto',
    },
    opt('output_format', { kind: 'enum', values: OUTPUT_FORMATS }, 'Image format; null = the model chooses.'),
    {
      name: 'web_search',
      value: bool,
      doc: 'Ground the image on references found on the web (image types).',
      default: false,
    },
    opt(
      'user_id',
      { kind: 'string', later: { maxLength: MAX_USER_ID } },
      `Opaque end-user id, at most ${MAX_USER_ID} characters; not echoed.`,
    ),
    opt('video', VIDEO_OPTIONS, 'Video settings (video types only).'),
  ],
};
