// `video_reframe` for the reference engine (contract §2.5, §2.8 F29–F34, §5.4): the source video on a canvas
// of the target ratio, where `source_position` puts it (centred fit by default), with the rest of the canvas
// outpainted from the source's own pixels — its edges extended and blurred over a blurred, colour-matched
// cover of the whole frame, both moving with the source. Not a neural outpainter and it does not pretend
// to be one: nothing new is invented beyond the frame. One ffmpeg process does the whole job.
import { join } from 'node:path';
import {
  SAME_RATIO_DETAIL,
  SOURCE_LENGTH_TOLERANCE_SECONDS,
  sameRatio,
  sourceLimitSeconds,
  sourceTooLongDetail,
} from '../../../contract/video-source.js';
import { EngineFailure, type RenderJob } from '../../engine.js';
import { locateTools } from '../../../media/ffmpeg/binaries.js';
import { reframeArgs, reframeGraph } from './reframe-args.js';
import { ToolAborted, runFfmpeg } from '../../../media/ffmpeg/run.js';
import { probeSource, type SourceProbe } from '../../../media/ffmpeg/source-probe.js';
import { RenderAborted } from '../threads/pool.js';
import { encodeFailure } from '../threads/encode-failure.js';
import type { VideoRenderedFile, VideoRenderOptions } from '../video/index.js';
import { planReframe } from './plan.js';
import { DependencyUnavailable } from '../../../unavailable.js';

export { planReframe, centredFit, positionRect, placement, reframeFrames } from './plan.js';

/**
 * Checks what only the real source can tell (§7 items 6, 10): its length against the type's limit and
 * its ratio against the target. Input resolution already probed and verified the file; this re-check is
 * cheap and keeps the engine honest when it is driven directly.
 * @throws EngineFailure `invalid_request`.
 */
export const checkReframeSource = (job: RenderJob, probe: SourceProbe): void => {
  const limit = sourceLimitSeconds(job.request.type);
  if (limit !== null && probe.duration > limit + SOURCE_LENGTH_TOLERANCE_SECONDS) {
    throw new EngineFailure('invalid_request', sourceTooLongDetail(limit));
  }
  const ratio = job.request.aspect_ratio;
  if (ratio !== null && sameRatio(probe.displayAspect, ratio)) {
    throw new EngineFailure('invalid_request', SAME_RATIO_DETAIL);
  }
};

/**
 * Renders a `video_reframe` request into the job's scratch dir as `output.mp4` (H.264 High, yuv420p,
 * BT.709, 24 fps, faststart). Progress runs 0 → 1 with ffmpeg's frame count; the signal kills ffmpeg.
 * @throws EngineFailure `invalid_request` (no video source, too long, same ratio), `corrupt_input` (the
 * source cannot be probed), `generation_failed` (ffmpeg failed while rendering).
 */
export const renderReframe = async (
  job: RenderJob,
  opts: VideoRenderOptions,
): Promise<VideoRenderedFile[]> => {
  const tools = locateTools(opts.ffmpeg, opts.ffprobe);
  job.onProgress(0);
  const source = job.inputs.source;
  if (source?.kind !== 'video') {
    throw new EngineFailure('invalid_request', 'source must be a video for type video_reframe');
  }
  let probe: SourceProbe;
  try {
    probe = await probeSource(tools.ffprobe.path, source.path, job.signal);
  } catch (err) {
    if (err instanceof ToolAborted || job.signal.aborted) throw new RenderAborted();
    if (err instanceof DependencyUnavailable) throw err;
    throw new EngineFailure('corrupt_input', 'source: input video could not be read');
  }
  checkReframeSource(job, probe);
  const plan = planReframe(job.request, probe);
  const out = join(job.scratchDir, 'output.mp4');
  const args = reframeArgs(source.path, reframeGraph(plan.graph), plan.frames, out);
  job.onProgress(0.02);
  const started = Date.now();
  try {
    await runFfmpeg(tools.ffmpeg.path, args, {
      signal: job.signal,
      onFrames: (n) => job.onProgress(0.02 + (0.97 * Math.min(n, plan.frames)) / plan.frames),
    });
  } catch (err) {
    throw encodeFailure(err, job.signal, tools.ffmpeg, opts.log);
  }
  const renderer = { path: tools.ffmpeg.path, source: tools.ffmpeg.source };
  opts.log?.(
    {
      ffmpeg: renderer,
      width: plan.width,
      height: plan.height,
      frames: plan.frames,
      rect: plan.rect,
      sourceSeconds: probe.duration,
      ms: Date.now() - started,
    },
    'reframe rendered',
  );
  job.onProgress(1);
  return [{ type: 'video', path: out, contentType: 'video/mp4', renderer }];
};
