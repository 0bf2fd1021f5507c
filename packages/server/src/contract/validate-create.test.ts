// Table-driven tests of parseCreateRequest: one case per rule of contract §2.8 (ids in the names, checked by the
// meta-test at the end), the JSON-type errors of §2.3–§2.5, the §7 resolutions, and the §2.10 request shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { parseCreateRequest, videoDefaults, type CreateContext } from './validate-create.js';
import type { GenerationRequest, VideoOptions } from './wire.js';

type Body = Record<string, unknown>;

interface Reject {
  id: string;
  what: string;
  body: unknown;
  status: 400 | 422;
  detail: string;
  ctx?: CreateContext;
}

interface Accept {
  id: string;
  what: string;
  body: unknown;
  ctx?: CreateContext;
  /** Checks on the result beyond "did not throw". */
  check?: (r: GenerationRequest) => void;
}

const FULL: CreateContext = { hdrAccess: true };
const UUID = '6f1d9a52-3c1e-4b8e-9d2a-1f0e5c7b8a90';
const URL_REF = { url: 'https://a/1.jpg' };
const B64_PNG = { data: 'iVBORw0KGgo=', media_type: 'image/png' };
const GEN_REF = { generation_id: UUID };
const MP4 = { url: 'https://a/clip.mp4', media_type: 'video/mp4' };

const img = (extra: Body = {}): Body => ({ prompt: 'p', ...extra });
const edit = (extra: Body = {}): Body => ({ prompt: 'p', type: 'image_edit', source: URL_REF, ...extra });
const vid = (video: VideoOptions | Body | null, extra: Body = {}): Body => ({
  prompt: 'p',
  type: 'video',
  video,
  ...extra,
});
const vedit = (video: Body | null, extra: Body = {}): Body => ({
  prompt: 'p',
  type: 'video_edit',
  source: MP4,
  video,
  ...extra,
});
const reframe = (video: Body | null, extra: Body = {}): Body => ({
  prompt: 'p',
  type: 'video_reframe',
  source: MP4,
  aspect_ratio: '21:9',
  video,
  ...extra,
});
const refs = (n: number): unknown[] => Array.from({ length: n }, () => URL_REF);
const keyframes = (indexes: number[]): Body => ({
  keyframes: indexes.map(() => URL_REF),
  keyframe_indexes: indexes,
});
const EDIT_STRENGTHS_LIST =
  'adhere_1, adhere_2, adhere_3, flex_1, flex_2, flex_3, reimagine_1, reimagine_2, reimagine_3';
const UNI_LIST = '1:1, 1:2, 1:3, 16:9, 2:1, 2:3, 3:1, 3:2, 9:16';
const RAY_LIST = '1:1, 16:9, 21:9, 3:4, 4:3, 9:16';
const NOT_ALONE =
  'video.keyframes is mutually exclusive with video.start_frame, video.end_frame and video.loop';

