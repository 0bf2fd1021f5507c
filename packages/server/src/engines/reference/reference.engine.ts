// The reference engine (DESIGN.md "Engines"): CPU only, no model weights, deterministic. Text-to-image
// paints a procedural landscape read from the prompt's words; image_edit applies classical colour and
// style operations to the source's own pixels. Video types are refused rather than faked.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isVideoType } from '../../contract/wire.js';
import { EngineFailure, type Engine, type RenderedFile, type RenderJob } from '../engine.js';
import { RenderPool, RenderThreadError } from './pool.js';
import type { RenderTask } from './task.js';

/** Options for {@link ReferenceEngine}. */
export interface ReferenceEngineOptions {
  /** Render threads (jobs rendered at once). Default: available cores − 1, at least 1, at most 4. */
  threads?: number;
}

/** The default engine; see the file comment for what it is and is not. */
export class ReferenceEngine implements Engine {
  readonly name = 'reference';
  private readonly pool: RenderPool;

  constructor(opts: ReferenceEngineOptions = {}) {
    const threads = opts.threads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.pool = new RenderPool(threads, new URL('./render.worker.js', import.meta.url));
  }

  /** Renders one image into the job's scratch dir; progress goes 0 → 1. */
  async render(job: RenderJob): Promise<RenderedFile[]> {
    const { request, inputs } = job;
    if (isVideoType(request.type)) {
      throw new EngineFailure('generation_failed', 'Video rendering is not enabled on this server', false);
    }
    if (request.type === 'image_edit' && !inputs.source) {
      throw new EngineFailure('invalid_request', 'source is required for type image_edit', false);
    }
    const task: RenderTask = {
      kind: request.type === 'image_edit' ? 'image_edit' : 'image',
      request,
      sourcePath: inputs.source?.path ?? null,
      refPaths: inputs.imageRefs.map((r) => r.path),
      outBase: join(job.scratchDir, 'output'),
    };
    job.onProgress(0);
    try {
      const result = await this.pool.run(task, job.signal, job.onProgress);
      job.onProgress(1);
      return [{ type: 'image', path: result.path, contentType: result.contentType }];
    } catch (err) {
      if (err instanceof RenderThreadError && err.code) {
        throw new EngineFailure(err.code, err.message, err.retryable);
      }
      throw err;
    }
  }

  /** Stops the render threads; jobs still running are rejected. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
