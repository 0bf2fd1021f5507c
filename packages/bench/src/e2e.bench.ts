// Layer 5 — End to end: POST → `completed` latency of a default image and of a 5 s 720p video through the
// client library against a real `umbra serve` (SQLite, reference engine), one at a time; plus GET latency
// on an idle server and while four uni-1-max renders run (the API must not stall behind rendering), and
// the server's peak RSS.
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
  /** POST → completed samples of the 5 s 720p video (seconds each, so fewer: the bench stays ~10 min). */
  videoRuns: number;
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
    // The request the API's defaults make of a bare video (ray-3.2, 720p, 5 s), spelled out; 16:9 as Layer 4.
    const video = (i: number) =>
      ({
        type: 'video',
        model: 'ray-3.2',
        prompt: `snowy mountains above a lake at sunset, take ${i}`,
        aspect_ratio: '16:9',
        video: { resolution: '720p', duration: '5s' },
      }) as const;
    const videos: number[] = [];
    for (let i = 0; i < o.videoRuns; i++) {
      const t0 = performance.now();
      await client.generations.createAndWait(video(i), { pollInterval: 10 });
      videos.push(performance.now() - t0);
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
        row('POST → completed, 5 s 720p video (ray-3.2, 16:9, 1280×720 H.264)', summarize(videos)),
        row('GET /v1/generations/{id}, idle server', summarize(idle)),
        row('GET /v1/generations/{id}, while 4 uni-1-max renders run', summarize(loaded)),
      ],
      goals: [],
      notes: [
        `The video line is a median of ${o.videoRuns} (not 10: each takes seconds and the whole bench is ` +
          "kept near 10 minutes); its render alone is Layer 4's 720p row.",
        `Peak RSS of the server process over this layer: ${rss.toFixed(0)} MiB.`,
      ],
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