// One case per line reads as a table; prettier would spread each over a dozen lines.
// prettier-ignore
const rejects: Reject[] = [
  // §2.3–§2.5, §2.9: JSON shape, first wrong field in table order wins
  { id: '§2.9', what: 'array body', body: [], status: 400, detail: 'Request body must be a JSON object' },
  { id: '§2.9', what: 'null body', body: null, status: 400, detail: 'Request body must be a JSON object' },
  { id: '§2.9', what: 'string body', body: 'p', status: 400, detail: 'Request body must be a JSON object' },
  { id: '§2.3', what: 'missing prompt', body: {}, status: 400, detail: 'prompt is required' },
  { id: '§2.3', what: 'numeric prompt', body: { prompt: 1 }, status: 400, detail: 'prompt: must be a string' },
  { id: '§2.3', what: 'null prompt', body: { prompt: null }, status: 400, detail: 'prompt: must be a string' },
  { id: '§2.3', what: 'first bad field wins', body: { prompt: 1, type: 'x' }, status: 400, detail: 'prompt: must be a string' },
  { id: '§2.3', what: 'unknown type', body: img({ type: 'gif' }), status: 400, detail: 'type: must be one of: image, image_edit, video, video_edit, video_reframe' },
  { id: '§2.3', what: 'null type (not nullable)', body: img({ type: null }), status: 400, detail: 'type: must be one of: image, image_edit, video, video_edit, video_reframe' },
  { id: '§2.3', what: 'numeric model', body: img({ model: 5 }), status: 400, detail: 'model: must be a string' },
  { id: '§2.3', what: 'numeric aspect_ratio', body: img({ aspect_ratio: 1.5 }), status: 400, detail: 'aspect_ratio: must be a string' },
  { id: '§2.3', what: 'image_ref object', body: img({ image_ref: {} }), status: 400, detail: 'image_ref: must be an array' },
  { id: '§2.3', what: 'null image_ref (not nullable)', body: img({ image_ref: null }), status: 400, detail: 'image_ref: must be an array' },
  { id: '§2.4', what: 'image_ref entry not an object', body: img({ image_ref: ['x'] }), status: 400, detail: 'image_ref[0]: must be an object' },
  { id: '§2.4', what: 'image_ref url number', body: img({ image_ref: [URL_REF, { url: 5 }] }), status: 400, detail: 'image_ref[1].url: must be a string' },
  { id: '§2.4', what: 'source string', body: edit({ source: 'https://a' }), status: 400, detail: 'source: must be an object' },
  { id: '§2.4', what: 'source media_type number', body: edit({ source: { url: 'u', media_type: 1 } }), status: 400, detail: 'source.media_type: must be a string' },
  { id: '§2.3', what: 'unknown style', body: img({ style: 'anime' }), status: 400, detail: 'style: must be one of: auto, manga' },
  { id: '§2.3', what: 'unknown output_format', body: img({ output_format: 'webp' }), status: 400, detail: 'output_format: must be one of: png, jpeg' },
  { id: '§2.3', what: 'string web_search', body: img({ web_search: 'yes' }), status: 400, detail: 'web_search: must be a boolean' },
  { id: '§2.3', what: 'numeric user_id', body: img({ user_id: 7 }), status: 400, detail: 'user_id: must be a string' },
  { id: '§2.3', what: 'video array', body: vid([] as unknown as Body), status: 400, detail: 'video: must be an object' },
  { id: '§2.5', what: 'unknown resolution', body: vid({ resolution: '4k' }), status: 400, detail: 'video.resolution: must be one of: 360p, 540p, 720p, 1080p' },
  { id: '§2.5', what: 'numeric duration', body: vid({ duration: 5 }), status: 400, detail: 'video.duration: must be one of: 5s, 10s' },
  { id: '§2.5', what: 'string loop', body: vid({ loop: 'true' }), status: 400, detail: 'video.loop: must be a boolean' },
  { id: '§2.5', what: 'keyframes object', body: vid({ keyframes: {}, keyframe_indexes: [0] }), status: 400, detail: 'video.keyframes: must be an array' },
  { id: '§2.5', what: 'fractional keyframe index', body: vid(keyframes([0, 60, 1.5])), status: 400, detail: 'video.keyframe_indexes[2]: must be an integer' },
  { id: '§2.5', what: 'string keyframe index', body: vid({ keyframes: [URL_REF], keyframe_indexes: ['0'] }), status: 400, detail: 'video.keyframe_indexes[0]: must be an integer' },
  { id: '§2.5', what: 'source_position missing h_norm', body: reframe({ source_position: { x_norm: 0, y_norm: 0, w_norm: 1 } }), status: 400, detail: 'video.source_position.h_norm is required' },
  { id: '§2.5', what: 'source_position x_norm string', body: reframe({ source_position: { x_norm: '0', y_norm: 0, w_norm: 1, h_norm: 1 } }), status: 400, detail: 'video.source_position.x_norm: must be a number' },
  { id: '§2.5', what: 'x_norm above 2', body: reframe({ source_position: { x_norm: 2.5, y_norm: 0, w_norm: 1, h_norm: 1 } }), status: 400, detail: 'video.source_position.x_norm: must be between -2 and 2' },
  { id: '§2.5', what: 'y_norm below -2', body: reframe({ source_position: { x_norm: 0, y_norm: -2.1, w_norm: 1, h_norm: 1 } }), status: 400, detail: 'video.source_position.y_norm: must be between -2 and 2' },
  { id: '§2.5', what: 'w_norm 0 (exclusive minimum)', body: reframe({ source_position: { x_norm: 0, y_norm: 0, w_norm: 0, h_norm: 1 } }), status: 400, detail: 'video.source_position.w_norm: must be greater than 0 and at most 2' },
  { id: '§2.5', what: 'h_norm above 2', body: reframe({ source_position: { x_norm: 0, y_norm: 0, w_norm: 1, h_norm: 2.01 } }), status: 400, detail: 'video.source_position.h_norm: must be greater than 0 and at most 2' },
  { id: '§2.5', what: 'unknown edit strength', body: vedit({ edit: { strength: 'max' } }), status: 400, detail: `video.edit.strength: must be one of: ${EDIT_STRENGTHS_LIST}` },
  { id: '§2.5', what: 'auto_controls string', body: vedit({ edit: { auto_controls: 'yes' } }), status: 400, detail: 'video.edit.auto_controls: must be a boolean' },
  { id: '§2.5', what: 'depth blur above 1', body: vedit({ edit: { controls: { depth: { blur: 1.5 } } } }), status: 400, detail: 'video.edit.controls.depth.blur: must be between 0 and 1' },
  { id: '§2.5', what: 'normals augmentation below 0', body: vedit({ edit: { controls: { normals: { augmentation: -0.1 } } } }), status: 400, detail: 'video.edit.controls.normals.augmentation: must be between 0 and 1' },
  { id: '§2.5', what: 'trajectory sparsity string', body: vedit({ edit: { controls: { trajectory: { sparsity: 'x' } } } }), status: 400, detail: 'video.edit.controls.trajectory.sparsity: must be a number' },
  { id: '§2.5', what: 'face enabled string', body: vedit({ edit: { controls: { face: { enabled: 'y' } } } }), status: 400, detail: 'video.edit.controls.face.enabled: must be a boolean' },
  { id: '§2.5', what: 'unknown pose strength', body: vedit({ edit: { controls: { pose: { strength: 'loose' } } } }), status: 400, detail: 'video.edit.controls.pose.strength: must be one of: precise, coarse' },
  { id: '§2.5', what: 'controls array', body: vedit({ edit: { controls: [] } }), status: 400, detail: 'video.edit.controls: must be an object' },
  { id: '§2.5', what: 'edit keyframe index string', body: vedit({ edit: { keyframes: [URL_REF], keyframe_indexes: ['a'] } }), status: 400, detail: 'video.edit.keyframe_indexes[0]: must be an integer' },
  // contract, Files API "Referencing a file": file_id is a fourth member of the "exactly one" rule (§2.8 A4)
  { id: 'Files API Referencing / §2.8 A4', what: 'file_id with url', body: edit({ source: { url: 'u', file_id: UUID } }), status: 400, detail: "source: provide only one of 'url', 'data', 'generation_id' or 'file_id'" },
  { id: 'Files API Referencing / §2.8 A4', what: 'file_id with data', body: img({ image_ref: [{ data: 'AA==', media_type: 'image/png', file_id: UUID }] }), status: 400, detail: "image_ref[0]: provide only one of 'url', 'data', 'generation_id' or 'file_id'" },
  { id: 'Files API Referencing / §2.8 A4', what: 'file_id with generation_id', body: vid({ start_frame: { generation_id: UUID, file_id: UUID } }), status: 400, detail: "video.start_frame: provide only one of 'url', 'data', 'generation_id' or 'file_id'" },
  { id: 'Files API Referencing / §2.8 A4', what: 'file_id with url in video.edit.keyframes', body: vedit({ edit: { keyframes: [{ url: 'u', file_id: UUID }], keyframe_indexes: [0] } }), status: 400, detail: "video.edit.keyframes[0]: provide only one of 'url', 'data', 'generation_id' or 'file_id'" },
  { id: 'Files API Referencing / §2.9', what: 'numeric file_id', body: edit({ source: { file_id: 7 } }), status: 400, detail: 'source.file_id: must be a string' },
  // A: all types
  { id: '§2.8 A1', what: 'empty prompt', body: { prompt: '' }, status: 400, detail: 'Prompt must be between 1 and 6000 characters' },
  { id: '§2.8 A1', what: '6001-character prompt', body: { prompt: 'x'.repeat(6001) }, status: 400, detail: 'Prompt must be between 1 and 6000 characters' },
  { id: '§2.8 A1 / §7 item 17', what: '6001 astral code points', body: { prompt: '😀'.repeat(6001) }, status: 400, detail: 'Prompt must be between 1 and 6000 characters' },
  { id: '§2.8 A2', what: 'legacy model id', body: img({ model: 'ray-2' }), status: 400, detail: 'Unknown model: ray-2' },
  { id: '§2.8 A2 / §7 item 26', what: 'ray-3.14', body: vid(null, { model: 'ray-3.14' }), status: 400, detail: 'Unknown model: ray-3.14' },
  { id: '§2.8 A2', what: 'video on uni-1', body: vid(null, { model: 'uni-1' }), status: 400, detail: "Type 'video' is not supported for model 'uni-1'" },
  { id: '§2.8 A2', what: 'image on ray-3.2', body: img({ model: 'ray-3.2' }), status: 400, detail: "Type 'image' is not supported for model 'ray-3.2'" },
  { id: '§2.8 A2', what: 'image_edit on ray-3.2', body: edit({ model: 'ray-3.2' }), status: 400, detail: "Type 'image_edit' is not supported for model 'ray-3.2'" },
  { id: '§2.8 A2', what: 'video_reframe on uni-1-max', body: reframe(null, { model: 'uni-1-max' }), status: 400, detail: "Type 'video_reframe' is not supported for model 'uni-1-max'" },
  { id: '§2.8 A2', what: 'uni-1 with 21:9', body: img({ aspect_ratio: '21:9' }), status: 400, detail: `Invalid aspect_ratio '21:9'. Valid: ${UNI_LIST}` },
  { id: '§2.8 A2', what: 'uni-1-max with 5:4', body: img({ model: 'uni-1-max', aspect_ratio: '5:4' }), status: 400, detail: `Invalid aspect_ratio '5:4'. Valid: ${UNI_LIST}` },
  { id: '§2.8 A2', what: 'ray-3.2 with 2:1', body: vid(null, { aspect_ratio: '2:1' }), status: 400, detail: `Invalid aspect_ratio '2:1'. Valid: ${RAY_LIST}` },
  { id: '§2.8 A2 / C11', what: 'image_edit ratio is ignored but still validated', body: edit({ aspect_ratio: '4:3' }), status: 400, detail: `Invalid aspect_ratio '4:3'. Valid: ${UNI_LIST}` },
  { id: '§2.8 A3', what: '257-character user_id', body: img({ user_id: 'u'.repeat(257) }), status: 400, detail: 'user_id: must be at most 256 characters' },
  { id: '§2.8 A4', what: 'source with url and data', body: edit({ source: { url: 'u', ...B64_PNG } }), status: 400, detail: "source: provide either 'url' or 'data', not both" },
  { id: '§2.8 A4', what: 'image_ref entry with neither', body: img({ image_ref: [URL_REF, { media_type: 'image/png' }] }), status: 400, detail: "image_ref[1]: provide either 'url' or 'data', not neither" },
  { id: '§2.8 A4', what: 'all-null ImageRef', body: edit({ source: { url: null, data: null, generation_id: null } }), status: 400, detail: "source: provide either 'url' or 'data', not neither" },
  { id: '§2.8 A4', what: 'image_ref data without media_type', body: img({ image_ref: [{ data: 'AAAA' }] }), status: 400, detail: "image_ref[0]: 'media_type' is required with 'data'" },
  { id: '§2.8 A4', what: 'source data with empty media_type', body: edit({ source: { data: 'AAAA', media_type: '' } }), status: 400, detail: "source: 'media_type' is required with 'data'" },
  { id: '§2.8 A4', what: 'generation_id with url', body: edit({ source: { url: 'u', generation_id: UUID } }), status: 400, detail: "source: provide only one of 'url', 'data' or 'generation_id'" },
  { id: '§2.8 A4', what: 'video.start_frame with neither', body: vid({ start_frame: {} }), status: 400, detail: "video.start_frame: provide either 'url' or 'data', not neither" },
  { id: '§2.8 A4', what: 'video.end_frame data without media_type', body: vid({ end_frame: { data: 'AAAA' } }), status: 400, detail: "video.end_frame: 'media_type' is required with 'data'" },
  { id: '§2.8 A4', what: 'video.keyframes[1] with both', body: vid({ keyframes: [URL_REF, { url: 'u', ...B64_PNG }], keyframe_indexes: [0, 60] }), status: 400, detail: "video.keyframes[1]: provide either 'url' or 'data', not both" },
  { id: '§2.8 A4', what: 'video.edit.keyframes[0] data without media_type', body: vedit({ edit: { keyframes: [{ data: 'AAAA' }], keyframe_indexes: [0] } }), status: 400, detail: "video.edit.keyframes[0]: 'media_type' is required with 'data'" },
  { id: '§2.8 A4', what: 'ImageRef shape is checked before per-type rules', body: img({ source: {} }), status: 400, detail: "source: provide either 'url' or 'data', not neither" },
  { id: '§2.4', what: 'video media in image_ref', body: img({ image_ref: [{ data: 'AAAA', media_type: 'video/mp4' }] }), status: 422, detail: 'image_ref[0]: video media is only accepted as the source of video_edit and video_reframe' },
  { id: '§2.4', what: 'video media as start_frame', body: vid({ start_frame: MP4 }), status: 422, detail: 'video.start_frame: video media is only accepted as the source of video_edit and video_reframe' },
  // B: type image
  { id: '§2.8 B5', what: 'source on image', body: img({ source: URL_REF }), status: 400, detail: "source is only valid for type 'image_edit'" },
  { id: '§2.8 B6', what: '10 references on image', body: img({ image_ref: refs(10) }), status: 400, detail: 'image supports up to 9 reference images' },
  { id: '§2.8 B7', what: 'manga with 16:9', body: img({ style: 'manga', aspect_ratio: '16:9' }), status: 400, detail: "style 'manga' requires a portrait aspect_ratio (2:3, 9:16, 1:2 or 1:3)" },
  { id: '§2.8 B7', what: 'manga with 1:1', body: img({ style: 'manga', aspect_ratio: '1:1' }), status: 400, detail: "style 'manga' requires a portrait aspect_ratio (2:3, 9:16, 1:2 or 1:3)" },
  { id: '§2.8 B8 / §7 item 11', what: 'video on image', body: img({ video: { resolution: '720p' } }), status: 400, detail: 'video is only valid for video types' },
  // C: type image_edit
  { id: '§2.8 C9', what: 'image_edit without source', body: img({ type: 'image_edit' }), status: 400, detail: "source is required for type 'image_edit'" },
  { id: '§2.8 C9', what: 'image_edit with null source', body: edit({ source: null }), status: 400, detail: "source is required for type 'image_edit'" },
  { id: '§2.8 C10', what: '9 references on image_edit', body: edit({ image_ref: refs(9) }), status: 400, detail: 'image_edit supports up to 8 reference images (source occupies one slot)' },
  { id: '§2.8 B8 (image_edit)', what: 'video on image_edit', body: edit({ video: {} }), status: 400, detail: 'video is only valid for video types' },
  // D: type video
  { id: '§2.8 D13', what: 'source on video', body: vid(null, { source: URL_REF }), status: 400, detail: "source is only valid for types 'image_edit', 'video_edit' and 'video_reframe'" },
  { id: '§2.8 D13', what: 'image_ref on video', body: vid(null, { image_ref: [URL_REF] }), status: 400, detail: 'image_ref is only valid for image types' },
  { id: '§7 item 11', what: 'manga on video', body: vid(null, { style: 'manga' }), status: 400, detail: 'style is only valid for image types' },
  { id: '§7 item 11', what: 'output_format on video', body: vid(null, { output_format: 'png' }), status: 400, detail: 'output_format is only valid for image types' },
  { id: '§7 item 11', what: 'web_search on video_edit', body: vedit(null, { web_search: true }), status: 400, detail: 'web_search is only valid for image types' },
  { id: '§2.8 D14', what: 'edit on video', body: vid({ edit: {} }), status: 422, detail: "video.edit is only valid for type 'video_edit'" },
  { id: '§2.8 D15', what: 'source_position on video', body: vid({ source_position: { x_norm: 0, y_norm: 0, w_norm: 1, h_norm: 1 } }), status: 422, detail: "video.source_position is only valid for type 'video_reframe'" },
  { id: '§2.8 D16', what: 'loop with 10s', body: vid({ loop: true, duration: '10s' }), status: 422, detail: "video.loop is not supported with duration '10s'" },
  { id: '§2.8 D16', what: 'loop with hdr', body: vid({ loop: true, hdr: true }), status: 422, detail: 'video.loop is not supported with video.hdr' },
  { id: '§2.8 D16', what: 'loop with end_frame', body: vid({ loop: true, start_frame: URL_REF, end_frame: URL_REF }), status: 422, detail: 'video.loop is not supported with video.end_frame' },
  { id: '§2.8 D16', what: 'loop on a backward extend', body: vid({ loop: true, end_frame: GEN_REF }), status: 422, detail: 'video.loop is not supported with video.end_frame' },
  { id: '§2.8 D16 / D20', what: 'loop with keyframes', body: vid({ loop: true, ...keyframes([0]) }), status: 422, detail: NOT_ALONE },
  { id: '§2.8 D17 / §7 item 5', what: 'hdr without HDR access', body: vid({ hdr: true }), ctx: { hdrAccess: false }, status: 422, detail: 'HDR access is not enabled for this client' },
  { id: '§2.8 D17', what: 'hdr with 540p', body: vid({ hdr: true, resolution: '540p' }), status: 422, detail: 'video.hdr requires resolution 720p or 1080p' },
  { id: '§2.8 D17', what: 'hdr with 360p', body: vid({ hdr: true, resolution: '360p' }), status: 422, detail: 'video.hdr requires resolution 720p or 1080p' },
  { id: '§2.8 D17 / §7 item 4', what: 'hdr with 10s', body: vid({ hdr: true, duration: '10s' }), status: 422, detail: "video.hdr is not supported with duration '10s'" },
  { id: '§2.8 D17 / §7 item 4', what: 'hdr with 10s keyframes', body: vid({ hdr: true, duration: '10s', ...keyframes([0, 240]) }), status: 422, detail: "video.hdr is not supported with duration '10s'" },
  { id: '§2.8 D17', what: 'hdr on an extend', body: vid({ hdr: true, start_frame: GEN_REF }), status: 422, detail: 'video.hdr is not supported when extending a video' },
  { id: '§2.8 D18', what: 'exr_export without hdr', body: vid({ exr_export: true }), status: 422, detail: 'video.exr_export requires video.hdr' },
  { id: '§2.8 D18', what: 'exr_export with hdr false', body: vid({ exr_export: true, hdr: false }), status: 422, detail: 'video.exr_export requires video.hdr' },
  { id: '§2.8 D19', what: 'image anchors with 10s', body: vid({ duration: '10s', start_frame: URL_REF, end_frame: URL_REF }), status: 422, detail: "video.duration '10s' is not supported with video.start_frame or video.end_frame; use video.keyframes" },
  { id: '§2.8 D19', what: 'extend plus end anchor', body: vid({ start_frame: GEN_REF, end_frame: URL_REF }), status: 422, detail: 'video.start_frame and video.end_frame cannot be combined when one of them is a generation_id' },
  { id: '§2.8 D19', what: 'image start plus backward extend', body: vid({ start_frame: URL_REF, end_frame: GEN_REF }), status: 422, detail: 'video.start_frame and video.end_frame cannot be combined when one of them is a generation_id' },
  { id: '§2.8 D19', what: 'extend at 360p', body: vid({ start_frame: GEN_REF, resolution: '360p' }), status: 422, detail: "video.resolution '360p' is not supported when extending a video" },
  { id: '§2.8 D20', what: 'keyframes without indexes', body: vid({ keyframes: [URL_REF] }), status: 422, detail: 'video.keyframes requires video.keyframe_indexes' },
  { id: '§2.8 D20', what: 'indexes without keyframes', body: vid({ keyframe_indexes: [0] }), status: 422, detail: 'video.keyframe_indexes requires video.keyframes' },
  { id: '§2.8 D20', what: 'keyframes with start_frame', body: vid({ start_frame: URL_REF, ...keyframes([0]) }), status: 422, detail: NOT_ALONE },
  { id: '§2.8 D20', what: 'keyframes with end_frame', body: vid({ end_frame: URL_REF, ...keyframes([0]) }), status: 422, detail: NOT_ALONE },
  { id: '§2.8 D20', what: 'zero keyframes', body: vid(keyframes([])), status: 422, detail: 'video.keyframes must have between 1 and 64 entries' },
  { id: '§2.8 D20', what: '65 keyframes', body: vid({ duration: '10s', ...keyframes(Array.from({ length: 65 }, (_, i) => i)) }), status: 422, detail: 'video.keyframes must have between 1 and 64 entries' },
  { id: '§2.8 D20', what: 'length mismatch', body: vid({ keyframes: [URL_REF, URL_REF], keyframe_indexes: [0] }), status: 422, detail: 'video.keyframes and video.keyframe_indexes must have the same length' },
  { id: '§2.8 D20', what: 'index 121 at 5s', body: vid(keyframes([0, 60, 121])), status: 422, detail: "video.keyframe_indexes[2]: must be between 0 and 120 for duration '5s'" },
  { id: '§2.8 D20', what: 'index 241 at 10s', body: vid({ duration: '10s', ...keyframes([241]) }), status: 422, detail: "video.keyframe_indexes[0]: must be between 0 and 240 for duration '10s'" },
  { id: '§2.8 D20', what: 'negative index', body: vid(keyframes([0, -1])), status: 422, detail: "video.keyframe_indexes[1]: must be between 0 and 120 for duration '5s'" },
  { id: '§2.8 D20', what: 'duplicate index', body: vid(keyframes([60, 0, 60])), status: 422, detail: 'video.keyframe_indexes[2]: duplicate index 60' },
  // E: type video_edit
  { id: '§2.8 E22', what: 'video_edit without source', body: vedit(null, { source: undefined }), status: 400, detail: "source is required for type 'video_edit'" },
  { id: '§2.8 E22', what: 'video url without media_type', body: vedit(null, { source: { url: 'https://a/clip.mp4' } }), status: 400, detail: "source: 'media_type' is required with 'url' for type 'video_edit'" },
  { id: '§2.8 E22', what: 'image media_type as edit source', body: vedit(null, { source: B64_PNG }), status: 422, detail: "source: media_type must be video/* for type 'video_edit'" },
  { id: '§2.8 E25 / §7 item 14', what: 'auto_controls with strength', body: vedit({ edit: { auto_controls: true, strength: 'flex_1' } }), status: 422, detail: 'video.edit.auto_controls cannot be combined with video.edit.strength or video.edit.controls' },
  { id: '§2.8 E25 / §7 item 14', what: 'auto_controls with controls', body: vedit({ edit: { auto_controls: true, controls: { face: { enabled: true } } } }), status: 422, detail: 'video.edit.auto_controls cannot be combined with video.edit.strength or video.edit.controls' },
  { id: '§2.8 E26', what: 'edit keyframes with start_frame', body: vedit({ start_frame: URL_REF, edit: keyframes([0]) }), status: 422, detail: 'video.edit.keyframes is mutually exclusive with video.start_frame' },
  { id: '§2.8 E26', what: 'edit keyframes without indexes', body: vedit({ edit: { keyframes: [URL_REF] } }), status: 422, detail: 'video.edit.keyframes requires video.edit.keyframe_indexes' },
  { id: '§2.8 E26', what: 'edit keyframes length mismatch', body: vedit({ edit: { keyframes: [URL_REF], keyframe_indexes: [0, 1] } }), status: 422, detail: 'video.edit.keyframes and video.edit.keyframe_indexes must have the same length' },
  { id: '§2.8 E26', what: '65 edit keyframes', body: vedit({ edit: keyframes(Array.from({ length: 65 }, (_, i) => i)) }), status: 422, detail: 'video.edit.keyframes must have between 1 and 64 entries' },
  { id: '§2.8 E26 / §7 item 15', what: 'negative edit index', body: vedit({ edit: keyframes([0, -5]) }), status: 422, detail: 'video.edit.keyframe_indexes[1]: must be non-negative' },
  { id: '§2.8 E26 / §7 item 15', what: 'duplicate edit index', body: vedit({ edit: keyframes([3, 3]) }), status: 422, detail: 'video.edit.keyframe_indexes[1]: duplicate index 3' },
  { id: '§2.8 E27 / §7 item 5', what: 'edit hdr without access', body: vedit({ hdr: true }), ctx: { hdrAccess: false }, status: 422, detail: 'HDR access is not enabled for this client' },
  { id: '§2.8 E27 / D18', what: 'edit exr_export without hdr', body: vedit({ exr_export: true }), status: 422, detail: 'video.exr_export requires video.hdr' },
  { id: '§2.8 E28', what: 'loop on video_edit', body: vedit({ loop: true }), status: 422, detail: "video.loop is only valid for type 'video'" },
  { id: '§2.8 E28', what: 'end_frame on video_edit', body: vedit({ end_frame: URL_REF }), status: 422, detail: "video.end_frame is only valid for type 'video'" },
  { id: '§2.8 E28', what: 'video.keyframes on video_edit', body: vedit(keyframes([0])), status: 422, detail: "video.keyframes is only valid for type 'video'; use video.edit.keyframes" },
  { id: '§2.8 E28', what: 'video.keyframe_indexes on video_edit', body: vedit({ keyframe_indexes: [0] }), status: 422, detail: "video.keyframe_indexes is only valid for type 'video'; use video.edit.keyframe_indexes" },
  { id: '§2.8 E28', what: 'source_position on video_edit', body: vedit({ source_position: { x_norm: 0, y_norm: 0, w_norm: 1, h_norm: 1 } }), status: 422, detail: "video.source_position is only valid for type 'video_reframe'" },
  // F: type video_reframe
  { id: '§2.8 F29', what: 'reframe without source', body: reframe(null, { source: null }), status: 400, detail: "source is required for type 'video_reframe'" },
  { id: '§2.8 F29', what: 'reframe data with image media_type', body: reframe(null, { source: B64_PNG }), status: 422, detail: "source: media_type must be video/* for type 'video_reframe'" },
  { id: '§2.8 F29', what: 'reframe url without media_type', body: reframe(null, { source: { url: 'https://a/c.mp4' } }), status: 400, detail: "source: 'media_type' is required with 'url' for type 'video_reframe'" },
  { id: '§2.8 F30', what: 'reframe without aspect_ratio', body: reframe(null, { aspect_ratio: null }), status: 400, detail: "aspect_ratio is required for type 'video_reframe'" },
  { id: '§2.8 F30', what: 'reframe to an image-only ratio', body: reframe(null, { aspect_ratio: '3:2' }), status: 400, detail: `Invalid aspect_ratio '3:2'. Valid: ${RAY_LIST}` },
  { id: '§2.8 F31', what: 'hdr on reframe', body: reframe({ hdr: true }), status: 422, detail: "video.hdr is not supported for type 'video_reframe'" },
  { id: '§2.8 F31', what: 'exr_export on reframe', body: reframe({ exr_export: true }), status: 422, detail: "video.exr_export is not supported for type 'video_reframe'" },
  { id: '§2.8 F32 / §7 item 3', what: '1080p reframe to 9:16', body: reframe({ resolution: '1080p' }, { aspect_ratio: '9:16' }), status: 422, detail: "1080p is coming soon for video_reframe with aspect_ratio '9:16'" },
  { id: '§2.8 F32', what: '1080p reframe to 3:4', body: reframe({ resolution: '1080p' }, { aspect_ratio: '3:4' }), status: 422, detail: "1080p is coming soon for video_reframe with aspect_ratio '3:4'" },
  { id: '§2.8 F33', what: 'edit on reframe', body: reframe({ edit: {} }), status: 422, detail: "video.edit is only valid for type 'video_edit'" },
  { id: '§2.8 F33', what: 'loop on reframe', body: reframe({ loop: true }), status: 422, detail: "video.loop is only valid for type 'video'" },
  { id: '§2.8 F33', what: 'keyframes on reframe', body: reframe(keyframes([0])), status: 422, detail: "video.keyframes is only valid for type 'video'" },
  { id: '§2.8 F33', what: 'start_frame on reframe', body: reframe({ start_frame: URL_REF }), status: 422, detail: "video.start_frame is only valid for types 'video' and 'video_edit'" },
  { id: '§2.8 F33', what: 'end_frame on reframe', body: reframe({ end_frame: URL_REF }), status: 422, detail: "video.end_frame is only valid for type 'video'" },
];

