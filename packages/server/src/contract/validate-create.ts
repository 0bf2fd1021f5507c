// Validation of a POST /v1/generations body (contract §2.3–§2.9, §7). Pure, no I/O.
//
// Check order (the first violation wins, so the order is part of the wire behaviour):
//   1. JSON shape, field by field in §2.3/§2.5 table order: body is an object, prompt present, every JSON
//      type and enum, float ranges (400, validate-shape.ts).
//   2. type → model (default by type, `Unknown model`) → type/model pairing → per-model aspect ratio (§2.8 A2).
//   3. prompt length (A1), 4. user_id length (A3).
//   5. ImageRef shapes (A4) in body order: source, image_ref[i], video.start_frame, video.end_frame,
//      video.keyframes[i], video.edit.keyframes[i].
//   6. Top-level fields per type (400): B5–B8, C9–C10, D13, E22, F29–F30, §7 item 11.
//   7. Media kinds: video sources need `media_type: video/*`; image positions refuse video media.
//   8. `video.*` combination rules (422, validate-video.ts).
// Anything needing the ingested media (lengths, reframe ratio equality, generation_id ownership/state, base64,
// URL fetch) is checked at ingest and reported as a 422 or a failed job there.
import { ApiError } from './api-error.js';
import { MAX_EDIT_IMAGE_REFS, MAX_IMAGE_REFS, MAX_PROMPT, MAX_USER_ID } from './generation-request.fields.js';
import { listRefs } from './image-refs.js';
import { MANGA_RATIOS, MODEL_RATIOS, MODEL_TYPES, defaultModel, validRatioList } from './model-matrix.js';
import { readBody } from './validate-shape.js';
import { checkVideoOptions, type CreateContext } from './validate-video.js';
import type { AspectRatio, GenerationRequest, GenerationType, ImageRef, Model } from './wire.js';
import { MODELS, isVideoType } from './wire.js';

export { videoDefaults, type CreateContext, type VideoDefaults } from './validate-video.js';

const bad = (detail: string): never => {
  throw new ApiError(400, detail);
};
const unprocessable = (detail: string): never => {
  throw new ApiError(422, detail);
};

/** Unicode code points, not UTF-16 units (§7 item 17); JSON Schema `maxLength` counts the same way. */
const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Validates a parsed JSON body and returns the request with the defaults of §2.7 applied (`type: image`,
 * model by type, `style: auto`, `web_search: false`, `image_ref: []`, nulls elsewhere). Unknown fields are
 * dropped at every level. `video.resolution`/`video.duration` stay as sent: read them with `videoDefaults`.
 * @throws ApiError 400 (documented and JSON-type errors) or 422 (video-era combination rules, §2.9).
 */
export function parseCreateRequest(body: unknown, ctx: CreateContext): GenerationRequest {
  const shape = readBody(body);
  const type: GenerationType = shape.type ?? 'image';
  const model = resolveModel(shape.model, type);
  const aspectRatio = resolveAspectRatio(shape.aspect_ratio ?? null, model);

  const promptLength = codePoints(shape.prompt);
  if (promptLength < 1 || promptLength > MAX_PROMPT) {
    bad(`Prompt must be between 1 and ${MAX_PROMPT} characters`); // A1; whitespace-only passes (§7 item 16)
  }
  if (shape.user_id != null && codePoints(shape.user_id) > MAX_USER_ID) {
    bad(`user_id: must be at most ${MAX_USER_ID} characters`); // A3
  }

  const req: GenerationRequest = {
    prompt: shape.prompt,
    type,
    model,
    aspect_ratio: aspectRatio,
    image_ref: shape.image_ref ?? [],
    source: shape.source ?? null,
    style: shape.style ?? 'auto',
    output_format: shape.output_format ?? null,
    web_search: shape.web_search ?? false,
    user_id: shape.user_id ?? null,
    video: shape.video ?? null,
  };

  for (const { slot, ref } of listRefs(req)) checkImageRefShape(ref, slot); // A4, in body order
  if (isVideoType(type)) checkVideoTopLevel(req);
  else checkImageTopLevel(req);
  checkMediaKinds(req);
  checkVideoOptions(req, ctx);
  return req;
}

/** §2.6, §7 items 1 and 26: unknown ids (`ray-3.14`, `photon-1`, …) are simply unknown. */
function resolveModel(sent: string | undefined, type: GenerationType): Model {
  if (sent === undefined) return defaultModel(type);
  const model = MODELS.find((m) => m === sent);
  if (model === undefined) return bad(`Unknown model: ${sent}`);
  if (!MODEL_TYPES[model].includes(type)) bad(`Type '${type}' is not supported for model '${model}'`);
  return model;
}

