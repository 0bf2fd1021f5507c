// Layer 8 — Video edit: the first and the second video_edit in the same process (issue 15, target 4). The
// edit thread and its pose/face model outlive a job, so the model load (~0.8 s) is paid by the first edit of
// a process only. Each run is a fresh Node process (edit-run.ts) that renders the same 360p edit of a
// synthetic source twice through the reference engine's renderEdit, in-process, on one EditThreads.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Resolution } from '@umbra/server/internal/contract/wire.js';
import { loadConfig } from '@umbra/server/internal/config.js';
import { locateBinary } from '@umbra/server/internal/media/ffmpeg/binaries.js';
import { figure } from './stats.js';
import { fig, num, type Section } from './table.js';
import type { EditRunResult, EditRunSpec, EditTiming } from './edit-run.js';

const RUNNER = fileURLToPath(new URL('./edit-run.js', import.meta.url));

export interface EditBenchOptions {
  /** Fresh processes, each rendering the edit twice. */
  runs: number;
  prompt: string;
  resolution: Resolution;
  /** Length of the synthetic source, seconds. */
  seconds: number;
}

async function runChild(spec: EditRunSpec): Promise<EditRunResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, JSON.stringify(spec)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as EditRunResult;
}

export async function benchEdit(o: EditBenchOptions): Promise<Section> {
  const config = loadConfig();
  const spec: EditRunSpec = {
    resolution: o.resolution,
    seconds: o.seconds,
    prompt: o.prompt,
    ffmpeg: locateBinary('ffmpeg', config.ffmpegPath).path,
    ffprobe: locateBinary('ffprobe', config.ffprobePath).path,
  };
  const results: EditRunResult[] = [];
  for (let i = 0; i < o.runs; i++) results.push(await runChild(spec));
  const frames = results[0]?.frames ?? NaN;
  const row = (label: string, pick: (r: EditRunResult) => EditTiming): string[] => {
    const t = results.map(pick);
    return [
      label,
      fig(figure(t.map((x) => x.ms))),
      fig(figure(t.map((x) => x.loadMs))),
      `${Math.min(...t.map((x) => x.loads))}–${Math.max(...t.map((x) => x.loads))}`,
    ];
  };
  const rows = results.length
    ? [row('first edit of the process', (r) => r.first), row('second edit, same process', (r) => r.second)]
    : [];
  const saved = results.map((r) => r.first.ms - r.second.ms);
  const met = results.length ? results.every((r) => r.second.loads === 0 && r.first.loads > 0) : null;
  return {
    title: 'Layer 8 — Video edit',
    intro: [
      `\`video_edit\` at ${o.resolution} (${num(frames)} frames) of a ${o.seconds} s synthetic 16:9 source ` +
        `(testsrc2), prompt "${o.prompt}", strength reimagine_3, default controls (pose and face on), ` +
        "rendered twice in one process by the reference engine's `renderEdit`, in-process, sharing one " +
        'set of edit threads: the first edit starts the edit thread and loads the pose/face model; the ' +
        'second borrows the same thread with the model still loaded. Times run from the call to the ' +
        'finished MP4; "model load" is the part of it the edit thread spent loading models (from the ' +
        `render log). ${o.runs} run${o.runs === 1 ? '' : 's'}, each a fresh Node process.`,
    ],
    headers: ['edit', 'render ms', 'of which model load ms', 'models loaded'],
    rows,
    goals: [{ text: 'a second video_edit in the same process loads no model', met }],
    notes: results.length
      ? [`The second edit is ${fig(figure(saved))} ms faster than the first (pair by pair).`]
      : [],
  };
}
