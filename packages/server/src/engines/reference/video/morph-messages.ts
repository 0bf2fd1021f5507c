// Messages between the render (main) thread and the morph thread.
import type { WireFailure } from '../../failure-wire.js';
import type { FrameSpec } from './morph-plan.js';

/** A pinned still: its index (for caching) and rgb24 pixels. */
export interface PinPixels {
  pin: number;
  rgb: Uint8Array;
}

/** Main → morph thread: render a segment, or take back a frame buffer that has been written. */
export type MorphRequest =
  | {
      kind: 'segment';
      width: number;
      height: number;
      from: PinPixels;
      to: PinPixels | null;
      frames: FrameSpec[];
    }
  | { kind: 'buffer'; buf: ArrayBuffer };

/** Morph thread → main: one yuv420p frame, the end of a segment, or a failure. */
export type MorphReply =
  { kind: 'frame'; buf: ArrayBuffer } | { kind: 'segment-done' } | { kind: 'error'; failure: WireFailure };
