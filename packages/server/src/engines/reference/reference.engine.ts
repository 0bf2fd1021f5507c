// The reference engine (docs/architecture.md "Engines"): CPU only, no model weights, deterministic. Text-to-image
// paints a procedural landscape read from the prompt's words; image_edit applies classical colour and
// style operations to the source's own pixels; video moves the same scene's layers with ffmpeg.
// video_reframe places the source on the new canvas over a fill made of its own pixels; video_edit moves
// the source's own frames toward a graded, restyled version of themselves, guided by signals computed
// from the source.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import type { GenerationType } from '../../contract/wire.js';
import { EngineFailure, type Engine, type RenderedFile, type RenderJob } from '../engine.js';
import { RenderPool } from './threads/pool.js';
import { ProgressPacer } from './threads/progress-pacer.js';
import { EditThreads, renderEdit } from './video-edit/index.js';
import { renderReframe } from './video-reframe/index.js';
import type { RenderTask } from './threads/task.js';
import { renderVideo } from './video/index.js';

/** Options for {@link ReferenceEngine}. */
export interface ReferenceEngineOptions {
  /**
   * Render threads (jobs rendered at once), and the idle video_edit threads kept with their models loaded.
   * Default: available cores − 1, at least 1, at most 4.
   */
  threads?: number;
  /** ffmpeg binary (UMBRA_FFMPEG); null = `ffmpeg` on PATH, else the one shipped in an npm package. */
  ffmpegPath?: string | null;
  /** ffprobe binary (UMBRA_FFPROBE); found like ffmpeg. */
  ffprobePath?: string | null;
  /** Where video renders say which ffmpeg rendered them. */
  log?: Logger;
  /**
   * Debug: a directory where every video_edit also writes its control signals as a side video
   * (`<generationId>-controls.mp4`). Default: none.
   */
  editControlsDir?: string | null;
  /** A local ONNX depth model for video_edit instead of the approximate depth. Default: none. */
  editDepthModel?: string | null;
}

/**
 * The fractions each renderer reports as a stage ends (image/render-image.ts, image-edit/render-edit.ts; the video renderers report their
 * set-up, then ffmpeg's frame count up to 0.99, then 1). Between two reports the pacer estimates toward
 * the next of them, so progress moves every 200 ms however long a stage takes (a PNG encode, an ffmpeg
 * report period). A stale entry only makes an estimate stop short of, or wait for, a real report.
 */
const STAGE_ENDS: Record<GenerationType, readonly number[]> = {
  image: [0.15, 0.35, 0.7, 0.85, 1],
  image_edit: [0.3, 0.6, 0.85, 1],
  video: [0.05, 0.99, 1],
  video_edit: [0.03, 0.99, 1],
  video_reframe: [0.02, 0.99, 1],
};

/** The default engine; see the file comment for what it is and is not. */
export class ReferenceEngine implements Engine {
  readonly name = 'reference';
  private readonly pool: RenderPool;
  /** The video_edit threads (they keep their models loaded between jobs); public for the tests. */
  readonly editThreads: EditThreads;

  constructor(private readonly opts: ReferenceEngineOptions = {}) {
    const threads = opts.threads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.pool = new RenderPool(threads, new URL('./threads/render.worker.js', import.meta.url));
    this.editThreads = new EditThreads(threads);
  }

  /** Renders one job into its scratch dir; progress goes 0 → 1 and moves at least every 200 ms. */
  async render(job: RenderJob): Promise<RenderedFile[]> {
    const pacer = new ProgressPacer(job.onProgress, { stageEnds: STAGE_ENDS[job.request.type] });
    try {
      return await this.renderPaced({ ...job, onProgress: pacer.report });
    } finally {
      pacer.stop();
    }
  }

  private async renderPaced(job: RenderJob): Promise<RenderedFile[]> {
    const tools = {
      ffmpeg: this.opts.ffmpegPath ?? null,
      ffprobe: this.opts.ffprobePath ?? null,
      log: (obj: object, msg: string) => this.opts.log?.info(obj, msg),
    };
    switch (job.request.type) {
      case 'video':
        return renderVideo(job, tools);
      case 'video_reframe':
        return renderReframe(job, tools);
      case 'video_edit':
        return renderEdit(job, {
          ...tools,
          controlsDir: this.opts.editControlsDir ?? null,
          depthModel: this.opts.editDepthModel ?? null,
          threads: this.editThreads,
        });
      case 'image':
      case 'image_edit':
        return this.renderImage(job);
    }
  }

  private async renderImage(job: RenderJob): Promise<RenderedFile[]> {
    const { request, inputs } = job;
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
    // A failure the render thread classified arrives as an EngineFailure already.
    const result = await this.pool.run(task, job.signal, job.onProgress);
    job.onProgress(1);
    return [{ type: 'image', path: result.path, contentType: result.contentType }];
  }

  /** Stops the render and edit threads; jobs still running are rejected. */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.editThreads.close()]);
  }
}
