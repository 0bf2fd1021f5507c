// One Layer 4 measurement in a process of its own (spawned by video.bench.ts), so the peak RSS it reports
// belongs to this render alone and not to the bench, or to the renders before it. argv[2] is a JSON
// {@link VideoRunSpec}; stdout gets one JSON {@link VideoRunResult}.
//   umbra: the reference engine's renderVideo called in-process (scene → SVG layers rasterised by sharp →
//          ffmpeg moves the layers and encodes), exactly as ReferenceEngine.render calls it.
//   floor: ffmpeg alone encoding the same number of synthetic frames (testsrc2) of the same size through
//          the same finishing chain and encoder arguments (imported from media/ffmpeg/encode-args.ts, so
//          the two cannot drift) with the same binary, spawned by the same runFfmpeg.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCreateRequest } from '@umbra/server/internal/contract/validate-create.js';
import type { Duration, GenerationRequest, Resolution } from '@umbra/server/internal/contract/wire.js';
import { emptyEngineInputs } from '@umbra/server/internal/engines/engine.js';
import { planVideo, renderVideo } from '@umbra/server/internal/engines/reference/video/index.js';
import {
  FPS,
  encoderArgs,
  finishChain,
  globalArgs,
} from '@umbra/server/internal/media/ffmpeg/encode-args.js';
import { runFfmpeg } from '@umbra/server/internal/media/ffmpeg/run.js';

export interface VideoRunSpec {
  mode: 'umbra' | 'floor';
  resolution: Resolution;
  duration: Duration;
  prompt: string;
  /** Resolved ffmpeg binary; the same path for both modes. */
  ffmpeg: string;
}

export interface VideoRunResult {
  width: number;
  height: number;
  frames: number;
  /** Wall time of the render (umbra) or of the ffmpeg run (floor), process start-up excluded. */
  ms: number;
  /** umbra: time before ffmpeg starts (scene, SVG layers rasterised by sharp); floor: 0. */
  prepMs: number;
  /** Peak RSS of this Node process (its VmHWM), MiB. */
  nodeMiB: number;
  /** Peak RSS of the ffmpeg child (its VmHWM, sampled every 20 ms until it exits), MiB. */
  ffmpegMiB: number;
}

/** The text-to-video request both modes are sized from (16:9; ray-3.2 is the video model). */
export const videoBenchRequest = (
  prompt: string,
  resolution: Resolution,
  duration: Duration,
): GenerationRequest =>
  parseCreateRequest(
    { type: 'video', model: 'ray-3.2', prompt, aspect_ratio: '16:9', video: { resolution, duration } },
    { hdrAccess: true },
  );

/** The floor's command line: synthetic frames → the render's SDR finishing chain → the render's encoder. */
export const floorArgs = (width: number, height: number, frames: number, out: string): string[] => [
  ...globalArgs(),
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${width}x${height}:rate=${FPS}`,
  '-filter_complex',
  `[0:v]null[cam];${finishChain('sdr', 'cam', false)}`,
  '-map',
  '[v]',
  ...encoderArgs('sdr', frames),
  out,
];

const hwmMiB = async (pid: number): Promise<number> => {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN; // the child has just exited: its last sample stands
  }
};

/**
 * Follows the peak RSS of this process's children (the ffmpeg the render spawns). Node cannot read
 * getrusage(RUSAGE_CHILDREN), so the children's VmHWM (a high-water mark, so a late sample loses nothing
 * but what grew in the last interval) is polled from /proc.
 */
function childPeakSampler(): { stop(): Promise<number> } {
  let peak = 0;
  const sample = async (): Promise<void> => {
    const tasks = await readdir(`/proc/${process.pid}/task`).catch(() => []);
    for (const tid of tasks) {
      const kids = await readFile(`/proc/${process.pid}/task/${tid}/children`, 'utf8').catch(() => '');
      for (const pid of kids.split(/\s+/).filter(Boolean)) {
        const v = await hwmMiB(Number(pid));
        if (Number.isFinite(v)) peak = Math.max(peak, v);
      }
    }
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void sample().finally(() => (busy = false));
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return Promise.resolve(peak);
    },
  };
}

export async function runOne(spec: VideoRunSpec): Promise<VideoRunResult> {
  const request = videoBenchRequest(spec.prompt, spec.resolution, spec.duration);
  const inputs = emptyEngineInputs();
  const plan = planVideo(request, inputs, null);
  const scratchDir = await mkdtemp(join(tmpdir(), 'umbra-bench-video-'));
  const sampler = childPeakSampler();
  let prepMs = 0;
  const t0 = performance.now();
  try {
    if (spec.mode === 'umbra') {
      await renderVideo(
        {
          generationId: '00000000-0000-4000-8000-000000000000',
          request,
          inputs,
          scratchDir,
          signal: new AbortController().signal,
          // renderVideo reports 0.05 right before it starts ffmpeg: the end of scene preparation.
          onProgress: (f) => {
            if (f === 0.05) prepMs = performance.now() - t0;
          },
        },
        { ffmpeg: spec.ffmpeg, ffprobe: null },
      );
    } else {
      const out = join(scratchDir, 'floor.mp4');
      await runFfmpeg(spec.ffmpeg, floorArgs(plan.width, plan.height, plan.frames, out));
    }
    const ms = performance.now() - t0;
    return {
      width: plan.width,
      height: plan.height,
      frames: plan.frames,
      ms,
      prepMs,
      // Not getrusage's maxrss: Linux carries that across fork + exec, so it would include the RSS of the
      // bench process this one was forked from. VmHWM belongs to this process's own address space.
      nodeMiB: await hwmMiB(process.pid),
      ffmpegMiB: await sampler.stop(),
    };
  } finally {
    await sampler.stop();
    await rm(scratchDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runOne(JSON.parse(process.argv[2] ?? '{}') as VideoRunSpec).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