/** §2.6: checked for every type, even where the ratio is then ignored (image_edit, video_edit, anchors). */
function resolveAspectRatio(sent: string | null, model: Model): AspectRatio | null {
  if (sent === null) return null;
  const ratio = MODEL_RATIOS[model].find((r) => r === sent);
  if (ratio === undefined) return bad(`Invalid aspect_ratio '${sent}'. Valid: ${validRatioList(model)}`);
  return ratio;
}

/**
 * §2.8 A4: exactly one of url/data/generation_id/file_id; data ⇒ media_type. The two documented sentences
 * predate `generation_id`, so they keep answering the url/data cases; a third sentence covers generation_id
 * mixes, and a fourth, naming all four members, any mix with `file_id` (contract, Files API "Referencing a file").
 */
function checkImageRefShape(ref: ImageRef, path: string): void {
  const url = ref.url != null;
  const data = ref.data != null;
  const gen = ref.generation_id != null;
  const file = ref.file_id != null;
  if (file && (url || data || gen)) {
    bad(`${path}: provide only one of 'url', 'data', 'generation_id' or 'file_id'`);
  }
  if (url && data) bad(`${path}: provide either 'url' or 'data', not both`);
  if (!url && !data && !gen && !file) bad(`${path}: provide either 'url' or 'data', not neither`);
  if (gen && (url || data)) bad(`${path}: provide only one of 'url', 'data' or 'generation_id'`);
  // An empty media_type says nothing about the bytes, so it counts as missing.
  if (data && !ref.media_type) bad(`${path}: 'media_type' is required with 'data'`);
}

/** `image` and `image_edit` (§2.8 B5–B8, C9–C12). */
function checkImageTopLevel(req: GenerationRequest): void {
  if (req.type === 'image') {
    if (req.source) bad(`source is only valid for type 'image_edit'`); // B5
    if (req.image_ref.length > MAX_IMAGE_REFS) bad(`image supports up to ${MAX_IMAGE_REFS} reference images`); // B6
    // B7; on image_edit the ratio is ignored (C11), so manga is free there (C12).
    if (req.style === 'manga' && req.aspect_ratio !== null && !MANGA_RATIOS.includes(req.aspect_ratio)) {
      bad(`style 'manga' requires a portrait aspect_ratio (2:3, 9:16, 1:2 or 1:3)`);
    }
  } else {
    if (!req.source) bad(`source is required for type 'image_edit'`); // C9
    if (req.image_ref.length > MAX_EDIT_IMAGE_REFS) {
      bad(`image_edit supports up to ${MAX_EDIT_IMAGE_REFS} reference images (source occupies one slot)`); // C10
    }
  }
  if (req.video) bad('video is only valid for video types'); // B8, §7 item 11
}

/**
 * Top-level fields on video types (§2.8 D13, E22, F29, F30, §7 item 11). These are field-presence errors of the
 * documented kind, so they keep 400; the neutral image defaults (`style: auto`, `output_format: null`,
 * `web_search: false`, `image_ref: []`) pass because the CLI may send them with every request.
 */
function checkVideoTopLevel(req: GenerationRequest): void {
  if (req.type === 'video') {
    if (req.source) bad(`source is only valid for types 'image_edit', 'video_edit' and 'video_reframe'`); // D13
  } else if (!req.source) {
    bad(`source is required for type '${req.type}'`); // E22, F29
  }
  if (req.image_ref.length > 0) bad('image_ref is only valid for image types'); // D13
  if (req.style !== 'auto') bad('style is only valid for image types');
  if (req.output_format !== null) bad('output_format is only valid for image types');
  if (req.web_search) bad('web_search is only valid for image types');
  if (req.type === 'video_reframe' && req.aspect_ratio === null) {
    bad(`aspect_ratio is required for type 'video_reframe'`); // F30
  }
}

const isVideoMime = (m: string | null | undefined): boolean => m?.toLowerCase().startsWith('video/') === true;

/**
 * §2.4, E22, F29: a video source sent as url/data must say `media_type: video/*` (the server dispatches video
 * ingest on it before fetching); every other position holds an image, so a declared video there can never work.
 * A generation_id or file_id reference carries its own media kind, checked at ingest.
 */
function checkMediaKinds(req: GenerationRequest): void {
  for (const { slot, ref, expects } of listRefs(req)) {
    // A generation or a file carries its own media kind, checked at ingest.
    if (ref.generation_id != null || ref.file_id != null) continue;
    if (expects === 'video') {
      if (!ref.media_type) bad(`${slot}: 'media_type' is required with 'url' for type '${req.type}'`);
      if (!isVideoMime(ref.media_type)) {
        unprocessable(`${slot}: media_type must be video/* for type '${req.type}'`);
      }
    } else if (isVideoMime(ref.media_type)) {
      unprocessable(`${slot}: video media is only accepted as the source of video_edit and video_reframe`);
    }
  }
}
