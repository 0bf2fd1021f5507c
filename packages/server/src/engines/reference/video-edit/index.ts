// `video_edit` for the reference engine (contract §2.5, §2.8 E22–E28, §7 items 14, 15): the source's own
// frames, re-timed to 24 fps on the canvas of the nearest video ratio, moved toward a full edit (the
// prompt's grade and look over flattened surfaces) by the strength level, held back wherever the control
// signals computed from the source (tracked points, approximate depth, normals) find structure, and pulled
// onto guide images at their indexes. Classical image processing — not a neural video model, and the docs
// say so. Decoding, the per-frame work (on a worker thread) and encoding stream frame by frame.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EDIT_MAX_SOURCE_SECONDS,
  SOURCE_LENGTH_TOLERANCE_SECONDS,
  sourceTooLongDetail,
} from '../../../contract/video-source.js';
import { EngineFailure, type RenderJob, type ResolvedMedia } from '../../engine.js';
import { greyActivity } from './edit-mix.js';
import { workingSize } from './edit-mix.js';
import { debugViewSize } from './controls/debug-view.js';
import { locateTools } from '../../../media/ffmpeg/binaries.js';
import { rawFramesGraph, renderArgs } from '../video/command.js';
import {
  ACTIVITY_SIZE,
  activityArgs,
  coverBox,
  debugVideoArgs,
  editDecodeArgs,
  editDecodeGraph,
} from './edit-args.js';
import { ToolAborted, capture } from '../../../media/ffmpeg/run.js';
import { probeSource, type SourceProbe } from '../../../media/ffmpeg/source-probe.js';
import { fittedStillRgb } from '../../../media/stills.js';
import { RenderAborted } from '../threads/pool.js';
import { encodeFailure } from '../threads/encode-failure.js';
import { sourceColour } from '../video-reframe/plan.js';
import { writeExrZip } from '../video/exr-sink.js';
import type { VideoRenderedFile, VideoRenderOptions } from '../video/index.js';
import { runEditStream, type EditStreamResult } from './edit-stream.js';
import { sharedEditThreads, type EditThreads } from './edit-threads.js';
import { editLook } from './look.js';
import { EditPlanError, planEdit, type EditPlan, type SourceActivity } from './plan.js';
import { DependencyUnavailable } from '../../../unavailable.js';

export { planEdit, autoStrength, STRENGTH_AMOUNT, lastGridIndex } from './plan.js';
export { EditThreads, sharedEditThreads } from './edit-threads.js';

/** Options for {@link renderEdit}. */
export interface EditRenderOptions extends VideoRenderOptions {
  /**
   * Debug: also write the control signals of every frame as a side video (tracks, depth, normals, hold
   * map — see controls/debug-view.ts) to `<controlsDir>/<generationId>-controls.mp4`. An engine
   * option, never a request field. Default: none.
   */
  controlsDir?: string | null;
  /**
   * A local ONNX depth model (see controls/depth-model.ts for the expected inputs and outputs) used
   * instead of the approximate depth. An engine option, never a request field. Default: none.
   */
  depthModel?: string | null;
  /**
   * The edit threads to borrow one from (an engine's own, closed with it). Default: the process's
   * (sharedEditThreads).
   */
  threads?: EditThreads | null;
}

/** Surface flattening of the full edit (smartblur): what "reimagine" reinterprets beyond colour. */
const FLATTEN = { radius: 3, threshold: 14 } as const;

const aborted = (err: unknown, signal: AbortSignal): boolean => err instanceof ToolAborted || signal.aborted;

/** The guide images of a request: `edit.keyframes` in order, or `start_frame` alone. */
const guideMedia = (job: RenderJob): ResolvedMedia[] => {
  if (job.inputs.editKeyframes.length) return job.inputs.editKeyframes;
  return job.inputs.startFrame ? [job.inputs.startFrame] : [];
};

/** The activity pre-pass: tiny grey frames of the whole source (≤ 18 s × 8 fps × 2.3 kB). */
const measureActivity = async (
  ffmpeg: string,
  path: string,
  signal: AbortSignal,
): Promise<SourceActivity> => {
  const bytes = await capture(ffmpeg, activityArgs(path), signal);
  return greyActivity(new Uint8Array(bytes), ACTIVITY_SIZE.width, ACTIVITY_SIZE.height);
};

/**
 * Renders a `video_edit` request into the job's scratch dir: `output.mp4` (H.264 SDR, or HEVC Main10 PQ
 * with `hdr`) and `frames.zip` with `exr_export`. Progress runs 0 → 1 with the encoder's frame count.
 * @throws EngineFailure `invalid_request` (no video source, too long, a keyframe index past the source's
 * grid), `corrupt_input` (source or guide unreadable), `generation_failed` (ffmpeg failed).
 */
