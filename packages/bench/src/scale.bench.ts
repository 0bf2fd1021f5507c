// Layer 9 — Scale (issue 15): the routes and a worker's claim on a database of 1,000,000 generations,
// against the same on a near-empty one, on SQLite and PostgreSQL. Both databases are filled by
// `umbra seed` (the command an operator would run), so they hold the same kinds of rows; only the count
// differs. Goal: each figure within 1.3× of its near-empty one, and the size per generation reported.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parseEngineRoutes, kindsRoutedTo } from '@umbra/server/internal/engines/routes.js';
import { DEFAULT_SEED_SPAN_MS } from '@umbra/server/internal/generations/seed-plan.js';
import { ensureOwner } from '@umbra/server/internal/policy/owner.js';
import { openStore, type OpenStoreOptions } from '@umbra/server/internal/store/open-store.js';
import { dropPgSchemas } from '@umbra/server/internal/store/pg-admin.js';
import { databaseSize, type DatabaseSize } from '@umbra/server/internal/store/seed.js';
import type { Store } from '@umbra/server/internal/store/store.js';
import { seed as admitQueued } from './jobs.bench.js';
import { KEY, runUmbraCommand, startUmbraProcess, type ServerProcess } from './processes.js';
import { alternate, figure, pairRatios, summarize } from './stats.js';
import { fig, mdTable, num, ratio, type Goal, type Section } from './table.js';

export interface ScaleBenchOptions {
  smoke: boolean;
  /** Rows of the big database (the issue's 1,000,000). */
  rows: number;
  /**
   * Rows of the near-empty one: enough that every list the layer asks for fills its page (the owner's
   * failed rows too: 4% of a quarter), so both databases answer with the same number of rows.
   */
  emptyRows: number;
  /** Rounds per figure (each measures both databases, in alternating order). */
  runs: number;
  /** Seconds per autocannon run (smoke mode sends a fixed small amount instead). */
  seconds: number;
  connections: number;
  /** Claims timed per round. */
  claims: number;
  /** Completed generations the GET line cycles through, spread over the table. */
  getIds: number;
  /** PostgreSQL server (fresh schemas, dropped afterwards); null skips PostgreSQL. */
  postgresUrl: string | null;
}

const GOAL = 1.3;
const AUTH = { authorization: `Bearer ${KEY}` };
const POST_BODY = JSON.stringify({ prompt: 'a lighthouse on a cliff at dawn', aspect_ratio: '16:9' });
/** The kinds an `umbra serve` worker with the default routes claims (its claim filters by them). */
const KINDS = kindsRoutedTo(parseEngineRoutes(null), ['reference']);

// From EXPLAIN (QUERY PLAN on SQLite, ANALYZE on PostgreSQL) and the store's calls timed one by one on
// seeded databases of 1,000 and 1,000,000 rows.
const PROFILE_NOTE =
  "Profile (EXPLAIN on both databases, and the store's calls timed one by one on seeded databases): a " +
  'GET reads by primary key; the claim reads the head of a partial index of queued rows in claim order ' +
  '(migration 10; before it, PostgreSQL sorted the whole due queue on every claim), however many ' +
  'terminal rows there are; the first page walks ' +
  '`(client_id, created_at, id)` backwards and stops after 26 rows. What did not scale was a filtered ' +
  "page: a filter that matches few of a client's rows walked the client's whole history (at 1,000,000 " +
  'rows `state=queued` took 0.9 s and `type=image_edit` 1.6 s on SQLite, 1.1 s on PostgreSQL). Migration ' +
  '9 gives each filter an index in page order (now under 1 ms on SQLite, a few ms on PostgreSQL), for ' +
  'about 200 bytes more per generation on SQLite and 450 on PostgreSQL (one index more in all; two it ' +
  "made redundant went). Still growing with rows, and not one of this goal's routes: `GET /v1/usage` " +
  "reads every row of its window (the owner's last 30 days at 1,000,000 rows: ~1 ms → ~240 ms on " +
  'SQLite, ~2 ms → ~90 ms on PostgreSQL); a covering index or daily roll-ups would bound it. This machine ' +
  'is shared: the rounds spread widely, so a single ratio above 1.3× in one round is noise unless the ' +
  'median moves.';

