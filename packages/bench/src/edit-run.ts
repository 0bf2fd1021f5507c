// One Layer 8 measurement in a process of its own (spawned by edit.bench.ts), so its first video_edit is
// the first of the process: it starts the edit thread and loads the pose/face model; the second runs on the
// same thread with the model still loaded. argv[2] is a JSON {@link EditRunSpec}; stdout gets one JSON
// {@link EditRunResult}. The source is a synthetic clip (testsrc2) made by the same ffmpeg beforehand.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCreateRequest } from '@umbra/server/internal/contract/validate-create.js';
import type { Resolution } from '@umbra/server/internal/contract/wire.js';
import { emptyEngineInputs } from '@umbra/server/internal/engines/engine.js';
import { EditThreads, renderEdit } from '@umbra/server/internal/engines/reference/video-edit/index.js';
import { runFfmpeg } from '@umbra/server/internal/media/ffmpeg/run.js';

export interface EditRunSpec {
  resolution: Resolution;
  /** Length of the synthetic source, seconds. */
  seconds: number;
  prompt: string;
  ffmpeg: string;
  ffprobe: string | null;
}

/** One edit's wall time and the model loading it paid for. */
export interface EditTiming {
  ms: number;
  /** Models the edit thread loaded for this job, and the time that took (inside `ms`). */
  loads: number;
  loadMs: number;
}

export interface EditRunResult {
  frames: number;
  first: EditTiming;
  second: EditTiming;
}

const SOURCE = { width: 640, height: 360 } as const;

/** A 16:9 synthetic 30 fps source (the edit re-times it to 24 fps). */
const makeSource = (ffmpeg: string, out: string, seconds: number): Promise<void> =>
  runFfmpeg(ffmpeg, [
    '-hide_banner',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${SOURCE.width}x${SOURCE.height}:rate=30:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-y',
    out,
  ]);

export async function runEdits(spec: EditRunSpec): Promise<EditRunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-bench-edit-'));
  const threads = new EditThreads(1);
  try {
    const source = join(dir, 'source.mp4');
    await makeSource(spec.ffmpeg, source, spec.seconds);
    const request = parseCreateRequest(
      {
        prompt: spec.prompt,
        type: 'video_edit',
        model: 'ray-3.2',
        source: { url: 'https://example.com/a.mp4', media_type: 'video/mp4' },
        video: { resolution: spec.resolution, edit: { strength: 'reimagine_3' } },
      },
      { hdrAccess: false },
    );
    let frames = 0;
    const once = async (n: number): Promise<EditTiming> => {
      const scratch = await mkdtemp(join(dir, `edit-${n}-`));
      let models = { loads: NaN, ms: NaN };
      const t0 = performance.now();
      await renderEdit(
        {
          generationId: '00000000-0000-4000-8000-000000000000',
          request,
          inputs: {
            ...emptyEngineInputs(),
            source: { slot: 'source', path: source, kind: 'video', format: 'mp4', ...SOURCE },
          },
          scratchDir: scratch,
          signal: new AbortController().signal,
          onProgress: () => undefined,
        },
        {
          ffmpeg: spec.ffmpeg,
          ffprobe: spec.ffprobe,
          threads,
          log: (obj) => {
            const o = obj as { models?: { loads: number; ms: number }; frames?: number };
            if (o.models) models = o.models;
            if (o.frames) frames = o.frames;
          },
        },
      );
      return { ms: performance.now() - t0, loads: models.loads, loadMs: models.ms };
    };
    const first = await once(1);
    const second = await once(2);
    return { frames, first, second };
  } finally {
    await threads.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runEdits(JSON.parse(process.argv[2] ?? '{}') as EditRunSpec).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
