// Layer 4 — Video: text-to-video (16:9, one fixed prompt) rendered by the reference engine's renderVideo,
// called in-process (not through a JobWorker: Layer 3 and Layer 5 already cover claim → store, and a
// video's claim and upload are milliseconds next to seconds of render), against ffmpeg alone encoding the
// same number of synthetic frames of the same size with the same encoder arguments and the same binary
// (video-run.ts). Every run is a fresh process so its peak RSS is its own. Goals: ≤ 1.3× time;
// peak RSS flat in duration (5 s vs 10 s at 1080p) and under 400 MB at 1080p.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Duration, Resolution } from '@umbra/server/internal/contract/wire.js';
import { loadConfig } from '@umbra/server/internal/config.js';
import type { BinarySource } from '@umbra/server/internal/media/ffmpeg/binaries.js';
import { locateBinary } from '@umbra/server/internal/media/ffmpeg/binaries.js';
import { alternate, figure, pairRatios } from './stats.js';
import { fig, num, ratio, type Section } from './table.js';
import type { VideoRunResult, VideoRunSpec } from './video-run.js';

const RUNNER = fileURLToPath(new URL('./video-run.js', import.meta.url));

export interface VideoBenchOptions {
  /** Pairs (Umbra, floor) per size. */
  runs: number;
  prompt: string;
  sizes: Array<{ resolution: Resolution; duration: Duration }>;
}

/** 400 MB as the issue writes it, in the MiB the table shows. */
const RSS_LIMIT_MIB = 400e6 / 2 ** 20;
/** "Flat in duration": the 10 s render may peak at most this much above the 5 s one (sampling noise). */
const FLAT_TOLERANCE = 1.1;

// Closing notes for missed goals, from profiling this layer (ffmpeg run on the render's own layer images and
// filtergraph with parts removed, `-f null` vs x264, CPU under /usr/bin/time, medians of 5–6 interleaved
// runs on the 2-core bench machine; 720p and 1080p, 121 frames).
const TIME_NOTE =
  'Why: the floor is the encode of a test pattern alone, and most of what the render adds runs in ' +
  'series with it. Before ffmpeg starts, Node rasterises the SVG layers (librsvg through sharp, ' +
  '~100–150 ms per full-canvas layer at 1080p; the "prep" column; drawing two at once measured no gain ' +
  'on these 2 cores). The layers reach ffmpeg as raw pixels: as PNGs, probing and decoding them added ' +
  '~0.12 s before its first frame at 1080p (writing the sky raw costs Node ~0.03 s more than its PNG). ' +
  'Per frame, the filtergraph (`-f null`) costs ~0.3 s of CPU at 1080p: alpha blending of the clouds, ' +
  "the near plane and the water's ripples by `overlay`, and the light grade's `eq` (~0.1 s); moving " +
  "the near plane's fully opaque rows into the frame by `vstack` instead of blending them measured no " +
  'gain. x264 spends about as much on the layered footage as on ' +
  "the pattern when the light is constant and there is no water; a lake's ripples cost it ~0.7 s of " +
  'CPU at 1080p for 5 s as fine detail and ~0.4 s more for their sway, and the grade (a step every 6 ' +
  "frames) ~15 % of the floor's CPU at 720p (24-frame steps would halve that, but each step would be four " +
  'times as large). What would close it: all three parts together. Starting ffmpeg while the layers are ' +
  "drawn (the graph needs each layer's pixel box, so the boxes would have to come from the scene " +
  'geometry, with the layers fed through pipes) saves at most the prep column, which alone still leaves ' +
  '~1.4–1.5× at 1080p; the filtergraph needs fewer alpha blends per frame, and the water ripples a ' +
  'texture that x264 encodes more cheaply.';

const RSS_NOTE =
  'Why: the peak is the sum of two processes: ffmpeg alone (x264 at 1080p with its lookahead and ' +
  "threads, ~170–220 MiB) plus the render's layers and filtergraph queues (~30 MiB), and Node's own memory " +
  'while it rasterises the layers (~45 MiB over its idle ~88 MiB, before ffmpeg starts, so the sum ' +
  'overstates the instant peak). What would close it: rasterising the layers in a short-lived process ' +
  'so Node never holds that memory (a Node child took 0.25–0.33 s to start and load sharp on the busy ' +
  'bench box, which the time goal cannot spare).';

// Where the binary came from, not where it lives: a table must not carry one machine's paths.
const BINARY_ORIGIN: Readonly<Record<BinarySource, string>> = {
  config: 'the one named by UMBRA_FFMPEG',
  path: '`ffmpeg` found on the PATH',
  npm: 'the static ffmpeg shipped in an npm package',
};

/** Runs one measurement in a fresh Node process and reads its JSON answer. */
async function runChild(spec: VideoRunSpec): Promise<VideoRunResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, JSON.stringify(spec)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as VideoRunResult;
}

const median = (xs: number[]): number => figure(xs).median;

