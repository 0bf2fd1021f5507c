// Messages between the render (main) thread and the edit thread. The thread outlives a job: each job opens
// a session of its own (a MessageChannel port handed over on the thread's parentPort), sends its requests
// and gets its replies on that port, and ends it with `end`, which the thread acknowledges with `ended`
// once everything the job sent before it has been handled.
import type { MessagePort } from 'node:worker_threads';
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

/** Main → edit thread, on its parentPort: a job's session port. */
export interface EditSessionOpen {
  kind: 'session';
  port: MessagePort;
}

/**
 * Main → edit thread, on a session port. Frames arrive in order; a guide arrives before the first frame it
 * acts on; `end` is the session's last message.
 */
export type EditRequest =
  | { kind: 'init'; config: EditWorkerConfig }
  | { kind: 'end' }
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

/** Models this session's init loaded (0 when the thread had them already) and how long that took. */
export interface ModelLoads {
  loads: number;
  ms: number;
}

/**
 * Edit thread → main, on a session port: the init done (with the models it loaded), one finished yuv420p
 * frame (and its debug mosaic, rgb24), a failure, or the acknowledgement of `end`.
 */
export type EditReply =
  | { kind: 'ready'; models: ModelLoads }
  | { kind: 'ended' }
  | { kind: 'frame'; index: number; yuv: ArrayBuffer; debug: ArrayBuffer | null; stats: FrameStats }
  | { kind: 'error'; failure: WireFailure };
