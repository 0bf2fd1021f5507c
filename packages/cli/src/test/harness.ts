// Test helpers: a real Umbra server in this process, and the BUILT CLI run as a subprocess against it.
// The subprocess must be asynchronous: a synchronous spawn would block the server it talks to.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningUmbra } from '@umbra/server';
import { loadConfig, startUmbra } from '@umbra/server';

export const KEY = 'luma-api-cli-test-owner-key-0123456789';
/** The built entry point, as a user runs it. */
export const CLI = fileURLToPath(new URL('../main.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Server {
  baseURL: string;
  umbra: RunningUmbra;
  stop(): Promise<void>;
}

/** A server on a temp data dir; `env` adds settings (e.g. `UMBRA_ROLE: 'api'`: no worker, jobs stay queued). */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-cli-srv-'));
  const config = loadConfig(
    { port: 0, host: '127.0.0.1', dataDir },
    {
      UMBRA_API_KEY: KEY,
      UMBRA_LOG_LEVEL: 'silent',
      UMBRA_POLL_MS: '20',
      UMBRA_CONCURRENCY: '2',
      ...env,
    },
  );
  const umbra = await startUmbra(config);
  return {
    baseURL: umbra.apiUrl ?? '',
    umbra,
    async stop() {
      await umbra.stop(200);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion and reports its exit code and output, whatever the code. */
export function runProgram(
  file: string,
  args: string[],
  o: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: o.cwd, env: { ...process.env, ...o.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `umbra ARGS` against `server`, with a fast poll so tests do not wait on the 2 s default. */
export function umbra(
  server: Server | null,
  args: string[],
  o: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<RunResult> {
  const env = {
    LUMA_BASE_URL: server?.baseURL,
    LUMA_AGENTS_API_KEY: KEY,
    LUMA_CUSTOM_HEADERS: undefined,
    ...o.env,
  };
  return runProgram(process.execPath, [CLI, ...args], { ...o, env });
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
