// Thin process helpers: the only place ffmpeg and ffprobe are spawned. Argument lists come from the pure
// builders in args.ts; this file only wires pipes, progress, abort and exit codes.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DependencyUnavailable } from '../../unavailable.js';
import { parseProgress } from './encode-args.js';

/** A process that exited non-zero or could not start; `stderr` holds its last output for the log. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Thrown when the AbortSignal stopped the process. */
export class ToolAborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'ToolAborted';
  }
}

/** A binary that cannot be started at all: missing, not executable, not a program. */
const START_FAILURES = new Set(['ENOENT', 'EACCES', 'ENOEXEC', 'EPERM']);
/** Signals a process dies of by itself when it crashes (ours is SIGKILL, sent on abort). */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGSYS', 'SIGTRAP']);

/** Does `bin -version` run to a clean exit within a few seconds? */
const versionRuns = (bin: string): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const child = spawn(bin, ['-version'], { stdio: 'ignore', timeout: 5000 });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });

/**
 * What a crash of `bin` means (issue 12, "Faults"): when the binary cannot even print its version, the
 * tool is down — `ffmpeg unavailable`, and the job waits for it without spending an attempt; when it can,
 * this input made it crash, which is the job's own failure.
 */
const crashed = async (bin: string, sig: string, stderr: string): Promise<Error> =>
  (await versionRuns(bin))
    ? new ToolError(`${bin} crashed (${sig})`, stderr)
    : new DependencyUnavailable('ffmpeg', new Error(`${bin} crashed (${sig}) and does not run`));

/** A spawn error: a binary that will not start is the tool being down. */
const startFailed = (bin: string, err: NodeJS.ErrnoException, stderr: string): Error =>
  err.code !== undefined && START_FAILURES.has(err.code)
    ? new DependencyUnavailable('ffmpeg', new Error(`cannot start ${bin}: ${err.message}`))
    : new ToolError(`cannot start ${bin}: ${err.message}`, stderr);

/** How to run one ffmpeg process. */
export interface RunOptions {
  signal?: AbortSignal;
  /** Called with the output frame count whenever ffmpeg reports progress (needs `-progress pipe:3`). */
  onFrames?: (frames: number) => void;
  /** Consumes stdout as a stream (e.g. raw frames); resolves when it has read everything. */
  stdout?: (out: Readable) => Promise<void>;
  /** Feeds stdin (e.g. raw frames) and must end it; a failing feeder kills ffmpeg and fails the run. */
  stdin?: (input: Writable) => Promise<void>;
}

/** Keeps only the tail of stderr: enough for a log line, bounded however chatty the tool is. */
const STDERR_TAIL = 8192;

/** Runs ffmpeg with `args`; resolves when it exits 0 and every stdout consumer has finished. */
export const runFfmpeg = (bin: string, args: readonly string[], opts: RunOptions = {}): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ToolAborted());
      return;
    }
    // fd 3 carries `-progress` key=value lines so stderr stays free for errors.
    const child = spawn(bin, args, {
      stdio: [opts.stdin ? 'pipe' : 'ignore', opts.stdout ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_TAIL);
    });
    const progress = child.stdio[3] as Readable | null;
    let partial = '';
    progress?.setEncoding('utf8');
    progress?.on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const frames = parseProgress(line);
        if (frames !== null) opts.onFrames?.(frames);
      }
    });
    const consumed = opts.stdout && child.stdout ? opts.stdout(child.stdout) : Promise.resolve();
    // A failing consumer must stop ffmpeg too, or it would block forever on a full pipe.
    consumed.catch(() => child.kill('SIGKILL'));
    // EPIPE when ffmpeg exits early surfaces through the exit code; the stream error itself is expected.
    child.stdin?.on('error', () => undefined);
    let feedError: Error | null = null;
    const fed = opts.stdin && child.stdin ? opts.stdin(child.stdin) : Promise.resolve();
    fed.catch((err: unknown) => {
      feedError = err instanceof Error ? err : new Error(String(err));
      child.kill('SIGKILL');
    });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(startFailed(bin, err, ''));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (aborted) {
        reject(new ToolAborted());
        return;
      }
      if (sig !== null && CRASH_SIGNALS.has(sig)) {
        crashed(bin, sig, stderr).then(reject, reject);
        return;
      }
      // ffmpeg's own complaint explains more than the broken pipe the feeder then saw.
      if (code !== 0) {
        reject(
          feedError && !stderr.trim()
            ? feedError
            : new ToolError(`ffmpeg exited with ${code ?? sig}`, stderr),
        );
        return;
      }
      Promise.all([consumed, fed]).then(() => resolve(), reject);
    });
  });

/** Runs a short-lived tool (ffprobe, frame grabs) and returns its stdout. */
export const capture = (
  bin: string,
  args: readonly string[],
  signal?: AbortSignal,
  maxBytes = 256 * 1024 * 1024,
): Promise<Buffer> =>
  new Promise<Buffer>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) child.kill('SIGKILL');
      else chunks.push(c);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_TAIL);
    });
    child.on('error', (err) => {
      reject(err.name === 'AbortError' ? new ToolAborted() : startFailed(bin, err, stderr));
    });
    child.on('close', (code, sig) => {
      if (signal?.aborted) reject(new ToolAborted());
      else if (sig !== null && CRASH_SIGNALS.has(sig)) crashed(bin, sig, stderr).then(reject, reject);
      else if (code !== 0 || size > maxBytes) reject(new ToolError(`${bin} exited with ${code}`, stderr));
      else resolve(Buffer.concat(chunks));
    });
  });
