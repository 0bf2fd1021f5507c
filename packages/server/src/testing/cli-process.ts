// Test helper: `umbra …` as a real OS process (the built CLI), for tests that need processes of their own
// (an api process and a worker process sharing PostgreSQL).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

/** A running `umbra` process and everything it printed so far. */
export interface CliProcess {
  child: ChildProcess;
  out: () => string;
}

/** Spawns the CLI and resolves once its output matches `ready`; rejects if it exits first. */
export async function startCli(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const look = (): void => {
      if (ready.test(out)) resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => reject(new Error(`umbra ${args[0]} exited ${code}:\n${out}`)));
  });
  return { child, out: () => out };
}

/** Stops a process (SIGTERM) and resolves when it has exited; SIGKILL after `graceMs`. */
export const stopCli = (p: CliProcess | null, graceMs = 5000): Promise<void> =>
  new Promise((resolve) => {
    if (p === null || p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    const kill = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    p.child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    p.child.kill('SIGTERM');
  });

/** `umbra serve --role api` on a free port; resolves with the process and its base URL (…/v1). */
export async function startApiProcess(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<{ proc: CliProcess; baseURL: string }> {
  const proc = await startCli(
    ['serve', '--role', 'api', '--port', '0', '--data-dir', dataDir],
    env,
    /Storage: /,
  );
  const baseURL = /Base URL: (\S+)/.exec(proc.out())?.[1] ?? '';
  return { proc, baseURL };
}
