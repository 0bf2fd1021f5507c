// The storage layer's memory measurement: a real `umbra serve` ingesting a large video through the Files
// API (create → presigned PUT → complete → `ready`), its peak resident set measured over its idle one.
// The video is a short real MP4 padded with a trailing top-level `free` box (ISO BMFF: a box that readers
// skip), so ffprobe and the decoder read it in full while it weighs what the upload cap allows.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Umbra } from '@umbra/sdk';
import { loadConfig } from '@umbra/server/internal/config.js';
import { locateBinary } from '@umbra/server/internal/media/ffmpeg/binaries.js';
import { capture } from '@umbra/server/internal/media/ffmpeg/run.js';
import { KEY, peakRssMiB, resetPeakRss, rssMiB, startUmbraProcess } from './processes.js';

/** A 2 s 320×180 H.264 clip (a few tens of kB), moov first so a reader never has to seek past the padding. */
export async function smallMp4(out: string): Promise<void> {
  const ffmpeg = locateBinary('ffmpeg', loadConfig().ffmpegPath).path;
  await capture(ffmpeg, [
    '-hide_banner',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=320x180:r=24:d=2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-y',
    out,
  ]);
}

/** Writes `clip` followed by one `free` box of zeros, `bytes` in all, streamed (never held in memory). */
export async function paddedMp4(clip: string, out: string, bytes: number): Promise<void> {
  const head = await readFile(clip);
  const box = bytes - head.length;
  // A 32-bit box size; a larger pad would need the 64-bit `largesize` form.
  if (box < 8 || box > 0xffff_ffff) throw new Error(`cannot pad ${head.length} bytes to ${bytes}`);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(box, 0);
  header.write('free', 4, 'latin1');
  const zeros = Buffer.alloc(1 << 20);
  function* chunks(): Generator<Buffer> {
    yield head;
    yield header;
    for (let left = box - 8; left > 0; left -= zeros.length) {
      yield left >= zeros.length ? zeros : zeros.subarray(0, left);
    }
  }
  await pipeline(chunks(), createWriteStream(out));
}

export interface IngestMemory {
  /** Resident set of the warmed-up idle server, MiB. */
  idleMiB: number;
  /** Peak resident set while the upload and ingest ran, over idle, MiB. */
  overIdleMiB: number;
  /** create → `ready`, seconds. */
  seconds: number;
  /** False when the peak could not be restarted after start-up, so it may include start-up's. */
  peakReset: boolean;
}

/**
 * One fresh `umbra serve` (role all, disk blobs in `dataDir` or the bucket whose UMBRA_S3_* `env` is
 * given): a small video ingested first to warm every path up, then the idle resident set, then `video`
 * uploaded through the SDK (presigned PUT) and waited for until `ready`. The process is always stopped.
 */
export async function ingestMemory(
  dataDir: string,
  env: Record<string, string>,
  warmUp: string,
  video: string,
  settleMs = 500,
): Promise<IngestMemory> {
  const server = await startUmbraProcess(dataDir, 'all', env);
  try {
    const client = new Umbra({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
    const upload = (path: string) =>
      client.files.upload(
        path,
        { mime_type: 'video/mp4' },
        // Presigned even for the warm-up, so the path measured is the one already warm.
        { wait: true, pollInterval: 50, inlineThreshold: 0, timeout: 300_000 },
      );
    await upload(warmUp);
    // Let the warm-up's garbage settle before the idle figure is read.
    await sleep(settleMs);
    const pid = server.proc.pid;
    const idleMiB = await rssMiB(pid);
    const peakReset = await resetPeakRss(pid);
    const t0 = performance.now();
    const file = await upload(video);
    const seconds = (performance.now() - t0) / 1000;
    if (file.state !== 'ready') throw new Error(`the ingest ended ${file.state}, not ready`);
    return { idleMiB, overIdleMiB: (await peakRssMiB(pid)) - idleMiB, seconds, peakReset };
  } finally {
    await server.stop();
  }
}