export const renderEdit = async (job: RenderJob, opts: EditRenderOptions): Promise<VideoRenderedFile[]> => {
  const tools = locateTools(opts.ffmpeg, opts.ffprobe);
  job.onProgress(0);
  const source = job.inputs.source;
  if (source?.kind !== 'video') {
    throw new EngineFailure('invalid_request', 'source must be a video for type video_edit');
  }
  let probe: SourceProbe;
  let activity: SourceActivity | null = null;
  try {
    probe = await probeSource(tools.ffprobe.path, source.path, job.signal);
    if (probe.duration > EDIT_MAX_SOURCE_SECONDS + SOURCE_LENGTH_TOLERANCE_SECONDS) {
      throw new EngineFailure('invalid_request', sourceTooLongDetail(EDIT_MAX_SOURCE_SECONDS));
    }
    if (!job.request.video?.edit?.strength) {
      activity = await measureActivity(tools.ffmpeg.path, source.path, job.signal);
    }
  } catch (err) {
    if (err instanceof EngineFailure || err instanceof DependencyUnavailable) throw err;
    if (aborted(err, job.signal)) throw new RenderAborted();
    throw new EngineFailure('corrupt_input', 'source: input video could not be read');
  }
  const guides = guideMedia(job);
  let plan: EditPlan;
  try {
    plan = planEdit(job.request, probe, guides.length, activity);
  } catch (err) {
    if (err instanceof EditPlanError) throw new EngineFailure('invalid_request', err.message);
    throw err;
  }
  const look = editLook(job.request.prompt, job.request.style);
  const lutPath = join(job.scratchDir, 'grade.cube');
  await writeFile(lutPath, look.cube);
  const { width: W, height: H, frames } = plan;
  const graph = editDecodeGraph({
    colour: sourceColour(probe.colorSpace, probe.colorTransfer),
    width: W,
    height: H,
    cover: coverBox(probe.displayAspect, W, H),
    lutPath,
    looks: look.looks,
    flatten: FLATTEN,
    padFrames: frames,
  });
  const out = join(job.scratchDir, 'output.mp4');
  const zipPath = join(job.scratchDir, 'frames.zip');
  const encodeArgs = renderArgs({
    inputs: [],
    stdinFrames: { width: W, height: H },
    graph: rawFramesGraph(),
    range: plan.range,
    frames,
    out,
    linear: plan.exr,
  });
  const work = workingSize(W, H);
  const mosaic = debugViewSize(work.width, work.height);
  const controlsPath = opts.controlsDir ? join(opts.controlsDir, `${job.generationId}-controls.mp4`) : null;
  job.onProgress(0.03);
  const started = Date.now();
  let streamed: EditStreamResult;
  try {
    streamed = await runEditStream({
      ffmpeg: tools.ffmpeg.path,
      decodeArgs: editDecodeArgs(source.path, graph, frames),
      encodeArgs,
      ...(plan.exr ? { encodeStdout: (s) => writeExrZip(s, W, H, frames, zipPath) } : {}),
      debugArgs: controlsPath ? debugVideoArgs(mosaic.width, mosaic.height, frames, controlsPath) : null,
      config: {
        width: W,
        height: H,
        amount: plan.amount,
        controls: plan.controls,
        pins: plan.pins,
        debug: controlsPath !== null,
        depthModel: opts.depthModel ?? null,
      },
      threads: opts.threads ?? sharedEditThreads(),
      frames,
      loadGuide: async (i) => {
        const media = guides[i];
        if (!media) throw new Error(`no guide ${i}`);
        try {
          return new Uint8Array(await fittedStillRgb(media.path, W, H));
        } catch {
          throw new EngineFailure('corrupt_input', `${media.slot} could not be decoded`);
        }
      },
      signal: job.signal,
      onFrames: (n) => job.onProgress(0.03 + (0.96 * Math.min(n, frames)) / frames),
    });
  } catch (err) {
    throw encodeFailure(err, job.signal, tools.ffmpeg, opts.log);
  }
  const renderer = { path: tools.ffmpeg.path, source: tools.ffmpeg.source };
  opts.log?.(
    {
      ffmpeg: renderer,
      width: W,
      height: H,
      frames,
      strength: plan.strength,
      automatic: plan.automatic,
      activity,
      time: look.time,
      colors: look.colors,
      looks: look.looks,
      guides: plan.pins.length,
      controls: plan.controls,
      signals: streamed.signals,
      models: streamed.models,
      depth: opts.depthModel ? 'model' : 'approximate',
      controlsVideo: controlsPath,
      sourceSeconds: probe.duration,
      ms: Date.now() - started,
    },
    'edit rendered',
  );
  job.onProgress(1);
  const files: VideoRenderedFile[] = [{ type: 'video', path: out, contentType: 'video/mp4', renderer }];
  if (plan.exr) files.push({ type: 'exr', path: zipPath, contentType: 'application/zip', renderer });
  return files;
};
