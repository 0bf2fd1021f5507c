// The last line of defence of a long-running process (`umbra serve`, `umbra worker`; issue 12, "Faults"):
// every dependency's failure is handled where it happens, so anything that still reaches the process is a
// bug. A promise rejection nobody handled is logged with its context and the process carries on — one lost
// request or job must not take down every other one. An uncaught exception leaves the process in an unknown
// state: it is logged and the process stops gracefully (running jobs are handed back) and exits 1, for its
// supervisor to restart it.
//
// Only the command line installs these. Tests run the server in the test runner's process without them,
// so a rejection nobody handled fails the suite (process-guards.test.ts proves both halves).
import type { Logger } from './log.js';

/** Installs the guards; returns a function that removes them. */
export function installProcessGuards(log: Logger, onFatal: (err: unknown) => void): () => void {
  const onRejection = (reason: unknown): void => {
    log.error({ err: reason }, 'unhandled promise rejection (a bug); carrying on');
  };
  let fatal = false;
  const onException = (err: unknown): void => {
    log.error({ err }, 'uncaught exception (a bug); stopping');
    // A second one while stopping must not start a second stop.
    if (fatal) return;
    fatal = true;
    onFatal(err);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