const DEFAULT_IMAGE: GenerationRequest = {
  prompt: 'red lantern over a rainy alley',
  type: 'image',
  model: 'uni-1',
  aspect_ratio: null,
  image_ref: [],
  source: null,
  style: 'auto',
  output_format: null,
  web_search: false,
  user_id: null,
  video: null,
};

// prettier-ignore
const accepts: Accept[] = [
  // §2.10 canonical shapes
  { id: '§2.10 / §2.7', what: 'text-to-image with all defaults', body: { prompt: DEFAULT_IMAGE.prompt }, check: (r) => assert.deepEqual(r, DEFAULT_IMAGE) },
  { id: '§2.10', what: 'image edit with one reference', body: { type: 'image_edit', model: 'uni-1-max', prompt: 'make it dusk', source: { url: 'https://cdn.example/in.jpg' }, image_ref: [{ data: '<b64>', media_type: 'image/png' }] }, check: (r) => assert.deepEqual([r.model, r.source, r.image_ref], ['uni-1-max', { url: 'https://cdn.example/in.jpg' }, [{ data: '<b64>', media_type: 'image/png' }]]) },
  { id: '§2.10', what: 'text-to-video 10 s SDR', body: { model: 'ray-3.2', type: 'video', prompt: '...', aspect_ratio: '16:9', video: { resolution: '720p', duration: '10s' } }, check: (r) => assert.deepEqual(r.video, { resolution: '720p', duration: '10s' }) },
  { id: '§2.10 / §2.8 D19', what: 'start+end stills', body: vid({ start_frame: { url: 'https://a/1.jpg' }, end_frame: { url: 'https://a/2.jpg' } }, { model: 'ray-3.2' }) },
  { id: '§2.10 / §2.8 D19', what: 'forward extend', body: vid({ start_frame: GEN_REF }, { model: 'ray-3.2' }) },
  { id: '§2.10 / §2.8 D20', what: 'three keyframes over 10 s', body: vid({ duration: '10s', ...keyframes([0, 120, 240]) }, { model: 'ray-3.2' }), check: (r) => assert.deepEqual(r.video?.keyframe_indexes, [0, 120, 240]) },
  { id: '§2.10', what: 'video edit with manual preset and pose control', body: vedit({ resolution: '540p', edit: { strength: 'flex_2', controls: { pose: { enabled: true, strength: 'coarse' } } } }, { model: 'ray-3.2' }), check: (r) => assert.deepEqual(r.video, { resolution: '540p', edit: { strength: 'flex_2', controls: { pose: { enabled: true, strength: 'coarse' } } } }) },
  { id: '§2.10 / §2.8 F33', what: 'reframe a prior generation to 21:9, source pinned left', body: { model: 'ray-3.2', type: 'video_reframe', prompt: 'extend the desert', aspect_ratio: '21:9', source: GEN_REF, video: { resolution: '720p', source_position: { x_norm: 0, y_norm: 0, w_norm: 0.6, h_norm: 1 } } }, check: (r) => assert.deepEqual(r.video?.source_position, { x_norm: 0, y_norm: 0, w_norm: 0.6, h_norm: 1 }) },
  // defaults and unknown fields
  { id: '§7 item 1', what: 'video type defaults to ray-3.2, video options stay as sent', body: vid(null), check: (r) => assert.deepEqual([r.model, r.video, r.image_ref, r.style], ['ray-3.2', null, [], 'auto']) },
  { id: '§7 item 1', what: 'video_edit defaults to ray-3.2', body: vedit(null), check: (r) => assert.equal(r.model, 'ray-3.2') },
  { id: '§1.5', what: 'unknown fields are dropped at every level', body: { prompt: 'p', source_video_id: 'x', extra: 1, image_ref: [{ url: 'u', foo: 1 }], user_id: null, output_format: null }, check: (r) => assert.deepEqual(r, { ...DEFAULT_IMAGE, prompt: 'p', image_ref: [{ url: 'u' }] }) },
  { id: '§1.5 / §7 item 27', what: 'unknown video members (guide_frame) dropped, nulls kept as sent', body: vedit({ guide_frame: URL_REF, hdr: null, edit: { auto_controls: null, controls: { depth: { blur: 0.5, x: 1 } }, y: 2 } }), check: (r) => assert.deepEqual(r.video, { hdr: null, edit: { auto_controls: null, controls: { depth: { blur: 0.5 } } } }) },
  { id: 'Files API Referencing', what: 'file_id null means absent (kept as sent, like url/data nulls)', body: edit({ source: { url: 'u', file_id: null } }), check: (r) => assert.deepEqual(r.source, { url: 'u', file_id: null }) },
  { id: 'Files API Referencing', what: 'file_id as an image_edit source', body: edit({ source: { file_id: UUID } }), check: (r) => assert.deepEqual(r.source, { file_id: UUID }) },
  { id: 'Files API Referencing', what: 'file_id as a video_edit source needs no media_type', body: vedit(null, { source: { file_id: UUID } }) },
  { id: 'Files API Referencing', what: 'file_id as a video_reframe source', body: reframe(null, { source: { file_id: UUID } }) },
  { id: 'Files API Referencing', what: 'file_id in image_ref', body: img({ image_ref: [{ file_id: UUID }] }) },
  { id: 'Files API Referencing', what: 'file_id at both video anchors', body: vid({ start_frame: { file_id: UUID }, end_frame: { file_id: UUID } }) },
  { id: 'Files API Referencing', what: 'file_id in video.keyframes', body: vid({ keyframes: [{ file_id: UUID }, URL_REF], keyframe_indexes: [0, 120] }) },
  { id: 'Files API Referencing', what: 'file_id in video.edit.keyframes', body: vedit({ edit: { keyframes: [{ file_id: UUID }], keyframe_indexes: [0] } }) },
  { id: '§2.3', what: 'nullable fields sent as null', body: img({ aspect_ratio: null, source: null, output_format: null, user_id: null, video: null }), check: (r) => assert.deepEqual(r, { ...DEFAULT_IMAGE, prompt: 'p' }) },
  // A–C
  { id: '§2.8 A1', what: '6000-character prompt', body: { prompt: 'x'.repeat(6000) } },
  { id: '§2.8 A1 / §7 item 17', what: '6000 astral code points (12000 UTF-16 units)', body: { prompt: '😀'.repeat(6000) } },
  { id: '§2.8 A1 / §7 item 16', what: 'whitespace-only prompt', body: { prompt: '   ' } },
  { id: '§2.8 A2', what: 'every uni ratio on uni-1-max', body: img({ model: 'uni-1-max', aspect_ratio: '1:3' }) },
  { id: '§2.8 A3', what: '256-character user_id', body: img({ user_id: 'u'.repeat(256) }), check: (r) => assert.equal(r.user_id?.length, 256) },
  { id: '§2.8 A4 / §7 item 12', what: 'generation_id in image_ref (checked at ingest)', body: img({ image_ref: [GEN_REF] }) },
  { id: '§2.8 B6', what: '9 references on image', body: img({ image_ref: refs(9) }) },
  { id: '§2.8 B7', what: 'manga with 9:16', body: img({ style: 'manga', aspect_ratio: '9:16' }) },
  { id: '§2.8 B7', what: 'manga with null ratio', body: img({ style: 'manga' }) },
  { id: '§2.8 C10', what: '8 references on image_edit', body: edit({ image_ref: refs(8) }), check: (r) => assert.equal(r.image_ref.length, 8) },
  { id: '§2.8 C11', what: 'image_edit keeps a valid ratio as sent (engine ignores it)', body: edit({ aspect_ratio: '3:1' }), check: (r) => assert.equal(r.aspect_ratio, '3:1') },
  { id: '§2.8 C12', what: 'manga on image_edit with a landscape ratio', body: edit({ style: 'manga', aspect_ratio: '16:9' }) },
  { id: '§2.8 C9', what: 'image_edit source by generation_id', body: edit({ source: GEN_REF }) },
  // D
  { id: '§2.8 D13 / §7 item 11', what: 'neutral image defaults on video', body: vid(null, { style: 'auto', output_format: null, web_search: false, image_ref: [] }) },
  { id: '§2.8 D16', what: 'loop on a forward extend', body: vid({ loop: true, start_frame: GEN_REF }) },
  { id: '§2.8 D16', what: 'loop false with 10s', body: vid({ loop: false, duration: '10s' }) },
  { id: '§2.8 D17', what: 'hdr at default resolution', body: vid({ hdr: true }) },
  { id: '§2.8 D17 / D18', what: 'hdr + exr at 1080p with keyframes', body: vid({ hdr: true, exr_export: true, resolution: '1080p', ...keyframes([0, 120]) }) },
  { id: '§2.8 D19 / §7 item 8', what: 'extend ignores duration 10s', body: vid({ start_frame: GEN_REF, duration: '10s' }) },
  { id: '§2.8 D19', what: 'backward extend alone', body: vid({ end_frame: GEN_REF, resolution: '1080p' }) },
  { id: '§2.8 D20', what: 'single keyframe at index 0', body: vid(keyframes([0])) },
  { id: '§2.8 D20', what: '64 keyframes', body: vid({ duration: '10s', ...keyframes(Array.from({ length: 64 }, (_, i) => i * 3)) }) },
  { id: '§2.8 D20 / §7 item 15', what: 'unsorted indexes and a generation_id keyframe', body: vid({ keyframes: [URL_REF, GEN_REF], keyframe_indexes: [120, 0] }) },
  { id: '§2.8 D21', what: '360p text-to-video', body: vid({ resolution: '360p', duration: '10s' }) },
  { id: '§2.8 D21', what: '1080p text-to-video', body: vid({ resolution: '1080p' }) },
  // E
  { id: '§2.8 E22', what: 'edit source by generation_id', body: vedit(null, { source: GEN_REF }) },
  { id: '§2.8 E22', what: 'edit source as base64 video', body: vedit(null, { source: { data: 'AAAA', media_type: 'video/quicktime' } }) },
  // ingest: the source length is unknown here; inputs/ fails the job with invalid_request when over 18 s.
  { id: '§2.8 E23 (ingest)', what: 'body validator cannot see the source length', body: vedit(null) },
  { id: '§2.8 E24 / §7 items 8-9', what: 'edit keeps duration and aspect_ratio as sent (unused)', body: vedit({ duration: '10s' }, { aspect_ratio: '1:1' }), check: (r) => assert.deepEqual([r.aspect_ratio, r.video?.duration], ['1:1', '10s']) },
  { id: '§2.8 E25', what: 'manual strength without auto_controls', body: vedit({ edit: { auto_controls: false, strength: 'reimagine_3' } }) },
  { id: '§2.8 E25 / §2.7', what: 'empty edit means auto_controls', body: vedit({ edit: {} }) },
  // ingest: the upper bound of edit keyframe indexes is the source's last frame (§7 item 15).
  { id: '§2.8 E26 (ingest)', what: 'edit keyframe index beyond any 5 s grid', body: vedit({ edit: keyframes([0, 400]) }) },
  { id: '§2.8 E27', what: 'edit hdr + exr at 360p', body: vedit({ hdr: true, exr_export: true, resolution: '360p' }) },
  { id: '§2.8 E27 / §7 item 4', what: 'edit hdr with an (ignored) 10s duration', body: vedit({ hdr: true, duration: '10s' }) },
  { id: '§2.8 E28', what: 'neutral loop false and a single guide start_frame on video_edit', body: vedit({ loop: false, start_frame: URL_REF }) },
  // F
  { id: '§2.8 F29', what: 'reframe source as url + video media_type', body: reframe(null) },
  // ingest: equality with the source's ratio needs the source (§7 item 10).
  { id: '§2.8 F30 (ingest)', what: 'reframe target ratio', body: reframe(null, { aspect_ratio: '16:9' }) },
  { id: '§2.8 F31', what: 'reframe with hdr false', body: reframe({ hdr: false, exr_export: false }) },
  { id: '§2.8 F32', what: '1080p reframe to 16:9', body: reframe({ resolution: '1080p' }, { aspect_ratio: '16:9' }) },
  { id: '§2.8 F32', what: '720p reframe to 9:16', body: reframe({ resolution: '720p' }, { aspect_ratio: '9:16' }) },
  { id: '§2.8 F33', what: 'reframe with default (absent) source_position', body: reframe({}) },
  // ingest: the 30 s source limit is checked once the source length is probed.
  { id: '§2.8 F34 (ingest)', what: 'body validator cannot see the source length', body: reframe({ duration: '10s' }) },
];

