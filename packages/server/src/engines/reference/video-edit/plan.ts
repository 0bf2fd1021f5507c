// Reads a validated `video_edit` request and the probed source into a render plan (pure): the canvas, the
// frame count on the 24 fps grid, the strength level (asked for, or chosen from the source's content), the
// control signals that guide the render, and the guide frames (contract §2.5, §2.8 E22–E28, §7 items 14, 15).
import { videoSize, type PixelSize } from '../../../contract/sizes.js';
import { videoDefaults } from '../../../contract/validate-create.js';
import {
  EDIT_STRENGTHS,
  type AspectRatio,
  type EditStrength,
  type GenerationRequest,
  type PoseStrength,
} from '../../../contract/wire.js';
import type { DynamicRange } from '../../../media/ffmpeg/encode-args.js';
import { FPS } from '../../../media/ffmpeg/encode-args.js';
import { nearestRatio } from '../video/plan.js';

/**
 * How far each strength level moves a pixel from the source toward the fully edited picture (0 = source,
 * 1 = the full edit). Strictly increasing, so the mean distance from the source grows with the level.
 */
export const STRENGTH_AMOUNT: Readonly<Record<EditStrength, number>> = {
  adhere_1: 0.12,
  adhere_2: 0.2,
  adhere_3: 0.28,
  flex_1: 0.38,
  flex_2: 0.48,
  flex_3: 0.58,
  reimagine_1: 0.7,
  reimagine_2: 0.84,
  reimagine_3: 1,
};

/** The control signals as the render uses them; every one defaults to on (the "model default"). */
export interface ControlSettings {
  trajectory: { enabled: boolean; sparsity: number };
  depth: { enabled: boolean; blur: number };
  normals: { enabled: boolean; augmentation: number };
  pose: { enabled: boolean; strength: PoseStrength };
  face: { enabled: boolean };
}

/** The settings `auto_controls` (and an absent `video.edit`) uses. */
export const AUTO_CONTROLS: ControlSettings = {
  trajectory: { enabled: true, sparsity: 0.5 },
  depth: { enabled: true, blur: 0.3 },
  normals: { enabled: true, augmentation: 0.2 },
  pose: { enabled: true, strength: 'precise' },
  face: { enabled: true },
};

/** A guide image pinned to an output frame. */
export interface GuidePin {
  frame: number;
  /** Index into the job's guide list (`edit.keyframes`, or `start_frame` alone). */
  guide: number;
}

/** Cheap statistics of the whole source (a tiny-frame pre-pass) that the automatic level is read from. */
export interface SourceActivity {
  /** Mean absolute change between consecutive frames, 0..255 grey levels, at 8 fps. */
  motion: number;
  /** Mean absolute horizontal + vertical gradient, 0..255 grey levels. */
  detail: number;
}

/** The render plan. */
export interface EditPlan extends PixelSize {
  ratio: AspectRatio;
  frames: number;
  /** The level used and whether the source's content chose it. */
  strength: EditStrength;
  automatic: boolean;
  amount: number;
  controls: ControlSettings;
  pins: GuidePin[];
  range: DynamicRange;
  exr: boolean;
}

/** Why a plan cannot be made from this source; the engine reports it as `invalid_request`. */
export class EditPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditPlanError';
  }
}

/** The last index of the source's frame grid (§7 item 15): `floor(seconds × 24)`. */
export const lastGridIndex = (seconds: number): number => Math.floor(seconds * FPS + 1e-6);

/** True when the request leaves the conditioning to the engine (§2.7, §7 item 14). */
export const isAutomatic = (req: GenerationRequest): boolean => {
  const e = req.video?.edit;
  if (!e) return true;
  if (e.auto_controls === true) return true;
  return e.auto_controls !== false && !e.strength && !e.controls;
};

/**
 * The level chosen from the source's content: busy footage (a lot of motion or fine detail) gets a light
 * touch so the edit stays coherent from frame to frame; calm, simple footage can take more change. The
 * choice stays within adhere_2 … flex_3 — the automatic mode never reimagines the source.
 */
