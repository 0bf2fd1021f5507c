// Layer 1 — HTTP: GET /v1/generations/{id} (a completed row) and POST /v1/generations (admitted and
// queued by an api-only server, so nothing renders) under autocannon, against a bare Fastify process
// with the same routes, headers and body sizes. Goals: GET ≥ 0.7×, POST ≥ 0.5× of bare throughput.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import {
  KEY,
  cpuSeconds,
  rssMiB,
  startBareProcess,
  startUmbraProcess,
  type ServerProcess,
} from './processes.js';
import { alternate, figure, pairRatios } from './stats.js';
import { fig, ratio, type Section } from './table.js';

export interface HttpBenchOptions {
  smoke: boolean;
  /** Pairs per route and connection count. */
  runs: number;
  /** Seconds per autocannon run (ignored in smoke mode, which sends a fixed small amount). */
  seconds: number;
  connections: number[];
}

const AUTH = { authorization: `Bearer ${KEY}` };
const POST_BODY = JSON.stringify({ prompt: 'a lighthouse on a cliff at dawn', aspect_ratio: '16:9' });

// Closing notes, from profiles of the server under this layer's load: V8 CPU profiles
// (UMBRA_BENCH_PROFILE_DIR=dir npm run bench -- --layers http) and Linux `perf record -g` of the server
// process started with `node --perf-basic-prof`, each sample charged to the JavaScript function it ran in.
const GET_NOTE =
  'Why: the route reads nothing from the database (keys are cached for UMBRA_KEY_CACHE_MS, settled rows ' +
  "for good, as they never change), a settled row's body is signed and serialised once a second, and " +
  'what is left per request is small: the bearer check and SHA-256 of the key (crypto.hash), two cache ' +
  'hits, the progress header; metrics are tallied by hand and the access-log line is built only when ' +
  'its level is written. The largest single part of the difference is the socket write of the same ' +
  'bytes: perf puts it at ~23 µs per request for Umbra against ~12 µs for bare Fastify, ~9 µs against ' +
  '~1 µs of it the kernel waking the client. Bare answers faster than autocannon asks, so its client ' +
  'never sleeps; Umbra is the slower side, its client sleeps between answers and every write wakes it ' +
  '(on this VM an expensive interrupt). The rest, ~15 µs, is spread thin: the route (~5 µs), a pino ' +
  'child logger and a UUID request id per request (~1.3 µs), the hooks, and Node writing one more ' +
  'header. Experiments side by side: the same bytes answered at the top of the handler reached about ' +
  '0.7× of bare, so the app around the route alone is near the goal; the cached route made synchronous ' +
  '(no awaits) measured no gain. What would close it: answering a cached body before the framework ' +
  'builds its per-request objects (request, reply, child logger, hooks); a server faster than its ' +
  'client then stops paying the wakeups too.';
const POST_NOTE =
  'Why: every POST is a durable insert: the generations row with its eight secondary indexes, its ' +
  'generation_events row (a trigger) with two more, and the webhook fan-out trigger. Admissions arriving ' +
  'together share one transaction (group commit), and the statement journal of their savepoints is now ' +
  "kept in memory (it was a temporary file: 76 µs of pwrite per POST). perf, per POST of the server's " +
  '~275 µs: ~55 µs the inserts (index B-trees and the event row), ~80 µs the commit (WAL frames and ' +
  'the commit itself), ~25 µs the WAL checkpoint every thousand pages, ~20 µs the event watch and the ' +
  'webhook sender waking to look for deliveries, the rest HTTP, JSON, validation and the 201, against ' +
  'a floor with no database at all. Indexes are not the lever: side by side, partial lease and ' +
  'claim-by-kind indexes measured 1.01×, and dropping six of the eight secondary indexes 1.19×. What ' +
  'would close it: larger groups per commit (the commit and checkpoint are per group, not per row), ' +
  'the event row written without a trigger, and waking the webhook sender only while endpoints exist.';
/**
 * Why p99 at 100 connections follows throughput: a closed loop of N connections at X requests/s has a mean
 * latency of N / X (Little's law).
 */
const P99_NOTE =
  "Why: with 100 connections each waiting for its answer, the mean latency is 100 ÷ throughput (Little's " +
  'law), so the p99 follows the throughput above: below 20,000 requests/s the mean alone is over 5 ms, ' +
  'and a p99 of 5 ms needs about the rate bare Fastify reaches (its p99 is in the next column). What ' +
  'closes the throughput goal closes this one.';

const rssMiB0 = (x: number): string => (Number.isFinite(x) ? String(Math.round(x)) : '–');

interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  bad: number;
  /** CPU the server process spent per request (user + system), µs. */
  cpuUs: number;
}

async function load(
  o: HttpBenchOptions,
  server: ServerProcess,
  path: string,
  method: 'GET' | 'POST',
  connections: number,
): Promise<Load> {
  const cpuBefore = await cpuSeconds(server.proc.pid);
  const r = await autocannon({
    url: server.baseURL + path,
    method,
    connections,
    ...(o.smoke ? { amount: Math.max(20, connections * 2) } : { duration: o.seconds }),
    headers: { ...AUTH, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: POST_BODY } : {}),
  });
  const cpu = (await cpuSeconds(server.proc.pid)) - cpuBefore;
  return {
    reqPerSec: r.requests.total / Math.max(r.duration, 1e-3),
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
    cpuUs: (cpu / Math.max(r.requests.total, 1)) * 1e6,
  };
}

