// What the server-side commands share: the lazily loaded server package (so `umbra generate` starts fast
// and works without it), the store of the data directory or DATABASE_URL, and common options.
import { InvalidArgumentError } from 'commander';
import type * as ServerPackage from '@umbra/server';
import type { Config, Logger, Store } from '@umbra/server';

export const loadServer = (): Promise<typeof ServerPackage> => import('@umbra/server');

/** Runs `fn` on the store of the data directory (or DATABASE_URL), with the config, and closes it afterwards. */
export async function withStore<T>(
  dataDir: string | undefined,
  fn: (store: Store, config: Config) => Promise<T>,
): Promise<T> {
  const { loadConfig, openConfiguredStore } = await loadServer();
  const config = loadConfig(dataDir === undefined ? {} : { dataDir });
  const store = await openConfiguredStore(config);
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

export const dataDirOption = [
  '--data-dir <dir>',
  'data directory (env UMBRA_DATA_DIR, default ./data)',
] as const;

export const nonNegativeInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/** How long past the grace a stop may take before the process exits anyway. */
export const FORCE_EXIT_AFTER_GRACE_MS = 5000;

/**
 * Runs until SIGINT or SIGTERM; the first calls `stop` (which lets running jobs finish for `graceMs`, then
 * hands the rest back) and exits 0 when it is done. A stop still running 5 s after the grace, or a second
 * signal, exits 1 at once with a line on stderr: a process that was told to go must go.
 *
 * It also installs the process guards (issue 12, "Faults"): a promise rejection nobody handled is logged
 * and the process carries on; an uncaught exception is logged and stops the process the same way, exit 1.
 */
export function runUntilSignal(
  running: { stop(graceMs: number): Promise<void>; log: Logger },
  graceMs: number,
  installProcessGuards: (log: Logger, onFatal: (err: unknown) => void) => () => void,
): void {
  let stopping = false;
  let exitCode = 0;
  const stop = (): Promise<void> => running.stop(graceMs);
  const force = (why: string): never => {
    process.stderr.write(`${why}; exiting now\n`);
    process.exit(1);
  };
  const shutdown = (signal: string): void => {
    if (stopping) force(`${signal} again while stopping`);
    stopping = true;
    process.stdout.write(`${signal}: stopping (running jobs get ${graceMs} ms to finish)…\n`);
    setTimeout(
      () => force(`still stopping ${FORCE_EXIT_AFTER_GRACE_MS} ms after the grace`),
      graceMs + FORCE_EXIT_AFTER_GRACE_MS,
    ).unref();
    stop().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        process.stderr.write(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  installProcessGuards(running.log, () => {
    exitCode = 1;
    shutdown('uncaught exception');
  });
}
