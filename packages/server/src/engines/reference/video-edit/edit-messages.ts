// Messages between the render (main) thread and the edit thread.
import type { WireFailure } from '../../failure-wire.js';
import type { ControlSettings, GuidePin } from './plan.js';

/** What the edit thread needs to process frames. */
export interface EditWorkerConfig {
  /** Output canvas; incoming frames are twice as wide (source | full edit). */
  width: number;
  height: number;
  amount: number;
  controls: ControlSettings;
  pins: GuidePin[];
  /** Also render the control signals as a mosaic per frame (the debug side video). */
  debug: boolean;
  /** A local ONNX depth model to use instead of the approximate depth, or null. */
  depthModel: string | null;
}

/** Main → edit thread. Frames arrive in order; a guide arrives before the first frame it acts on. */
export type EditRequest =
  | { kind: 'init'; config: EditWorkerConfig }
  | { kind: 'guide'; guide: number; rgb: ArrayBuffer }
  | { kind: 'frame'; index: number; buf: ArrayBuffer };

/** What the signals found on one frame (for the render log). */
export interface FrameStats {
  tracks: number;
  bodies: number;
  faces: number;
  /** Identity similarity of the output's face to the source's (0..1), on the frames where it is checked. */
  faceSimilarity: number | null;
}

/** Edit thread → main: one finished yuv420p frame (and its debug mosaic, rgb24), or a failure. */
export type EditReply =
  | { kind: 'frame'; index: number; yuv: ArrayBuffer; debug: ArrayBuffer | null; stats: FrameStats }
  | { kind: 'error'; failure: WireFailure };
