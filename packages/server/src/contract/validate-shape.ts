// Stage 1 of request validation: the JSON shape of a POST /v1/generations body (contract §2.3–§2.5).
// Checks the JSON type of every known field, in table order, and copies only known fields, so unknown fields are
// ignored at every level (§1.5). Value rules that need more than one field live in validate-create.ts and
// validate-video.ts. Pure, no I/O.
import { ApiError } from './api-error.js';
import type { AdvancedControls, ImageRef, SourcePosition, VideoEditOptions, VideoOptions } from './wire.js';
import {
  DURATIONS,
  EDIT_STRENGTHS,
  GENERATION_TYPES,
  OUTPUT_FORMATS,
  POSE_STRENGTHS,
  RESOLUTIONS,
  STYLES,
  type GenerationType,
  type OutputFormat,
  type Style,
} from './wire.js';
import {
  asArray,
  asBoolean,
  asEnum,
  asInteger,
  asNumber,
  asNumberIn,
  asObject,
  asString,
  assignIfSent,
  isObject,
  optional,
  required,
  typeError,
  type JsonObject,
  type Reader,
} from './validate-json.js';

/**
 * The body after the JSON-type pass: every field has its wire type, but defaults are not applied yet and the
 * values whose documented errors need other fields (`model`, `aspect_ratio`) are still plain strings.
 * `undefined` = absent; `null` = sent as null (only where the contract allows it).
 */
export interface BodyShape {
  prompt: string;
  type: GenerationType | undefined;
  model: string | undefined;
  aspect_ratio: string | null | undefined;
  image_ref: ImageRef[] | undefined;
  source: ImageRef | null | undefined;
  style: Style | undefined;
  output_format: OutputFormat | null | undefined;
  web_search: boolean | undefined;
  user_id: string | null | undefined;
  video: VideoOptions | null | undefined;
}

/** Reads the top level in the order of the §2.3 table; the first wrong type wins. */
export function readBody(body: unknown): BodyShape {
  // Malformed JSON never reaches us (the HTTP layer answers it); a JSON array/string/null body lands here.
  if (!isObject(body)) throw new ApiError(400, 'Request body must be a JSON object');
  return {
    prompt: required(body, 'prompt', '', asString),
    type: optional(body, 'type', '', asEnum(GENERATION_TYPES), false) ?? undefined,
    model: optional(body, 'model', '', asString, false) ?? undefined,
    aspect_ratio: optional(body, 'aspect_ratio', '', asString, true),
    image_ref: optional(body, 'image_ref', '', asArray(readImageRef), false) ?? undefined,
    source: optional(body, 'source', '', readImageRef, true),
    style: optional(body, 'style', '', asEnum(STYLES), false) ?? undefined,
    output_format: optional(body, 'output_format', '', asEnum(OUTPUT_FORMATS), true),
    web_search: optional(body, 'web_search', '', asBoolean, false) ?? undefined,
    user_id: optional(body, 'user_id', '', asString, true),
    video: optional(body, 'video', '', readVideo, true),
  };
}

/**
 * ImageRef (§2.4), with `file_id` as a fourth way to fill it (files-api.md "Referencing a file"). Which one
 * was given is checked later (validate-create.ts); here every member only gets its JSON type.
 */
export const readImageRef: Reader<ImageRef> = (v, path) => {
  const o = asObject(v, path);
  const ref: ImageRef = {};
  assignIfSent(ref, 'url', optional(o, 'url', path, asString, true));
  assignIfSent(ref, 'data', optional(o, 'data', path, asString, true));
  assignIfSent(ref, 'media_type', optional(o, 'media_type', path, asString, true));
  assignIfSent(ref, 'generation_id', optional(o, 'generation_id', path, asString, true));
  assignIfSent(ref, 'file_id', optional(o, 'file_id', path, asString, true));
  return ref;
};

const unitInterval = asNumberIn(0, 1);
const edge = asNumberIn(-2, 2);

/** w_norm/h_norm are (0, 2]: the exclusive minimum needs its own message. */
const extent: Reader<number> = (v, path) => {
  const n = asNumber(v, path);
  if (n <= 0 || n > 2) throw typeError(path, 'must be greater than 0 and at most 2');
  return n;
};

