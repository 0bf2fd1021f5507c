// Layer 5 — End to end (image part): POST → `completed` latency of a default image through the client
// library against a real `umbra serve` (SQLite, reference engine), one at a time; plus GET latency on an
// idle server and while four uni-1-max renders run (the API must not stall behind rendering), and the
// server's peak RSS. The video half (5 s 720p) joins when video rendering lands.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Umbra } from '@umbra/sdk';
import { KEY, peakRssMiB, startUmbraProcess } from './processes.js';
import { summarize, type Summary } from './stats.js';
import { num, type Section } from './table.js';

export interface E2eBenchOptions {
  /** POST → completed samples (at least 10; the server issue quotes the median of 20). */
  runs: number;
  /** Sequential GETs on the idle server. */
  gets: number;
}

const row = (label: string, s: Summary): string[] => [
  label,
  String(s.n),
  num(s.min, 1),
  num(s.median, 1),
  num(s.p99, 1),
  num(s.max, 1),
];

export async function benchE2e(o: E2eBenchOptions): Promise<Section> {
  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-bench-e2e-'));
  const server = await startUmbraProcess(dataDir, 'all');
  const client = new Umbra({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
  try {
    await client.generations.createAndWait({ prompt: 'warm-up' }, { pollInterval: 10 });
    const e2e: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const t0 = performance.now();
      await client.generations.createAndWait(
        { prompt: `a harbour at dusk, take ${i}` },
        { pollInterval: 10 },
      );
      e2e.push(performance.now() - t0);
    }
    const probe = await client.generations.createAndWait({ prompt: 'probe' }, { pollInterval: 10 });
    const idle: number[] = [];
    for (let i = 0; i < o.gets; i++) {
      const t0 = performance.now();
      await client.generations.get(probe.id);
      idle.push(performance.now() - t0);
    }
    const loaded: number[] = [];
    let rendering = true;
    const renders = Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        client.generations.createAndWait(
          { prompt: `mountains under stars ${i}`, model: 'uni-1-max' },
          { pollInterval: 50 },
        ),
      ),
    ).finally(() => (rendering = false));
    while (rendering && loaded.length < o.gets * 10) {
      const t0 = performance.now();
      await client.generations.get(probe.id);
      loaded.push(performance.now() - t0);
    }
    await renders;
    const rss = await peakRssMiB(server.proc.pid);
    return {
      title: 'Layer 5 — End to end',
      intro: [
        '`umbra serve` as a subprocess (role all, SQLite, reference engine, render concurrency = core ' +
          'count), driven through `@umbra/sdk` from the bench process (poll interval 10 ms, which bounds ' +
          'the resolution of the POST → completed figure).',
      ],
      headers: ['measurement', 'n', 'min ms', 'median ms', 'p99 ms', 'max ms'],
      rows: [
        row('POST → completed, default image (uni-1, 2048×1152 PNG)', summarize(e2e)),
        row('POST → completed, 5 s 720p video', { n: 0, min: NaN, median: NaN, p99: NaN, max: NaN }),
        row('GET /v1/generations/{id}, idle server', summarize(idle)),
        row('GET /v1/generations/{id}, while 4 uni-1-max renders run', summarize(loaded)),
      ],
      goals: [],
      notes: [
        'The video line is a slot: it is measured once video rendering lands (issue 6, layer 5).',
        `Peak RSS of the server process over this layer: ${rss.toFixed(0)} MiB.`,
      ],
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
