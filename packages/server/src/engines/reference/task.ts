// The unit of work a render thread executes: plain, structured-clone-safe data in, one file out.
import type { FailureCode, GenerationRequest } from '../../contract/wire.js';

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

/** A failure a task classifies itself (e.g. an input that will not decode); crosses the thread boundary as data. */
export class TaskFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/** Messages from a render thread to the pool. */
export type WorkerReply =
  | { id: number; kind: 'progress'; fraction: number }
  | { id: number; kind: 'done'; result: TaskResult }
  | { id: number; kind: 'error'; message: string; code: FailureCode | null; retryable: boolean };

/** Message from the pool to a render thread. */
export interface WorkerRequest {
  id: number;
  task: RenderTask;
}