const caseName = (c: Reject | Accept): string =>
  'status' in c
    ? `contract ${c.id}: ${c.what} → ${c.status} ${c.detail}`
    : `contract ${c.id}: ${c.what} → accepted`;

describe('parseCreateRequest rejects', () => {
  for (const c of rejects) {
    it(caseName(c), () => {
      assert.throws(
        () => parseCreateRequest(c.body, c.ctx ?? FULL),
        (e: unknown) => {
          assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
          assert.deepEqual({ status: e.status, detail: e.detail }, { status: c.status, detail: c.detail });
          return true;
        },
      );
    });
  }
});

describe('parseCreateRequest accepts', () => {
  for (const c of accepts) {
    it(caseName(c), () => {
      const r = parseCreateRequest(c.body, c.ctx ?? FULL);
      c.check?.(r);
    });
  }
});

describe('videoDefaults (§2.7)', () => {
  it('fills 720p and 5s', () => {
    assert.deepEqual(videoDefaults(null), { resolution: '720p', duration: '5s' });
    assert.deepEqual(videoDefaults({ resolution: null, duration: null }), {
      resolution: '720p',
      duration: '5s',
    });
  });
  it('keeps sent values', () => {
    assert.deepEqual(videoDefaults({ resolution: '1080p', duration: '10s' }), {
      resolution: '1080p',
      duration: '10s',
    });
  });
});

describe('rule coverage', () => {
  it('every §2.8 rule A1..F34 has a case', () => {
    const letterOf = (n: number): string =>
      n <= 4 ? 'A' : n <= 8 ? 'B' : n <= 12 ? 'C' : n <= 21 ? 'D' : n <= 28 ? 'E' : 'F';
    const names = [...rejects, ...accepts].map(caseName).join('\n');
    // Ids appear as `§2.8 D17` or in a list after one (`§2.8 D17 / D18`).
    const seen = new Set([...names.matchAll(/(?:§2\.8 |\/ )([A-F])(\d+)\b/g)].map((m) => `${m[1]}${m[2]}`));
    const missing = Array.from({ length: 34 }, (_, i) => `${letterOf(i + 1)}${i + 1}`).filter(
      (id) => !seen.has(id),
    );
    assert.deepEqual(missing, []);
  });
  it('every case name is unique', () => {
    const names = [...rejects, ...accepts].map(caseName);
    assert.equal(new Set(names).size, names.length);
  });
});
