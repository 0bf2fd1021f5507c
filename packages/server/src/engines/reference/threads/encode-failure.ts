// What a failed ffmpeg run means for a video render, the same for every video type: an abort stays an
// abort; ffmpeg's own failure is logged with its stderr and reported as a classified generation_failed
// (the client sees no internals); anything else (a classified failure, a bug) propagates unchanged.
import { ToolAborted, ToolError } from '../../../media/ffmpeg/run.js';
import { EngineFailure } from '../../engine.js';
import { RenderAborted } from './pool.js';

export function encodeFailure(
  err: unknown,
  signal: AbortSignal,
  ffmpeg: unknown,
  log: ((obj: object, msg: string) => void) | undefined,
): Error {
  if (err instanceof EngineFailure) return err;
  if (err instanceof ToolAborted || signal.aborted) return new RenderAborted();
  if (err instanceof ToolError) {
    log?.({ ffmpeg, stderr: err.stderr }, 'ffmpeg failed');
    return new EngineFailure('generation_failed', 'video encoding failed', false);
  }
  return err instanceof Error ? err : new Error(String(err));
}