/** Creates one generation on a full server and waits for it; returns the GET and POST response bodies. */
async function captureBodies(server: ServerProcess): Promise<{ id: string; get: string; post: string }> {
  const res = await fetch(`${server.baseURL}/generations`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: POST_BODY,
  });
  const post = await res.text();
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${post}`);
  const { id } = JSON.parse(post) as { id: string };
  for (let i = 0; i < 2000; i++) {
    const g = await fetch(`${server.baseURL}/generations/${id}`, { headers: AUTH });
    const get = await g.text();
    if ((JSON.parse(get) as { state: string }).state === 'completed') return { id, get, post };
    await sleep(20);
  }
  throw new Error('the sample generation did not complete');
}

export async function benchHttp(o: HttpBenchOptions): Promise<Section> {
  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-bench-http-'));
  const servers: ServerProcess[] = [];
  try {
    const full = await startUmbraProcess(dataDir, 'all', { UMBRA_CONCURRENCY: '1' });
    const bodies = await captureBodies(full).finally(() => full.stop());
    const umbra = await startUmbraProcess(dataDir, 'api');
    servers.push(umbra);
    const bare = await startBareProcess(bodies.get, bodies.post);
    servers.push(bare);

    const rows: string[][] = [];
    const worst = { GET: Infinity, POST: Infinity };
    /** Umbra's resident set after each route's load (its key and row caches are full by then). */
    const rss = { GET: NaN, POST: NaN };
    let getP99 = NaN;
    const manyConnections = Math.max(...o.connections);
    let bad = 0;
    for (const method of ['GET', 'POST'] as const) {
      const path = method === 'GET' ? `/generations/${bodies.id}` : '/generations';
      for (const c of o.connections) {
        // Warm-up (JIT, connection pools, SQLite page cache) on both sides, not counted. autocannon
        // reports in whole seconds, so smoke mode skips it to stay fast.
        if (!o.smoke) {
          await load({ ...o, seconds: 1 }, umbra, path, method, c);
          await load({ ...o, seconds: 1 }, bare, path, method, c);
        }
        const [ua = [], ba = []] = await alternate(o.runs, [
          () => load(o, umbra, path, method, c),
          () => load(o, bare, path, method, c),
        ]);
        const r = { a: ua, b: ba };
        bad += [...r.a, ...r.b].reduce((n, x) => n + x.bad, 0);
        const q = pairRatios(
          r.a.map((x) => x.reqPerSec),
          r.b.map((x) => x.reqPerSec),
        );
        worst[method] = Math.min(worst[method], q.median);
        if (method === 'GET' && c === manyConnections) getP99 = figure(r.a.map((x) => x.p99)).median;
        const lat = (xs: Load[]): string =>
          `${figure(xs.map((x) => x.p50)).median} / ${figure(xs.map((x) => x.p99)).median}`;
        rows.push([
          `${method} ${method === 'GET' ? '/v1/generations/{id}' : '/v1/generations'}`,
          String(c),
          fig(figure(r.a.map((x) => x.reqPerSec))),
          fig(figure(r.b.map((x) => x.reqPerSec))),
          ratio(q),
          lat(r.a),
          lat(r.b),
          `${Math.round(figure(r.a.map((x) => x.cpuUs)).median)} / ${Math.round(figure(r.b.map((x) => x.cpuUs)).median)}`,
        ]);
      }
      rss[method] = await rssMiB(umbra.proc.pid);
    }
    if (bad > 0) throw new Error(`${bad} requests failed or were not 2xx during the HTTP benchmark`);
    return {
      title: 'Layer 1 — HTTP',
      intro: [
        'autocannon (in the bench process) against `umbra serve --role api` (SQLite, log level warn) and ' +
          'against a bare Fastify process (`packages/bench/src/bare-server.ts`: the same two routes, the same headers ' +
          'and byte-identical JSON bodies, no auth, no validation, no database). GET reads an existing ' +
          'completed row with an authenticated owner key (signing its output URL); POST is a valid image ' +
          'request, admitted and left queued (the api-only server renders nothing). ' +
          `${o.runs} pairs of ${o.smoke ? 'tiny' : `${o.seconds} s`} runs per line, ${o.smoke ? 'with no' : 'after a 1 s'} warm-up of each side.`,
      ],
      headers: [
        'route',
        'connections',
        'Umbra req/s',
        'bare Fastify req/s',
        'Umbra ÷ bare',
        'Umbra p50 / p99 ms',
        'bare p50 / p99 ms',
        'server CPU µs per request, Umbra / bare',
      ],
      rows,
      goals: [
        {
          text: 'GET ≥ 0.7× bare Fastify throughput',
          met: worst.GET >= 0.7,
          ...(worst.GET < 0.7 ? { note: GET_NOTE } : {}),
        },
        {
          text: 'POST ≥ 0.5× bare Fastify throughput',
          met: worst.POST >= 0.5,
          ...(worst.POST < 0.5 ? { note: POST_NOTE } : {}),
        },
        {
          text: `GET p99 ≤ 5 ms at ${manyConnections} connections`,
          met: getP99 <= 5,
          ...(getP99 > 5 ? { note: P99_NOTE } : {}),
        },
      ],
      notes: [
        `Umbra's resident set after the GET load: ${rssMiB0(rss.GET)} MiB; after the POST load: ${rssMiB0(rss.POST)} MiB ` +
          '(its key and settled-row caches hold what the load read by then). The CPU column is what the ' +
          "server process used (user + system, from /proc) divided by the requests it answered: the server's " +
          'own cost, whatever the load generator sharing the machine could send.',
      ],
    };
  } finally {
    for (const s of servers) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
