// How guide images (`edit.keyframes`, `start_frame`) pull the frames around them (pure): at its index a
// guide replaces the frame outright (so the output reproduces it), a few frames either side it is
// cross-faded in, and over a second either side its colour cast spreads into the edit.
import type { GuidePin } from './plan.js';

/** Frames either side of a guide over which its pixels are cross-faded in. */
export const PIXEL_WINDOW = 8;

/** Frames either side over which its mean colour is carried into the edit. */
export const COLOUR_WINDOW = 24;

/** Strongest share of a guide's colour cast carried into a neighbouring frame. */
const COLOUR_SHARE = 0.6;

/** One guide's pull on one frame. */
export interface GuideInfluence {
  guide: number;
  /** Cross-fade weight, 1 at the guide's own frame. */
  pixel: number;
  /** Share of the guide's mean colour offset applied. */
  colour: number;
}

const smooth = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** The guides acting on `frame`, weakest pixel pull first (so the guide at its own frame is applied last). */
export const guideInfluences = (frame: number, pins: readonly GuidePin[]): GuideInfluence[] =>
  pins
    .filter((p) => Math.abs(frame - p.frame) < COLOUR_WINDOW)
    .map((p) => {
      const d = Math.abs(frame - p.frame);
      return {
        guide: p.guide,
        pixel: d === 0 ? 1 : smooth(1 - d / PIXEL_WINDOW),
        colour: COLOUR_SHARE * smooth(1 - d / COLOUR_WINDOW),
      };
    })
    .sort((a, b) => a.pixel - b.pixel || a.guide - b.guide);

/** The first frame at which a guide is needed (its pixels must reach the worker before then). */
export const guideNeededFrom = (pin: GuidePin): number => Math.max(0, pin.frame - COLOUR_WINDOW + 1);

/** The last frame a guide acts on (after it the worker can drop its pixels). */
export const guideNeededUntil = (pin: GuidePin): number => pin.frame + COLOUR_WINDOW - 1;
