// Video for the reference engine (contract §2.5, §2.8 D13–D21, §5.4): text-to-video films parallax layers of
// the prompt's procedural scene (sky, clouds, the near plane; raster.ts, graph-layers.ts) and a single pinned still (image-to-video, extend) is filmed with a moving
// camera — ffmpeg does every per-frame operation there, so no frame crosses a pipe. Between two or more
// pins the frames are a flow-based morph synthesised on a worker thread and piped in as yuv420p.
import { join } from 'node:path';
import { hashString } from '../scene/rng.js';
import { parseScene } from '../scene/scene.js';
import { buildPalette } from '../scene/palette.js';
import { RenderAborted } from '../threads/pool.js';
import { encodeFailure } from '../threads/encode-failure.js';
import { EngineFailure, type RenderJob, type RenderedFile } from '../../engine.js';
import { locateTools, type MediaTools } from '../../../media/ffmpeg/binaries.js';
import { rawFramesGraph, renderArgs, type StillInput } from './command.js';
import { layerGraph, type Box, type LayerSpec } from './graph-layers.js';
import { stillGraph, timelineFrames } from './graph-stills.js';
import { grabEdgeFrame, probeVideo } from '../../../media/ffmpeg/probe.js';
import { ToolAborted, runFfmpeg } from '../../../media/ffmpeg/run.js';
import { writeFittedStill } from '../../../media/stills.js';
import { writeExrZip } from './exr-sink.js';
import { liftMovingSubjects } from './extend.js';
import { sceneLayers } from './layers.js';
import {
  figureMotion,
  layerMargins,
  layerMotion,
  lightGrade,
  rippleMotion,
  stillTimeline,
  type ShotStyle,
} from './motion.js';
import { artFacing } from './facing.js';
import { writeAlphaLayer, writeOpaqueLayer, writeStretchedLayer } from './raster.js';
import { FPS } from '../../../media/ffmpeg/encode-args.js';
import { planVideo, type VideoPlan } from './plan.js';
import { morphFrames, morphTimeline, type MorphSegment } from './morph-plan.js';
import { feedMorph } from './morph-stream.js';
import { DependencyUnavailable } from '../../../unavailable.js';

export { planVideo, gridFrames, nearestRatio } from './plan.js';

/** Options for {@link renderVideo}; paths come from config (UMBRA_FFMPEG / UMBRA_FFPROBE). */
export interface VideoRenderOptions {
  /** Configured ffmpeg, or null to use `ffmpeg` on PATH, else the npm-shipped build. */
  ffmpeg: string | null;
  /** Configured ffprobe, found the same way. */
  ffprobe: string | null;
  log?: (obj: object, msg: string) => void;
}

/** A rendered file plus the ffmpeg binary that produced it (for the worker's log). */
export interface VideoRenderedFile extends RenderedFile {
  /** Path of the ffmpeg binary and where it was found (`config`, `path` or `npm`). */
  renderer: { path: string; source: string };
}

interface Prepared {
  inputs: StillInput[];
  graph: string;
  /** Frames piped to stdin by a worker thread (shots morphing between pinned stills). */
  morph?: { stills: string[]; segments: MorphSegment[] };
}

const input = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ToolAborted) throw new RenderAborted();
    if (err instanceof DependencyUnavailable) throw err;
    throw new EngineFailure('corrupt_input', `${what} could not be read: ${(err as Error).message}`);
  }
};