interface Database {
  label: string;
  /** Where each size lives, and the environment a server or `umbra seed` needs to find it. */
  at: Record<Size, { dataDir: string; env: Record<string, string>; target: OpenStoreOptions }>;
  dispose(): Promise<void>;
}
type Size = 'empty' | 'big';

function sqliteDatabase(dir: string): Database {
  const at = (name: string): Database['at'][Size] => {
    const dataDir = join(dir, name);
    return { dataDir, env: {}, target: { sqlitePath: join(dataDir, 'umbra.db') } };
  };
  return {
    label: 'SQLite (WAL)',
    at: { empty: at('empty'), big: at('big') },
    dispose: () => Promise.resolve(),
  };
}

function postgresDatabase(dir: string, url: string): Database {
  const base = `umbra_bench_scale_${randomBytes(4).toString('hex')}`;
  const at = (name: string): Database['at'][Size] => {
    const schema = `${base}_${name}`;
    return {
      dataDir: join(dir, `pg-${name}`),
      env: { DATABASE_URL: url, UMBRA_PG_SCHEMA: schema },
      target: { databaseUrl: url, sqlitePath: '', pgSchema: schema },
    };
  };
  return {
    label: 'PostgreSQL',
    at: { empty: at('empty'), big: at('big') },
    dispose: () => dropPgSchemas(url, `${base}_empty`, `${base}_big`),
  };
}

interface Seeded {
  seconds: number;
  size: DatabaseSize;
}

/** `umbra seed` as an operator runs it; its wall time (process start included) and the size after. */
async function seedWithCommand(db: Database['at'][Size], rows: number): Promise<Seeded> {
  const t0 = performance.now();
  await runUmbraCommand(['seed', '--generations', String(rows), '--data-dir', db.dataDir], db.env);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, size: await databaseSize(db.target) };
}

/**
 * Times `claims` claims of one worker through the store (the statement an in-process worker runs,
 * filtered by the kinds it serves) on a queue of as many freshly admitted rows; each claimed row is then
 * completed (not timed), so the queue is empty again. Median ms per claim.
 */
async function claimRound(store: Store, claims: number): Promise<number> {
  await admitQueued(store, claims);
  const ms: number[] = [];
  const held: string[] = [];
  for (let i = 0; i < claims; i++) {
    const t0 = performance.now();
    const row = await store.generations.claim('bench-scale', Date.now(), 30_000, KINDS);
    ms.push(performance.now() - t0);
    if (row === null) throw new Error('a claim found no queued row');
    held.push(row.id);
  }
  for (const id of held) await store.generations.complete(id, 'bench-scale', [], Date.now());
  return summarize(ms).median;
}

/** Completed generations of the owner spread over the seeded span (one per slice of time). */
async function spreadIds(store: Store, n: number): Promise<string[]> {
  const { client } = await ensureOwner(store, KEY, Date.now());
  const now = Date.now();
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    const before = now - DEFAULT_SEED_SPAN_MS + ((k + 1) * DEFAULT_SEED_SPAN_MS) / n;
    const [row] = await store.generations.list(client.id, {
      limit: 1,
      state: 'completed',
      type: null,
      model: null,
      after: { createdAt: Math.floor(before), id: '' },
    });
    if (row && !ids.includes(row.id)) ids.push(row.id);
  }
  if (ids.length === 0) throw new Error('no completed generation to GET');
  return ids;
}

interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  bad: number;
}

interface Route {
  label: string;
  method: 'GET' | 'POST';
  /** Paths sent in turn (the GET line cycles through ids spread over the table). */
  paths: (size: Size) => string[];
}