/** SourcePosition (§2.5): all four members required when the object is given. */
const readSourcePosition: Reader<SourcePosition> = (v, path) => {
  const o = asObject(v, path);
  return {
    x_norm: required(o, 'x_norm', path, edge),
    y_norm: required(o, 'y_norm', path, edge),
    w_norm: required(o, 'w_norm', path, extent),
    h_norm: required(o, 'h_norm', path, extent),
  };
};

/** One AdvancedControls member: an object whose listed members are read by their readers. */
const controlReader =
  <T extends object>(members: readonly (readonly [string, Reader<unknown>])[]): Reader<T> =>
  (v, path) => {
    const o = asObject(v, path);
    const out: Record<string, unknown> = {};
    for (const [key, read] of members) {
      const value = optional(o, key, path, read, true);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };

type Controls = Required<AdvancedControls>;
const readDepth = controlReader<NonNullable<Controls['depth']>>([
  ['enabled', asBoolean],
  ['blur', unitInterval],
]);
const readFace = controlReader<NonNullable<Controls['face']>>([['enabled', asBoolean]]);
const readNormals = controlReader<NonNullable<Controls['normals']>>([
  ['enabled', asBoolean],
  ['augmentation', unitInterval],
]);
const readPose = controlReader<NonNullable<Controls['pose']>>([
  ['enabled', asBoolean],
  ['strength', asEnum(POSE_STRENGTHS)],
]);
const readTrajectory = controlReader<NonNullable<Controls['trajectory']>>([
  ['enabled', asBoolean],
  ['sparsity', unitInterval],
]);

const readControls: Reader<AdvancedControls> = (v, path) => {
  const o = asObject(v, path);
  const c: AdvancedControls = {};
  assignIfSent(c, 'depth', optional(o, 'depth', path, readDepth, true));
  assignIfSent(c, 'face', optional(o, 'face', path, readFace, true));
  assignIfSent(c, 'normals', optional(o, 'normals', path, readNormals, true));
  assignIfSent(c, 'pose', optional(o, 'pose', path, readPose, true));
  assignIfSent(c, 'trajectory', optional(o, 'trajectory', path, readTrajectory, true));
  return c;
};

const readImageRefs = asArray(readImageRef);
const readIndexes = asArray(asInteger);

const readEdit: Reader<VideoEditOptions> = (v, path) => {
  const o = asObject(v, path);
  const e: VideoEditOptions = {};
  assignIfSent(e, 'auto_controls', optional(o, 'auto_controls', path, asBoolean, true));
  assignIfSent(e, 'strength', optional(o, 'strength', path, asEnum(EDIT_STRENGTHS), true));
  assignIfSent(e, 'controls', optional(o, 'controls', path, readControls, true));
  assignIfSent(e, 'keyframes', optional(o, 'keyframes', path, readImageRefs, true));
  assignIfSent(e, 'keyframe_indexes', optional(o, 'keyframe_indexes', path, readIndexes, true));
  return e;
};

/** VideoOptions (§2.5), members in table order. */
export const readVideo: Reader<VideoOptions> = (v, path) => {
  const o: JsonObject = asObject(v, path);
  const out: VideoOptions = {};
  assignIfSent(out, 'resolution', optional(o, 'resolution', path, asEnum(RESOLUTIONS), true));
  assignIfSent(out, 'duration', optional(o, 'duration', path, asEnum(DURATIONS), true));
  assignIfSent(out, 'loop', optional(o, 'loop', path, asBoolean, true));
  assignIfSent(out, 'hdr', optional(o, 'hdr', path, asBoolean, true));
  assignIfSent(out, 'exr_export', optional(o, 'exr_export', path, asBoolean, true));
  assignIfSent(out, 'start_frame', optional(o, 'start_frame', path, readImageRef, true));
  assignIfSent(out, 'end_frame', optional(o, 'end_frame', path, readImageRef, true));
  assignIfSent(out, 'keyframes', optional(o, 'keyframes', path, readImageRefs, true));
  assignIfSent(out, 'keyframe_indexes', optional(o, 'keyframe_indexes', path, readIndexes, true));
  assignIfSent(out, 'source_position', optional(o, 'source_position', path, readSourcePosition, true));
  assignIfSent(out, 'edit', optional(o, 'edit', path, readEdit, true));
  return out;
};