const prepareScene = async (job: RenderJob, plan: VideoPlan, style: ShotStyle): Promise<Prepared> => {
  const seed = hashString(job.request.prompt);
  const scene = parseScene(job.request.prompt, seed);
  const palette = buildPalette(scene);
  const margins = layerMargins(plan.width, plan.height);
  const canvas = { width: plan.width + 2 * margins.mx, height: plan.height + 2 * margins.my };
  const { width: bw, height: bh } = canvas;
  const layers = sceneLayers({ scene, palette, width: bw, height: bh, seed, detail: { level: 0 } });
  const inputs: StillInput[] = [];
  const specs: LayerSpec[] = [];
  const add = (input: StillInput, depth: number, opaque: boolean, box: Box, resize = false): void => {
    specs.push({
      ...layerMotion(style, inputs.length, depth, margins, opaque),
      box,
      ...(resize ? { resize } : {}),
    });
    inputs.push(input);
  };
  // Raw pixels (PNG only for the small cloud raster): ffmpeg then neither probes nor decodes them.
  const path = (name: string, ext = 'rgba'): string => join(job.scratchDir, `layer-${name}.${ext}`);
  // Back to front; transparent layers are trimmed to where they have pixels (or skipped when empty).
  add(await writeOpaqueLayer(layers.sky, bw, bh, path('sky', 'rgb')), 0.25, true, { x: 0, y: 0, ...canvas });
  if (layers.clouds) {
    const c = layers.clouds;
    const rgba = new Uint8Array(c.rgba.buffer, c.rgba.byteOffset, c.rgba.length);
    const box = await writeStretchedLayer(rgba, c, canvas, path('clouds', 'png'));
    if (box) add(path('clouds', 'png'), 0.5, false, box, true);
  }
  const near = await writeAlphaLayer(layers.near, bw, bh, path('near'));
  if (near) add(near.still, 1, false, near.box);
  if (layers.water) {
    // The water stirs (issue 14 part 6): its ripples ride the near plane with a sway of their own, under
    // what stands on the water.
    const { svg, top } = layers.water.ripples;
    const ripples = await writeAlphaLayer(svg, bw, bh - top, path('ripples'), top);
    if (ripples) {
      const stir = rippleMotion(style, plan.width, plan.height);
      const plane = layerMotion(style, inputs.length, 1, margins, false);
      specs.push({ ...plane, x: `${plane.x}-(${stir.dx})`, y: `${plane.y}-(${stir.dy})`, box: ripples.box });
      inputs.push(ripples.still);
    }
    const above = layers.water.above && (await writeAlphaLayer(layers.water.above, bw, bh, path('above')));
    if (above) add(above.still, 1, false, above.box);
  }
  // Each subject rides the near plane and adds its own travel: the dog walks, the car drives.
  for (const [i, layer] of layers.figures.entries()) {
    const { figure, kind } = layer;
    // It heads for the side with more room, facing the way it goes (art faces either way).
    const left = figure.x - figure.size / 2;
    const room = { left, right: bw - (left + figure.size), up: figure.base - figure.size };
    const heading = figureMotion(style, kind, figure.size, room, FPS).heading;
    const facing = heading === 0 ? heading : (await artFacing(figure.icon)) * (figure.flip ? -1 : 1);
    const drawn = await writeAlphaLayer(
      layer.svg(heading !== 0 && facing !== heading),
      bw,
      bh,
      path(`figure-${i}`),
    );
    if (!drawn) continue;
    const { box } = drawn;
    const motion = figureMotion(
      style,
      kind,
      figure.size,
      { left: box.x, right: bw - (box.x + box.width), up: box.y },
      FPS,
    );
    const plane = layerMotion(style, inputs.length, 1, margins, false);
    specs.push({ ...plane, x: `${plane.x}-(${motion.dx})`, y: `${plane.y}-(${motion.dy})`, box });
    inputs.push(drawn.still);
  }
  const graph = layerGraph({
    width: plan.width,
    height: plan.height,
    frames: plan.frames,
    layers: specs,
    grade: lightGrade(style, scene.time),
  });
  return { inputs, graph };
};

/** Fits every pinned still (or the edge frame of a video being extended) to the canvas, as PNGs. */
const fitPins = async (job: RenderJob, plan: VideoPlan, tools: MediaTools): Promise<string[]> => {
  const inputs: string[] = [];
  for (const [i, pin] of plan.pins.entries()) {
    const out = join(job.scratchDir, `pin-${i}.png`);
    let source = pin.media.path;
    if (pin.grab !== 'image') {
      source = join(job.scratchDir, `edge-${i}.png`);
      const which = pin.grab === 'video-first' ? 'first' : 'last';
      await input(pin.media.slot, () =>
        grabEdgeFrame(tools.ffmpeg.path, pin.media.path, which, source, job.signal),
      );
    }
    await input(pin.media.slot, () => writeFittedStill(source, plan.width, plan.height, out));
    inputs.push(out);
  }
  return inputs;
};

