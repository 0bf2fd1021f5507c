// Layer 1 — HTTP: GET /v1/generations/{id} (a completed row) and POST /v1/generations (admitted and
// queued by an api-only server, so nothing renders) under autocannon, against a bare Fastify process
// with the same routes, headers and body sizes. Goals: GET ≥ 0.7×, POST ≥ 0.5× of bare throughput.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { KEY, startBareProcess, startUmbraProcess, type ServerProcess } from './processes.js';
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

// Closing notes, from V8 CPU profiles of the server (UMBRA_BENCH_PROFILE_DIR=dir npm run bench -- --layers http).
const GET_NOTE =
  'Why: the server is CPU-bound and bare Fastify spends only ~55 µs per request in all. On top of that ' +
  'a GET runs two SQLite reads (the key by hash joined with its client, then the row; 10–20 µs each ' +
  'here, `SqliteDb.get` is the top self-time frame), an HMAC-SHA256 to sign the output URL, and a pino ' +
  'child logger per request (Fastify with a logger). What would close it: an in-process cache of ' +
  'completed rows (they are terminal, so never stale; saves one read) and of key hash → client with a ' +
  'short TTL (saves the other, but a revoked key would keep working for up to that TTL across processes, ' +
  'which needs a decision), and no per-request logger when nothing logs per request.';
const POST_NOTE =
  'Why: every POST is a durable write transaction (BEGIN IMMEDIATE, balance read, INSERT into a table ' +
  'with five indexes, COMMIT in WAL; ~200 µs measured alone through the store), plus the key lookup, ' +
  'validation and a re-read of the inserted row, against a floor with no database at all: 0.5× here ' +
  'would need the whole POST under ~70–140 µs. What would close it: group commit (concurrent admissions ' +
  'coalesced into one transaction), building the 201 from the inserted values instead of re-reading the ' +
  'row, and fewer secondary indexes on `generations` (four are updated by every insert).';

interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  bad: number;
}

async function load(
  o: HttpBenchOptions,
  url: string,
  method: 'GET' | 'POST',
  connections: number,
): Promise<Load> {
  const r = await autocannon({
    url,
    method,
    connections,
    ...(o.smoke ? { amount: Math.max(20, connections * 2) } : { duration: o.seconds }),
    headers: { ...AUTH, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: POST_BODY } : {}),
  });
  return {
    reqPerSec: r.requests.total / Math.max(r.duration, 1e-3),
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
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
    let bad = 0;
    for (const method of ['GET', 'POST'] as const) {
      const path = method === 'GET' ? `/generations/${bodies.id}` : '/generations';
      for (const c of o.connections) {
        // Warm-up (JIT, connection pools, SQLite page cache) on both sides, not counted. autocannon
        // reports in whole seconds, so smoke mode skips it to stay fast.
        if (!o.smoke) {
          await load({ ...o, seconds: 1 }, umbra.baseURL + path, method, c);
          await load({ ...o, seconds: 1 }, bare.baseURL + path, method, c);
        }
        const [ua = [], ba = []] = await alternate(o.runs, [
          () => load(o, umbra.baseURL + path, method, c),
          () => load(o, bare.baseURL + path, method, c),
        ]);
        const r = { a: ua, b: ba };
        bad += [...r.a, ...r.b].reduce((n, x) => n + x.bad, 0);
        const q = pairRatios(
          r.a.map((x) => x.reqPerSec),
          r.b.map((x) => x.reqPerSec),
        );
        worst[method] = Math.min(worst[method], q.median);
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
        ]);
      }
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
      ],
      notes: [],
    };
  } finally {
    for (const s of servers) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
