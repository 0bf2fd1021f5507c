// Progress while waiting: on a terminal one status line redrawn in place (spinner, state, elapsed);
// elsewhere (pipes, CI logs) one plain line per state change, so logs stay readable.
import type { Generation } from '@umbra/sdk';

export interface ProgressStream {
  write(s: string): boolean;
  isTTY?: boolean;
}

export interface Progress {
  update(g: Generation): void;
  /** Ends the display: a final line for a terminal, nothing extra for plain output. */
  stop(final?: Generation): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

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
  let frame = 0;
  const draw = (): void => {
    if (last === null) return;
    frame = (frame + 1) % FRAMES.length;
    // \r + "erase line" redraws in place without scrolling.
    out.write(`\r\x1b[2K${FRAMES[frame]} ${last.id} ${last.state} ${seconds(now() - started)}`);
  };
  const timer = setInterval(draw, 100);
  // The spinner must never keep the process alive on its own.
  timer.unref();
  return {
    update(g) {
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
