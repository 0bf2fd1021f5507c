// The unit of work a render thread executes: plain, structured-clone-safe data in, one file out.
import type { GenerationRequest } from '../../../contract/wire.js';
import type { WireFailure } from '../../failure-wire.js';

/** A render job as sent to a worker thread. */
export interface RenderTask {
  kind: 'image' | 'image_edit';
  request: GenerationRequest;
  /** Local path of the edit source (image_edit only). */
  sourcePath: string | null;
  refPaths: string[];
  /** Path to write, without extension; the renderer appends `.png` or `.jpg`. */
  outBase: string;
}

/** The written file. */
export interface TaskResult {
  path: string;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/** Messages from a render thread to the pool; a failure a task classified (EngineFailure) keeps its code. */
export type WorkerReply =
  | { id: number; kind: 'progress'; fraction: number }
  | { id: number; kind: 'done'; result: TaskResult }
  | { id: number; kind: 'error'; failure: WireFailure };

/** Message from the pool to a render thread. */
export interface WorkerRequest {
  id: number;
  task: RenderTask;
}