export async function benchVideo(o: VideoBenchOptions): Promise<Section> {
  // The binary the server would use (UMBRA_FFMPEG, else PATH, else npm), handed to both sides.
  const ffmpeg = locateBinary('ffmpeg', loadConfig().ffmpegPath);
  const rows: string[][] = [];
  let worstRatio = 0;
  const peaks = new Map<string, number>();
  for (const size of o.sizes) {
    const spec = { ...size, prompt: o.prompt, ffmpeg: ffmpeg.path };
    const [u = [], f = []] = await alternate(o.runs, [
      () => runChild({ ...spec, mode: 'umbra' }),
      () => runChild({ ...spec, mode: 'floor' }),
    ]);
    const q = pairRatios(
      u.map((r) => r.ms),
      f.map((r) => r.ms),
    );
    worstRatio = Math.max(worstRatio, q.median);
    const node = median(u.map((r) => r.nodeMiB));
    const enc = median(u.map((r) => r.ffmpegMiB));
    const total = median(u.map((r) => r.nodeMiB + r.ffmpegMiB));
    peaks.set(`${size.duration} ${size.resolution}`, total);
    const first = u[0];
    rows.push([
      `${size.duration.replace('s', ' s')} ${size.resolution} (${first?.width ?? '?'}×${first?.height ?? '?'}, ` +
        `${first?.frames ?? '?'} frames)`,
      fig(figure(u.map((r) => r.ms))),
      num(median(u.map((r) => r.prepMs))),
      fig(figure(f.map((r) => r.ms))),
      ratio(q),
      `${num(total)} (${num(node)} + ${num(enc)})`,
      num(median(f.map((r) => r.ffmpegMiB))),
    ]);
  }
  const p5 = peaks.get('5s 1080p');
  const p10 = peaks.get('10s 1080p');
  const flat = p5 !== undefined && p10 !== undefined ? p10 <= p5 * FLAT_TOLERANCE : null;
  const hd = [p5, p10].filter((p): p is number => p !== undefined);
  const rssMet = flat === null || hd.length === 0 ? null : flat && hd.every((p) => p < RSS_LIMIT_MIB);
  return {
    title: 'Layer 4 — Video',
    intro: [
      `Text-to-video, 16:9, prompt "${o.prompt}" (SDR H.264). Umbra: the reference engine's \`renderVideo\` ` +
        'called in-process, timed from the call to the finished MP4 in the scratch dir (scene → SVG layers ' +
        'rasterised by sharp → one ffmpeg that moves the layers and encodes); the "prep" column is the part ' +
        'before ffmpeg starts. Not through a JobWorker: claim and upload are milliseconds next to this. ' +
        'Floor: ffmpeg alone encoding the same number of synthetic frames ' +
        '(`-f lavfi -i testsrc2=size=WxH:rate=24`) through the same SDR finishing chain and exactly the same ' +
        'encoder arguments (both built by `media/ffmpeg/encode-args.ts`: libx264 veryfast, crf 20, High, ' +
        `yuv420p, 2 sliced threads (bit-exact, unlike frame threads), BT.709 tags), with the same binary (${BINARY_ORIGIN[ffmpeg.source]}). ` +
        `${o.runs} pair${o.runs === 1 ? '' : 's'} per size, each run in a fresh Node process, order alternating.`,
      "Peak RSS: Node is the render process's own VmHWM (not getrusage's maxrss, which Linux carries " +
        "across fork + exec from the bench process); ffmpeg is its child's VmHWM, sampled from /proc every " +
        '20 ms (a high-water mark, so sampling loses little; cross-checked once against ' +
        '`/usr/bin/time -f %M`). "Node + ffmpeg" adds the two peaks: an upper bound of the tree at any ' +
        'instant (Node reaches its peak while rasterising, before ffmpeg starts).',
    ],
    headers: [
      'video',
      'Umbra render ms',
      'of which prep ms',
      'ffmpeg alone ms',
      'Umbra ÷ floor',
      'Umbra peak RSS MiB (Node + ffmpeg)',
      'ffmpeg alone peak RSS MiB',
    ],
    rows,
    goals: [
      {
        text: 'video render ≤ 1.3× ffmpeg alone',
        met: rows.length ? worstRatio <= 1.3 : null,
        ...(worstRatio > 1.3 ? { note: TIME_NOTE } : {}),
      },
      {
        text: 'peak RSS flat in duration, < 400 MB at 1080p',
        met: rssMet,
        ...(rssMet === false ? { note: RSS_NOTE } : {}),
      },
    ],
    notes:
      flat === null
        ? ['The RSS goal needs the 5 s and 10 s 1080p rows; this run did not render them.']
        : [
            `1080p peak, Node + ffmpeg: ${num(p5 ?? NaN)} MiB at 5 s, ${num(p10 ?? NaN)} MiB at 10 s ` +
              `(flat: ${flat ? 'yes' : 'no'}, within ${Math.round((FLAT_TOLERANCE - 1) * 100)} %; ` +
              `limit 400 MB = ${num(RSS_LIMIT_MIB)} MiB).`,
          ],
  };
}
