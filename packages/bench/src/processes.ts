// Server subprocesses for the benchmarks: a real `umbra serve` (through the CLI) and the bare Fastify
// floor. Each runs in its own process so the load generator never shares an event loop with it.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-server.js', import.meta.url));
const BUCKET = fileURLToPath(new URL('./bucket-server.js', import.meta.url));
export const KEY = 'luma-api-bench-owner-key-0123456789';

export interface ServerProcess {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT/v1 */
  baseURL: string;
  /** What the process printed up to and including its base URL. */
  banner: string;
  stop(): Promise<void>;
}

async function start(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  // UMBRA_BENCH_PROFILE_DIR: write a V8 CPU profile of every server process there (for closing notes).
  const profile = process.env.UMBRA_BENCH_PROFILE_DIR;
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const proc = spawn(process.execPath, [...flags, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const baseURL = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Base URL: (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
  return {
    proc,
    baseURL,
    banner: out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** `umbra serve` on an ephemeral port with the bench key; `role` api = admit only, nothing renders. */
export const startUmbraProcess = (
  dataDir: string,
  role: 'all' | 'api',
  env: Record<string, string> = {},
): Promise<ServerProcess> =>
  start([CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--role', role], {
    UMBRA_API_KEY: KEY,
    UMBRA_LOG_LEVEL: 'warn',
    UMBRA_POLL_MS: '20',
    ...env,
  });

/** Runs one `umbra` command to its end; its stdout, or an error with its stderr. */
export function runUmbraCommand(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`umbra ${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

/** The bare Fastify floor, answering with these exact bodies. */
export const startBareProcess = (getBody: string, postBody: string): Promise<ServerProcess> =>
  start([BARE], { BARE_GET_BODY: getBody, BARE_POST_BODY: postBody });

/** An S3-compatible bucket (s3rver behind a SigV4 front door) in a process of its own. */
export interface BucketProcess extends ServerProcess {
  /** What the bucket process printed: enough for an S3BlobStore or a server's UMBRA_S3_* environment. */
  bucket: {
    endpoint: string;
    bucket: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    env: Record<string, string>;
  };
}

export async function startBucketProcess(): Promise<BucketProcess> {
  const p = await start([BUCKET], {});
  const line = /^Bucket: (.*)$/m.exec(p.banner)?.[1];
  if (line === undefined) {
    await p.stop();
    throw new Error('the bucket process did not say where its bucket is');
  }
  return { ...p, bucket: JSON.parse(line) as BucketProcess['bucket'] };
}

const statusMiB = async (pid: number | undefined, field: 'VmHWM' | 'VmRSS'): Promise<number> => {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
};

/** Resident set of a process now (VmRSS), in MiB; NaN where /proc is unavailable. */
export const rssMiB = (pid: number | undefined): Promise<number> => statusMiB(pid, 'VmRSS');

/**
 * Starts a new peak: the kernel sets the process's VmHWM back to its current resident set (writing 5 to
 * /proc/PID/clear_refs, Linux 4.0+). False where that is not possible; the peak then includes start-up.
 */
export async function resetPeakRss(pid: number | undefined): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time a process has used so far (user + system, /proc/PID/stat), in seconds; NaN where /proc is
 * unavailable. Linux counts it in clock ticks of 1/100 s (USER_HZ).
 */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Peak resident set of a process so far (VmHWM), in MiB; NaN where /proc is unavailable. */
export const peakRssMiB = (pid: number | undefined): Promise<number> => statusMiB(pid, 'VmHWM');