export const autoStrength = (a: SourceActivity): EditStrength => {
  const busy = 0.6 * Math.min(1, a.motion / 12) + 0.4 * Math.min(1, a.detail / 30);
  const index = Math.min(5, Math.max(1, Math.round(5 - 4 * busy)));
  return EDIT_STRENGTHS[index] ?? 'flex_1';
};

const unit = (x: number | null | undefined, fallback: number): number =>
  typeof x === 'number' && Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : fallback;

/** The manual controls: each signal is on unless `enabled: false`; omitted numbers take the auto values. */
export const controlSettings = (req: GenerationRequest): ControlSettings => {
  if (isAutomatic(req)) return AUTO_CONTROLS;
  const c = req.video?.edit?.controls ?? {};
  const a = AUTO_CONTROLS;
  return {
    trajectory: {
      enabled: c.trajectory?.enabled !== false,
      sparsity: unit(c.trajectory?.sparsity, a.trajectory.sparsity),
    },
    depth: { enabled: c.depth?.enabled !== false, blur: unit(c.depth?.blur, a.depth.blur) },
    normals: {
      enabled: c.normals?.enabled !== false,
      augmentation: unit(c.normals?.augmentation, a.normals.augmentation),
    },
    pose: { enabled: c.pose?.enabled !== false, strength: c.pose?.strength ?? a.pose.strength },
    face: { enabled: c.face?.enabled !== false },
  };
};

/**
 * Output frames: the source length on the 24 fps grid, extended to include the last guide index (the grid
 * is inclusive, so a guide at `floor(seconds × 24)` is a real frame).
 */
export const editFrames = (seconds: number, pins: readonly GuidePin[]): number =>
  Math.max(1, Math.round(seconds * FPS), ...pins.map((p) => p.frame + 1));

/**
 * The guide pins: `edit.keyframes` at `edit.keyframe_indexes`, or `start_frame` at frame 0.
 * @throws EditPlanError when an index lies past the source's frame grid (§7 item 15).
 */
export const guidePins = (req: GenerationRequest, seconds: number, guides: number): GuidePin[] => {
  const v = req.video ?? {};
  if (v.start_frame && guides > 0) return [{ frame: 0, guide: 0 }];
  const indexes = v.edit?.keyframe_indexes ?? [];
  const last = lastGridIndex(seconds);
  const pins: GuidePin[] = [];
  indexes.forEach((frame, i) => {
    if (i >= guides) return;
    if (frame > last) {
      throw new EditPlanError(
        `video.edit.keyframe_indexes[${i}]: must be between 0 and ${last} for this source`,
      );
    }
    pins.push({ frame, guide: i });
  });
  return pins.sort((a, b) => a.frame - b.frame);
};

/** What the plan needs from the probe. */
export interface EditSource {
  width: number;
  height: number;
  displayAspect: number;
  duration: number;
}

/**
 * Builds the plan. The canvas is the ray-3.2 ratio nearest the source's display aspect at the requested
 * resolution (default 720p); the source is scaled to cover it and centre-cropped, so at most a sliver of an
 * off-ratio source is lost and the output always has one of the six documented sizes.
 */
export const planEdit = (
  req: GenerationRequest,
  src: EditSource,
  guides: number,
  activity: SourceActivity | null,
): EditPlan => {
  const v = req.video ?? {};
  const { resolution } = videoDefaults(v);
  const ratio = nearestRatio(Math.round(src.displayAspect * 1000), 1000);
  const automatic = isAutomatic(req) || !v.edit?.strength;
  const strength = v.edit?.strength ?? (activity ? autoStrength(activity) : 'flex_1');
  const pins = guidePins(req, src.duration, guides);
  const hdr = v.hdr === true;
  return {
    ...videoSize(resolution, ratio),
    ratio,
    frames: editFrames(src.duration, pins),
    strength,
    automatic,
    amount: STRENGTH_AMOUNT[strength],
    controls: controlSettings(req),
    pins,
    range: hdr ? 'hdr' : 'sdr',
    exr: hdr && v.exr_export === true,
  };
};
