// The model ↔ type ↔ aspect-ratio matrix of contract §2.6 and the per-type model defaults of §2.7 / §7 item 1.
// Pure data plus the documented error-list ordering.
import type { AspectRatio, GenerationType, Model } from './wire.js';
import { MODELS, isVideoType } from './wire.js';

const UNI_RATIOS: readonly AspectRatio[] = ['3:1', '2:1', '16:9', '3:2', '1:1', '2:3', '9:16', '1:2', '1:3'];
const RAY_RATIOS: readonly AspectRatio[] = ['9:16', '3:4', '1:1', '4:3', '16:9', '21:9'];

/** Types each model serves (§2.6). */
export const MODEL_TYPES: Readonly<Record<Model, readonly GenerationType[]>> = {
  'uni-1': ['image', 'image_edit'],
  'uni-1-max': ['image', 'image_edit'],
  'ray-3.2': ['video', 'video_edit', 'video_reframe'],
};

/** Aspect ratios each model accepts (§2.6), in the contract's table order. */
export const MODEL_RATIOS: Readonly<Record<Model, readonly AspectRatio[]>> = {
  'uni-1': UNI_RATIOS,
  'uni-1-max': UNI_RATIOS,
  'ray-3.2': RAY_RATIOS,
};

/** Portrait ratios that `style: "manga"` needs on type image (§2.8 B7). */
export const MANGA_RATIOS: readonly AspectRatio[] = ['2:3', '9:16', '1:2', '1:3'];

/** Default model when the body omits it: `uni-1` for image types, `ray-3.2` for video types (§7 item 1). */
export const defaultModel = (type: GenerationType): Model => (isVideoType(type) ? 'ray-3.2' : 'uni-1');

/**
 * Compares two ratios component-wise as strings (split at `:`); this reproduces the documented uni list
 * `1:1, 1:2, 1:3, 16:9, 2:1, 2:3, 3:1, 3:2, 9:16` (§2.6).
 */
export function compareRatios(a: string, b: string): number {
  const pa = a.split(':');
  const pb = b.split(':');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The `Valid: <list>` tail of `Invalid aspect_ratio '<v>'. Valid: <list>` for a model. */
export const validRatioList = (model: Model): string =>
  [...MODEL_RATIOS[model]].sort(compareRatios).join(', ');

/** `model/type`: the unit that engines are routed by and workers claim by. */
export const kindOf = (model: Model, type: GenerationType): string => `${model}/${type}`;

/** Every valid `model/type` pair (§2.6), in table order. */
export const ALL_KINDS: readonly string[] = MODELS.flatMap((m) => MODEL_TYPES[m].map((t) => kindOf(m, t)));
