// What each model accepts for each type (contract §2.3, §2.5–§2.8), for clients that offer only the
// choices a request can take. Pure data. packages/server/src/contract/accepted-values.test.ts fails if this
// table and the server's validation disagree, so the two cannot drift.
import type {
  AspectRatio,
  Duration,
  EditStrength,
  GenerationType,
  Model,
  OutputFormat,
  Resolution,
  Style,
} from './types.js';

/** Every model, in the contract's table order (§2.6). */
export const MODELS: readonly Model[] = ['uni-1', 'uni-1-max', 'ray-3.2'];

/** Every generation type, in the contract's order (§2.3). */
export const GENERATION_TYPES: readonly GenerationType[] = [
  'image',
  'image_edit',
  'video',
  'video_edit',
  'video_reframe',
];

/** The value type of each request field that takes a closed set of values, by its path in the body. */
export interface ClosedFieldValues {
  aspect_ratio: AspectRatio;
  output_format: OutputFormat;
  style: Style;
  'video.resolution': Resolution;
  'video.duration': Duration;
  'video.edit.strength': EditStrength;
}

/** A request field that takes a closed set of values, named by its path in the body. */
export type ClosedField = keyof ClosedFieldValues;

/**
 * What one model accepts for one type: for each closed field, the values a request may carry (in the
 * contract's order). An empty list means the field must be left out. A value listed here can still be
 * refused in combination with other fields (e.g. `style: manga` on `image` with a landscape ratio, HDR at
 * 540p, 1080p reframes to a vertical ratio); those cross-field rules are the server's to answer. Some
 * accepted values are ignored: `aspect_ratio` on `image_edit`/`video_edit`, `video.duration` on
 * `video_edit`/`video_reframe` (the output follows the source).
 */
export type AcceptedValues = { readonly [F in ClosedField]: readonly ClosedFieldValues[F][] };

/** Every value each closed field has on the wire, whichever model or type takes it. */
export const CLOSED_FIELD_VALUES: AcceptedValues = {
  aspect_ratio: ['3:1', '2:1', '21:9', '16:9', '4:3', '3:2', '1:1', '3:4', '2:3', '9:16', '1:2', '1:3'],
  output_format: ['png', 'jpeg'],
  style: ['auto', 'manga'],
  'video.resolution': ['360p', '540p', '720p', '1080p'],
  'video.duration': ['5s', '10s'],
  'video.edit.strength': [
    'adhere_1',
    'adhere_2',
    'adhere_3',
    'flex_1',
    'flex_2',
    'flex_3',
    'reimagine_1',
    'reimagine_2',
    'reimagine_3',
  ],
};

// §2.6: the image models take 9 ratios, ray-3.2 takes 6; 4:3, 3:4 and 21:9 are video-only.
const UNI_RATIOS: readonly AspectRatio[] = ['3:1', '2:1', '16:9', '3:2', '1:1', '2:3', '9:16', '1:2', '1:3'];
const RAY_RATIOS: readonly AspectRatio[] = ['9:16', '3:4', '1:1', '4:3', '16:9', '21:9'];

/** Image types: no `video` object; `style` and `output_format` are theirs. */
const IMAGE: AcceptedValues = {
  aspect_ratio: UNI_RATIOS,
  output_format: CLOSED_FIELD_VALUES.output_format,
  style: CLOSED_FIELD_VALUES.style,
  'video.resolution': [],
  'video.duration': [],
  'video.edit.strength': [],
};

/**
 * Video types: every resolution and duration (§2.5, §7 item 8); of the image fields only the neutral
 * `style: auto` passes (§7 item 11).
 */
const VIDEO: AcceptedValues = {
  aspect_ratio: RAY_RATIOS,
  output_format: [],
  style: ['auto'],
  'video.resolution': CLOSED_FIELD_VALUES['video.resolution'],
  'video.duration': CLOSED_FIELD_VALUES['video.duration'],
  'video.edit.strength': [],
};

/** `video.edit` is for `video_edit` only (§2.8 D14, E25, F33). */
const VIDEO_EDIT: AcceptedValues = {
  ...VIDEO,
  'video.edit.strength': CLOSED_FIELD_VALUES['video.edit.strength'],
};

const TABLE: { readonly [M in Model]: { readonly [T in GenerationType]?: AcceptedValues } } = {
  'uni-1': { image: IMAGE, image_edit: IMAGE },
  'uni-1-max': { image: IMAGE, image_edit: IMAGE },
  'ray-3.2': { video: VIDEO, video_edit: VIDEO_EDIT, video_reframe: VIDEO },
};

/** The types each model makes (§2.6), in the contract's order. */
export const MODEL_TYPES: { readonly [M in Model]: readonly GenerationType[] } = {
  'uni-1': GENERATION_TYPES.filter((t) => TABLE['uni-1'][t] !== undefined),
  'uni-1-max': GENERATION_TYPES.filter((t) => TABLE['uni-1-max'][t] !== undefined),
  'ray-3.2': GENERATION_TYPES.filter((t) => TABLE['ray-3.2'][t] !== undefined),
};

/** The model a request without `model` gets: `uni-1` for image types, `ray-3.2` for video types (§7 item 1). */
export const defaultModel = (type: GenerationType): Model =>
  type === 'image' || type === 'image_edit' ? 'uni-1' : 'ray-3.2';

/**
 * What `model` accepts for `type`, or null when the model does not make that type (the server answers
 * 400 `Type '<type>' is not supported for model '<model>'`).
 */
export const acceptedValues = (model: Model, type: GenerationType): AcceptedValues | null =>
  TABLE[model][type] ?? null;
