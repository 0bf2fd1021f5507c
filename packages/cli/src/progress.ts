// Progress while waiting: on a terminal one status line redrawn in place (spinner, state, a percentage
// bar when the server reports progress, the queue position while queued, elapsed); elsewhere (pipes, CI
// logs) one plain line per state change, so logs stay readable.
import type { Generation, WaitProgress } from '@umbra/sdk';

export interface ProgressStream {
  write(s: string): boolean;
  isTTY?: boolean;
}

export interface Progress {
  /** The generation as it is now, and what the server said about its progress (if anything). */
  update(g: Generation, p?: WaitProgress): void;
  /** Ends the display: a final line for a terminal, nothing extra for plain output. */
  stop(final?: Generation): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 20;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** A bar of `width` cells for a fraction (0..1), eighths of a cell included, and the whole percent. */
export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const f = Math.min(1, Math.max(0, fraction));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8 === 0 ? '' : (['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] ?? '');
  const bar = `${'█'.repeat(full)}${part}`.padEnd(width, '░');
  return `${bar} ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** What the line says about the state: the queue position while queued, the bar while processing. */
export function stateText(g: Generation, p: WaitProgress | undefined): string {
  if (g.state === 'queued' && p?.queuePosition != null) return `queued (#${p.queuePosition} in line)`;
  if (g.state === 'processing' && p?.progress != null) return `processing ${progressBar(p.progress)}`;
  return g.state;
}

export function createProgress(
  out: ProgressStream,
  opts: { quiet?: boolean; now?: () => number } = {},
): Progress {
  if (opts.quiet === true) return { update: () => undefined, stop: () => undefined };
  const now = opts.now ?? Date.now;
  const started = now();
  let last: Generation | null = null;
  if (out.isTTY !== true) {
    return {
      update(g) {
        if (last?.state === g.state) return;
        last = g;
        out.write(`${g.id} ${g.state} ${seconds(now() - started)}\n`);
      },
      stop: () => undefined,
    };
  }
  let told: WaitProgress | undefined;
  let frame = 0;
  const draw = (): void => {
    if (last === null) return;
    frame = (frame + 1) % FRAMES.length;
    // \r + "erase line" redraws in place without scrolling.
    out.write(`\r\x1b[2K${FRAMES[frame]} ${last.id} ${stateText(last, told)} ${seconds(now() - started)}`);
  };
  const timer = setInterval(draw, 100);
  // The spinner must never keep the process alive on its own.
  timer.unref();
  return {
    update(g, p) {
      // An update without a report (the created generation) keeps the last report for the same state.
      if (p !== undefined) told = p;
      else if (last?.state !== g.state) told = undefined;
      last = g;
      draw();
    },
    stop(final) {
      clearInterval(timer);
      const g = final ?? last;
      if (g === null) return;
      const mark = g.state === 'completed' ? '✔' : g.state === 'failed' ? '✖' : '…';
      out.write(`\r\x1b[2K${mark} ${g.id} ${g.state} in ${seconds(now() - started)}\n`);
    },
  };
}