async function load(o: ScaleBenchOptions, server: ServerProcess, route: Route, size: Size, seconds: number) {
  const origin = server.baseURL.replace(/\/v1$/, '');
  const r = await autocannon({
    url: origin,
    connections: o.connections,
    ...(o.smoke ? { amount: o.connections * 4 } : { duration: seconds }),
    headers: { ...AUTH, ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    requests: route.paths(size).map((path) => ({
      method: route.method,
      path,
      ...(route.method === 'POST' ? { body: POST_BODY } : {}),
    })),
  });
  return {
    reqPerSec: r.requests.total / Math.max(r.duration, 1e-3),
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  } satisfies Load;
}

interface Measured {
  rows: string[][];
  worst: number;
  missed: string[];
  seeded: Record<Size, Seeded>;
}

async function measure(o: ScaleBenchOptions, db: Database, log: (s: string) => void): Promise<Measured> {
  const seeded = {} as Record<Size, Seeded>;
  for (const size of ['empty', 'big'] as const) {
    log(`scale: seeding ${db.label} ${size} with umbra seed`);
    seeded[size] = await seedWithCommand(db.at[size], size === 'big' ? o.rows : o.emptyRows);
  }
  const rows: string[][] = [];
  const missed: string[] = [];
  let worst = 0;
  const line = (
    label: string,
    unit: string,
    a: number[],
    b: number[],
    q: ReturnType<typeof pairRatios>,
    lat = '',
  ) => {
    worst = Math.max(worst, q.median);
    if (q.median > GOAL) missed.push(label);
    rows.push([
      db.label,
      `${label}, ${unit}`,
      fig(figure(a), unit === 'ms' ? 3 : 0),
      fig(figure(b), unit === 'ms' ? 3 : 0),
      ratio(q),
      lat,
    ]);
  };

  // A worker's claim, before any server adds queued rows.
  log(`scale: ${db.label} claims`);
  const stores = { empty: await openStore(db.at.empty.target), big: await openStore(db.at.big.target) };
  let ids: Record<Size, string[]>;
  try {
    const [ce = [], cb = []] = await alternate(o.runs, [
      () => claimRound(stores.empty, o.claims),
      () => claimRound(stores.big, o.claims),
    ]);
    line('claim (one worker, store)', 'ms', ce, cb, pairRatios(cb, ce));
    ids = { empty: await spreadIds(stores.empty, o.getIds), big: await spreadIds(stores.big, o.getIds) };
  } finally {
    await stores.empty.close();
    await stores.big.close();
  }

  const servers: Partial<Record<Size, ServerProcess>> = {};
  try {
    for (const size of ['empty', 'big'] as const)
      servers[size] = await startUmbraProcess(db.at[size].dataDir, 'api', db.at[size].env);
    const routes: Route[] = [
      {
        label: 'GET /v1/generations/{id}',
        method: 'GET',
        paths: (s) => ids[s].map((id) => `/v1/generations/${id}`),
      },
      { label: 'POST /v1/generations', method: 'POST', paths: () => ['/v1/generations'] },
      { label: 'GET /v1/generations (first page)', method: 'GET', paths: () => ['/v1/generations'] },
      {
        label: 'GET /v1/generations?state=failed',
        method: 'GET',
        paths: () => ['/v1/generations?state=failed'],
      },
      {
        label: 'GET /v1/generations?type=video_reframe',
        method: 'GET',
        paths: () => ['/v1/generations?type=video_reframe'],
      },
    ];
    let bad = 0;
    for (const route of routes) {
      log(`scale: ${db.label} ${route.label}`);
      const run = (size: Size, seconds = o.seconds) =>
        load(o, servers[size] as ServerProcess, route, size, seconds);
      if (!o.smoke) {
        await run('empty', 1);
        await run('big', 1);
      }
      const [e = [], b = []] = await alternate(o.runs, [() => run('empty'), () => run('big')]);
      bad += [...e, ...b].reduce((n, x) => n + x.bad, 0);
      const lat = (xs: Load[]): string =>
        `${figure(xs.map((x) => x.p50)).median} / ${figure(xs.map((x) => x.p99)).median}`;
      line(
        route.label,
        'req/s',
        e.map((x) => x.reqPerSec),
        b.map((x) => x.reqPerSec),
        // Time per request: near-empty throughput ÷ 1M throughput.
        pairRatios(
          e.map((x) => x.reqPerSec),
          b.map((x) => x.reqPerSec),
        ),
        `${lat(e)} → ${lat(b)}`,
      );
    }
    if (bad > 0) throw new Error(`${bad} requests failed or were not 2xx during the scale benchmark`);
  } finally {
    for (const s of Object.values(servers)) await s.stop();
  }
  return { rows, worst, missed, seeded };
}

export async function benchScale(o: ScaleBenchOptions, log: (s: string) => void): Promise<Section> {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-bench-scale-'));
  const dbs: Database[] = [sqliteDatabase(dir)];
  if (o.postgresUrl !== null) dbs.push(postgresDatabase(dir, o.postgresUrl));
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const sizes: string[][] = [];
  try {
    for (const db of dbs) {
      try {
        const m = await measure(o, db, log);
        rows.push(...m.rows);
        const met = m.missed.length === 0;
        goals.push({
          text: `GET, POST, list and claim at ${num(o.rows)} rows ≤ ${GOAL}× their near-empty cost on ${db.label}`,
          met,
          ...(met ? {} : { note: `Missed by: ${m.missed.join(', ')} (worst ${m.worst.toFixed(2)}×).` }),
        });
        for (const size of ['empty', 'big'] as const) {
          const s = m.seeded[size].size;
          const per = (bytes: number): string => num(bytes / Math.max(1, s.generations));
          sizes.push([
            db.label,
            num(s.generations),
            `${num(m.seeded[size].seconds, 1)} s`,
            num(s.totalBytes / 2 ** 20, 1),
            per(s.totalBytes),
            per(s.generationBytes),
            s.fileBytes === null ? '–' : num(s.fileBytes / 2 ** 20, 1),
          ]);
        }
      } finally {
        await db.dispose();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (o.postgresUrl === null) goals.push({ text: 'the same on PostgreSQL', met: null });
  return {
    title: 'Layer 9 — Scale',
    intro: [
      `Two databases of each kind filled by \`umbra seed\` (the same mix of terminal rows over six months and ` +
        `four clients; see docs/operating.md "A database at scale"): ${num(o.emptyRows)} rows ("near-empty": ` +
        `a few MiB, yet every list below fills its page, failed rows included, so both databases answer ` +
        `with as many rows; GETs spread over months) and ${num(o.rows)}. An \`umbra serve --role api\` process on ` +
        `each, both up, measured in turn with autocannon (${o.connections} connections, ` +
        `${o.smoke ? 'a tiny fixed amount' : `${o.seconds} s per run after a 1 s warm-up of each`}): GET cycles ` +
        `through ${o.getIds} completed rows of the owner spread over the whole span (oldest to newest); POST is ` +
        "the HTTP layer's image request (left queued); the list is the owner's first page (25, newest " +
        'first), its first page of failed rows, and a page of a type no seeded row has (empty, and it must ' +
        "not read the client's history to find that out). The claim is one worker's claim through the " +
        'store (the ' +
        'statement an in-process worker runs, filtered by the kinds it serves), timed one by one over a ' +
        `queue of ${o.claims} rows admitted just before (median per round), before any server adds queued ` +
        `rows. ${o.runs} round${o.runs === 1 ? '' : 's'} per line, the two databases alternating which goes ` +
        'first. The ratio is the cost per request on the big database ÷ on the near-empty one ' +
        '(throughput: near-empty ÷ big; time: big ÷ near-empty), computed round by round.',
    ],
    headers: [
      'database',
      'measure',
      `near-empty (${num(o.emptyRows)} rows)`,
      `${num(o.rows)} rows`,
      `${num(o.rows)} ÷ near-empty (cost)`,
      `p50 / p99 ms (near-empty → ${num(o.rows)})`,
    ],
    rows,
    goals,
    notes: [
      PROFILE_NOTE,
      'Size of each database after `umbra seed` (SQLite: pages in use after a checkpoint, and the file; ' +
        'PostgreSQL: every table of the schema with its indexes and TOAST). Seeding time is the wall time ' +
        'of the command, start-up and migration included.',
      mdTable(
        [
          'database',
          'generations',
          'umbra seed took',
          'in use MiB',
          'bytes per generation (all)',
          'bytes per generation (generations + indexes)',
          'file MiB',
        ],
        sizes,
      ).join('\n'),
    ],
  };
}
