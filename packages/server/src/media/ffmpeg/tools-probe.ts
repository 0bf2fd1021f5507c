// Are ffmpeg and ffprobe usable? (readiness of processes that render, issue 12). Each is found as a
// render finds it and asked for `-version`; a success is remembered for a while, so a readiness check
// every few seconds does not start two processes every time. A failure is not remembered: the next check
// looks again, so a fixed installation shows at once.
import { locateBinary } from './binaries.js';
import { capture } from './run.js';

/** How long a successful probe stands. */
export const TOOLS_PROBE_TTL_MS = 60_000;

export interface ToolsProbeOptions {
  /** UMBRA_FFMPEG / UMBRA_FFPROBE; null = PATH, else the npm-shipped build (as renders do). */
  ffmpegPath: string | null;
  ffprobePath: string | null;
  now: () => number;
}

/** A probe function: resolves when both tools run, rejects naming the one that does not. */
export function ffmpegToolsProbe(o: ToolsProbeOptions): () => Promise<void> {
  let okUntil = 0;
  return async () => {
    if (o.now() < okUntil) return;
    for (const name of ['ffmpeg', 'ffprobe'] as const) {
      let bin: string;
      try {
        bin = locateBinary(name, name === 'ffmpeg' ? o.ffmpegPath : o.ffprobePath).path;
      } catch (err) {
        throw new Error(`${name} not found: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        await capture(bin, ['-version'], AbortSignal.timeout(5000), 64 * 1024);
      } catch (err) {
        throw new Error(`${name} (${bin}) does not run: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    okUntil = o.now() + TOOLS_PROBE_TTL_MS;
  };
}
