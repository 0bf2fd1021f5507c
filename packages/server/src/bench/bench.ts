// `npm run bench`: measures a real `umbra serve` subprocess through the client library and writes a
// Markdown table (with the machine and the command) to BENCHMARKS.md. `--smoke` runs a tiny version
// (used by the test suite to keep this working) and writes to the path given by `--out`.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Umbra } from '@umbra/sdk';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const KEY = 'luma-api-bench-owner-key-0123456789';

export interface Summary {
  n: number;
  min: number;
  median: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] ?? NaN;
  return { n: v.length, min: v[0] ?? NaN, median: at(0.5), p99: at(0.99), max: v[v.length - 1] ?? NaN };
}

interface Server {
  proc: ChildProcess;
  baseURL: string;
  stop(): Promise<void>;
}

async function serve(dataDir: string, env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, UMBRA_API_KEY: KEY, UMBRA_LOG_LEVEL: 'warn', UMBRA_POLL_MS: '20', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const baseURL = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Base URL: (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return {
    proc,
    baseURL,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** Peak resident set of a process so far (VmHWM), in MiB; NaN where /proc is unavailable. */
async function peakRssMiB(pid: number | undefined): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

const ms = (n: number): string => n.toFixed(1);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const outIdx = args.indexOf('--out');
  const out = outIdx >= 0 ? (args[outIdx + 1] ?? 'BENCHMARKS.md') : 'BENCHMARKS.md';
  const runs = smoke ? 2 : 20;
  const getsPerRound = smoke ? 20 : 400;

  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-bench-'));
  const server = await serve(dataDir, {});
  const client = new Umbra({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
  try {
    // 1. POST → completed for a default image, one at a time.
    await client.generations.createAndWait({ prompt: 'warm-up' }, { pollInterval: 10 });
    const e2e: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await client.generations.createAndWait(
        { prompt: `a harbour at dusk, take ${i}` },
        { pollInterval: 10 },
      );
      e2e.push(performance.now() - t0);
    }
    // 2. GET latency while four renders run at once (the API must not stall behind rendering).
    const probe = await client.generations.create({ prompt: 'probe' });
    await client.generations.wait(probe.id, { pollInterval: 10 });
    const idle: number[] = [];
    for (let i = 0; i < getsPerRound; i++) {
      const t0 = performance.now();
      await client.generations.get(probe.id);
      idle.push(performance.now() - t0);
    }
    const loaded: number[] = [];
    const renders = Array.from({ length: 4 }, (_, i) =>
      client.generations.createAndWait(
        { prompt: `mountains under stars ${i}`, model: 'uni-1-max' },
        { pollInterval: 50 },
      ),
    );
    let rendering = true;
    const all = Promise.all(renders).finally(() => (rendering = false));
    while (rendering && loaded.length < getsPerRound * 10) {
      const t0 = performance.now();
      await client.generations.get(probe.id);
      loaded.push(performance.now() - t0);
    }
    await all;
    const rss = await peakRssMiB(server.proc.pid);

    const s1 = summarize(e2e);
    const s2 = summarize(idle);
    const s3 = summarize(loaded);
    const lines = [
      '# Benchmarks',
      '',
      `Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ` +
        `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
      `Command: \`npm run bench\`${smoke ? ' (smoke mode: tiny sample, numbers meaningless)' : ''}.`,
      `Server: \`umbra serve\` as a subprocess, SQLite, reference engine, concurrency = core count.`,
      '',
      '| measurement | n | min ms | median ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|',
      `| POST → completed, default image (uni-1, 2048×1152 PNG) | ${s1.n} | ${ms(s1.min)} | ${ms(s1.median)} | ${ms(s1.p99)} | ${ms(s1.max)} |`,
      `| GET /v1/generations/{id}, idle server | ${s2.n} | ${ms(s2.min)} | ${ms(s2.median)} | ${ms(s2.p99)} | ${ms(s2.max)} |`,
      `| GET /v1/generations/{id}, while 4 uni-1-max renders run | ${s3.n} | ${ms(s3.min)} | ${ms(s3.median)} | ${ms(s3.p99)} | ${ms(s3.max)} |`,
      '',
      `Peak RSS of the server process over the whole run: ${rss.toFixed(0)} MiB.`,
      '',
    ];
    await writeFile(out, lines.join('\n'));
    process.stdout.write(lines.join('\n'));
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${String(err)}\n`);
    process.exit(1);
  });
}
