// Layer 4 — Video: text-to-video (16:9, one fixed prompt) rendered by the reference engine's renderVideo,
// called in-process (not through a JobWorker: Layer 3 and Layer 5 already cover claim → store, and a
// video's claim and upload are milliseconds next to seconds of render), against ffmpeg alone encoding the
// same number of synthetic frames of the same size with the same encoder arguments and the same binary
// (bench/video-run.ts). Every run is a fresh process so its peak RSS is its own. Goals: ≤ 1.3× time;
// peak RSS flat in duration (5 s vs 10 s at 1080p) and under 400 MB at 1080p.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Duration, Resolution } from '../contract/wire.js';
import { loadConfig } from '../config.js';
import { locateBinary } from '../media/ffmpeg/binaries.js';
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

// Closing notes for missed goals, from profiling this layer (ffmpeg run on the render's own layer PNGs and
// filtergraph with parts removed, `-f null` vs x264, under /usr/bin/time; 1080p, 121 frames).
const TIME_NOTE =
  'Why: the floor is the encode alone (x264 veryfast on 2 threads, ~2.4 s of CPU at 1080p), while the ' +
  "render's ffmpeg also runs the filtergraph that films the scene, which costs several times more than " +
  'the encode: the same graph into `-f null` (no encode) takes ~7.4 s of CPU, of which ~4.8 s is the ' +
  '`perspective` filter (a per-pixel projective remap with interpolation, used here for what is only a ' +
  'slow centred zoom) and ~2.4 s the rest (four looped layers converted to planar RGB, three `overlay` ' +
  'blends per frame, RGB → yuv444p, `eq` with per-frame evaluation); the whole render takes ~11 s of CPU ' +
  'against the floor’s ~2.4 s, on 2 cores. Scene preparation in Node (SVG layers rasterised by sharp) is ' +
  'the smaller part (the "prep" column). What would close it: do the zoom without `perspective` (draw the ' +
  'layers that much larger and fold the zoom into their crop offsets, or `scale` with per-frame ' +
  'evaluation on an ffmpeg ≥ 5), blend and grade in yuv444p instead of planar RGB, and skip `eq` where ' +
  'its per-frame change is below one code value. Even then the graph does real per-frame work the floor ' +
  'does not, so ≤ 1.3× needs the graph at under a third of the encode.';
const RSS_NOTE =
  'Why: the peak is the sum of two processes. ffmpeg alone (x264 at 1080p with its lookahead and frame ' +
  "threads) already peaks at ~220 MiB; the render's ffmpeg adds ~130 MiB of filtergraph frame queues " +
  '(four layers held by `loop` at their full oversized canvas, `overlay` frame-sync buffers, RGB and ' +
  'yuv444p intermediates at 1080p) and Node adds its own ~120 MiB (V8, sharp/libvips rasterising the SVG ' +
  'layers, before ffmpeg starts, so the sum overstates the instant peak of the tree somewhat). Peak RSS ' +
  'does not grow with ' +
  'duration: only the frame count changes. What would close it: fewer or smaller intermediates (blend in ' +
  'yuv444p, layers cropped to the path the camera really travels), and rasterising the layers in a short ' +
  'child process or a worker so the API process never holds libvips’ peak.';

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
        `yuv420p, 2 threads, BT.709 tags), with the same binary (\`${ffmpeg.path}\`, found via ` +
        `${ffmpeg.source}). ${o.runs} pair${o.runs === 1 ? '' : 's'} per size, each run in a fresh Node process, order alternating.`,
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