const prepareStills = async (
  job: RenderJob,
  plan: VideoPlan,
  tools: MediaTools,
  style: ShotStyle,
): Promise<Prepared> => {
  const inputs = await fitPins(job, plan, tools);
  const frames = plan.pins.map((p) => p.frame);
  // Two or more pins: the frames between them are synthesised by a flow-based morph (issue 4: "real
  // motion, not a plain cross-fade"); one pin keeps ffmpeg's camera moves, with no frame crossing a pipe.
  if (new Set(frames).size >= 2) {
    const segments = morphTimeline(frames, plan.frames, style.direction);
    if (morphFrames(segments) !== plan.frames)
      throw new Error('morph timeline does not cover the frame grid');
    return { inputs: [], graph: rawFramesGraph(), morph: { stills: inputs, segments } };
  }
  const segments = stillTimeline(
    plan.pins.map((p) => p.frame),
    inputs.map((_, i) => i),
    plan.frames,
    plan.loop,
    style.direction,
  );
  if (timelineFrames(segments) !== plan.frames)
    throw new Error('still timeline does not cover the frame grid');
  // An extend's subjects walk on (issue 14 part 6): lifted out of the pinned frame, moved over the refill.
  const stills = inputs.length;
  const pin = plan.pins[0];
  const seg = segments[0];
  if (pin && pin.grab !== 'image' && segments.length === 1 && seg && inputs[0]) {
    const size = { width: plan.width, height: plan.height };
    const lifted = await liftMovingSubjects(
      job.request.prompt,
      inputs[0],
      size,
      style,
      pin.frame,
      job.scratchDir,
    );
    if (lifted) {
      inputs[0] = lifted.still;
      seg.from.subjects = lifted.subjects.map((s, i) => ({ ...s, input: inputs.length + i }));
      inputs.push(...lifted.paths);
    }
  }
  return {
    inputs,
    graph: stillGraph({
      width: plan.width,
      height: plan.height,
      inputs: stills,
      segments,
    }),
  };
};

/**
 * Renders a `type: video` request into the job's scratch dir: `output.mp4` first, then `frames.zip` when
 * `exr_export` is set. Progress runs 0 → 1 with ffmpeg's frame count; the signal kills ffmpeg.
 * @throws EngineFailure `corrupt_input` when an anchor (e.g. the video being extended) cannot be read.
 */
export const renderVideo = async (job: RenderJob, opts: VideoRenderOptions): Promise<VideoRenderedFile[]> => {
  const tools = locateTools(opts.ffmpeg, opts.ffprobe);
  job.onProgress(0);
  const first = job.inputs.startFrame ?? job.inputs.endFrame ?? job.inputs.keyframes[0] ?? null;
  let anchorSize = first ? { width: first.width, height: first.height } : null;
  if (first?.kind === 'video') {
    const probe = await input(first.slot, () =>
      probeVideo(tools.ffprobe.path, first.path, false, job.signal),
    );
    anchorSize = { width: probe.width, height: probe.height };
  }
  const plan = planVideo(job.request, job.inputs, anchorSize);
  const style: ShotStyle = {
    direction: hashString(`${job.request.prompt}#camera`) % 2 === 0 ? 1 : -1,
    loop: plan.loop,
    frames: plan.frames,
  };
  const prepared = plan.pins.length
    ? await prepareStills(job, plan, tools, style)
    : await prepareScene(job, plan, style);
  job.onProgress(0.05);
  const out = join(job.scratchDir, 'output.mp4');
  const zipPath = join(job.scratchDir, 'frames.zip');
  const { morph } = prepared;
  const args = renderArgs({
    inputs: prepared.inputs,
    graph: prepared.graph,
    range: plan.range,
    frames: plan.frames,
    out,
    linear: plan.exr,
    ...(morph ? { stdinFrames: { width: plan.width, height: plan.height } } : {}),
  });
  const started = Date.now();
  try {
    await runFfmpeg(tools.ffmpeg.path, args, {
      signal: job.signal,
      onFrames: (n) => job.onProgress(0.05 + (0.94 * Math.min(n, plan.frames)) / plan.frames),
      ...(morph
        ? {
            stdin: (s) =>
              feedMorph(s, { ...morph, width: plan.width, height: plan.height, signal: job.signal }),
          }
        : {}),
      ...(plan.exr ? { stdout: (s) => writeExrZip(s, plan.width, plan.height, plan.frames, zipPath) } : {}),
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
      range: plan.range,
      ms: Date.now() - started,
    },
    'video rendered',
  );
  job.onProgress(1);
  const files: VideoRenderedFile[] = [{ type: 'video', path: out, contentType: 'video/mp4', renderer }];
  if (plan.exr) files.push({ type: 'exr', path: zipPath, contentType: 'application/zip', renderer });
  return files;
};
