// Rules about the source video of `video_edit` / `video_reframe` that need the source itself (contract
// §2.8 E23, F30, F34; §7 items 3, 6, 10): length limits and the reframe ratio rule. Pure, no I/O: the worker
// applies them after probing, admission applies them when a chained generation already tells the answer.
import type { AspectRatio, GenerationRequest, GenerationType } from './wire.js';

/** Longest video_edit source, seconds (§2.8 E23: the API reference value). */
export const EDIT_MAX_SOURCE_SECONDS = 18;
/** Longest video_reframe source, seconds (§2.8 F34). */
export const REFRAME_MAX_SOURCE_SECONDS = 30;

/** Longest accepted source by type. */
export const SOURCE_MAX_SECONDS: Readonly<Partial<Record<GenerationType, number>>> = {
  video_edit: EDIT_MAX_SOURCE_SECONDS,
  video_reframe: REFRAME_MAX_SOURCE_SECONDS,
};

/**
 * Container durations overshoot the picture by a frame or an audio packet; a source this much over the
 * limit still counts as within it (the same allowance pricing forgives).
 */
export const SOURCE_LENGTH_TOLERANCE_SECONDS = 0.05;

/** The longest source `type` accepts, or null when the type takes no source video. */
export const sourceLimitSeconds = (type: GenerationType): number | null => SOURCE_MAX_SECONDS[type] ?? null;

/** `source video must be 18 seconds or shorter` (contract §7 item 3 wording). */
export const sourceTooLongDetail = (limitSeconds: number): string =>
  `source video must be ${limitSeconds} seconds or shorter`;

/** Contract §7 item 10 wording. */
export const SAME_RATIO_DETAIL = "aspect_ratio must differ from the source video's aspect ratio";

/** Width ÷ height of a ratio string such as `16:9`. */
export const ratioValue = (ratio: AspectRatio): number => {
  const [w, h] = ratio.split(':').map(Number);
  return w !== undefined && h !== undefined && h > 0 ? w / h : NaN;
};

/**
 * Relative difference under which two aspects count as the same ratio: real files round their sizes
 * (854×480 is 16:9 to 0.1 %), while the closest pair of distinct video ratios (3:4 vs 9:16) is 25 % apart.
 */
export const SAME_RATIO_TOLERANCE = 0.01;

/** True when a source of display aspect `aspect` (width/height) already has the target `ratio`. */
export const sameRatio = (aspect: number, ratio: AspectRatio): boolean =>
  Math.abs(Math.log(aspect / ratioValue(ratio))) < SAME_RATIO_TOLERANCE;

/**
 * The output ratio of a prior generation when its request alone settles it: `video` with an explicit
 * `aspect_ratio` (the plan honours it even with anchors) and `video_reframe` (the ratio is its target).
 * Null when it follows media (an edit keeps its source's ratio; a `video` without a ratio follows its
 * anchor), so only the worker can tell.
 */
export const knownOutputRatio = (prior: GenerationRequest): AspectRatio | null =>
  prior.type === 'video' || prior.type === 'video_reframe' ? prior.aspect_ratio : null;

/**
 * The longest a prior generation's video can be, seconds, when its request alone settles it: `video`
 * renders 5.04 s or 10.04 s (an inclusive 24 fps grid), so it is always inside both limits. Edits and
 * reframes follow their own sources, so their length is unknown until probed (null).
 */
export const knownMaxSeconds = (prior: GenerationRequest): number | null =>
  prior.type === 'video' ? (prior.video?.duration === '10s' ? 10.04 : 5.04) : null;

/**
 * The 422 `detail` for a source that is the output of `prior`, when that alone already breaks a rule of
 * `req` (§7 items 6 and 10), else null. Only cheap facts of the stored request are used; the worker
 * re-checks everything on the real file.
 */
export const chainedSourceProblem = (req: GenerationRequest, prior: GenerationRequest): string | null => {
  const limit = sourceLimitSeconds(req.type);
  const longest = knownMaxSeconds(prior);
  if (limit !== null && longest !== null && longest > limit + SOURCE_LENGTH_TOLERANCE_SECONDS) {
    return sourceTooLongDetail(limit);
  }
  const priorRatio = knownOutputRatio(prior);
  if (req.type === 'video_reframe' && req.aspect_ratio !== null && priorRatio === req.aspect_ratio) {
    return SAME_RATIO_DETAIL;
  }
  return null;
};
