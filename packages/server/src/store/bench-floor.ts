// Floors of the jobs layer: the bare conditional UPDATEs that one job's claim and completion need, run
// straight on the driver (no queue search, no row decoding, no worker loop), and pg-boss as the
// library peer on PostgreSQL. It lives in store/ (the only room that talks to database drivers) but
// deliberately bypasses the store's repositories: the floor is what the database costs without them.
import Database from 'better-sqlite3';
import pg from 'pg';
import PgBoss from 'pg-boss';

// The same SET lists as the store's claim and complete, addressed by id instead of found by a search.
const CLAIM = (p: (n: number) => string): string =>
  `UPDATE generations SET state = 'processing', lease_owner = ${p(1)}, lease_expires_at = ${p(2)},
   attempts = attempts + 1, progress = 0, updated_at = ${p(3)} WHERE id = ${p(4)} AND state = 'queued'`;
const COMPLETE = (p: (n: number) => string): string =>
  `UPDATE generations SET state = 'completed', outputs = ${p(1)}, completed_at = ${p(2)}, updated_at = ${p(3)},
   lease_owner = NULL, lease_expires_at = NULL, progress = 1
   WHERE id = ${p(4)} AND state = 'processing' AND lease_owner = ${p(5)}`;

const split = <T>(xs: T[], parts: number): T[][] =>
  Array.from({ length: parts }, (_, k) => xs.filter((_, i) => i % parts === k));

/** SQLite: `workers` connections (same pragmas as the store), 2 autocommit UPDATEs per id; ms taken. */
export function sqliteFloor(path: string, ids: string[], workers: number): number {
  const dbs = Array.from({ length: workers }, () => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return { db, claim: db.prepare(CLAIM(() => '?')), complete: db.prepare(COMPLETE(() => '?')) };
  });
  try {
    const t0 = performance.now();
    let changed = 0;
    ids.forEach((id, i) => {
      const c = dbs[i % workers];
      if (!c) return;
      const now = Date.now();
      changed += c.claim.run('floor', now + 30_000, now, id).changes;
      const at = Date.now();
      changed += c.complete.run('[]', at, at, id, 'floor').changes;
    });
    const ms = performance.now() - t0;
    if (changed !== ids.length * 2) throw new Error(`sqlite floor changed ${changed} rows`);
    return ms;
  } finally {
    for (const c of dbs) c.db.close();
  }
}

/**
 * PostgreSQL: `workers` pools of `concurrency` connections, each connection running claim then
 * complete for its share of the ids, all lanes at once; ms taken (connections opened beforehand).
 */
export async function postgresFloor(
  url: string,
  schema: string,
  ids: string[],
  workers: number,
  concurrency: number,
): Promise<number> {
  const pools = Array.from(
    { length: workers },
    () => new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: concurrency }),
  );
  const claim = CLAIM((n) => `$${n}`);
  const complete = COMPLETE((n) => `$${n}`);
  try {
    const lanes = await Promise.all(
      pools.flatMap((pool) => Array.from({ length: concurrency }, () => pool.connect())),
    );
    const t0 = performance.now();
    const changed = await Promise.all(
      split(ids, lanes.length).map(async (share, k) => {
        const c = lanes[k];
        let n = 0;
        for (const id of share) {
          if (!c) break;
          const now = Date.now();
          n += (await c.query(claim, ['floor', now + 30_000, now, id])).rowCount ?? 0;
          const at = Date.now();
          n += (await c.query(complete, ['[]', at, at, id, 'floor'])).rowCount ?? 0;
        }
        return n;
      }),
    );
    const ms = performance.now() - t0;
    for (const c of lanes) c.release();
    const total = changed.reduce((a, b) => a + b, 0);
    if (total !== ids.length * 2) throw new Error(`postgres floor changed ${total} rows`);
    return ms;
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
}

/** pg-boss instances for one configuration (each is a worker with its own pool). */
export class PgBossPeer {
  private constructor(
    private readonly bosses: PgBoss[],
    private readonly concurrency: number,
  ) {}

  static async open(url: string, schema: string, workers: number, concurrency: number): Promise<PgBossPeer> {
    const bosses: PgBoss[] = [];
    // One at a time: the first creates pg-boss's schema.
    for (let i = 0; i < workers; i++) {
      const boss = new PgBoss({
        connectionString: url,
        schema,
        max: concurrency + 1,
        supervise: false,
        schedule: false,
      });
      boss.on('error', () => undefined);
      await boss.start();
      bosses.push(boss);
    }
    await bosses[0]?.createQueue('bench');
    return new PgBossPeer(bosses, concurrency);
  }

  /** Sends `n` jobs (timed: `sendMs`), then fetches and completes them all (timed: `doneMs`). */
  async run(n: number): Promise<{ sendMs: number; doneMs: number }> {
    const lanes = this.bosses.flatMap((b) => Array.from({ length: this.concurrency }, () => b));
    const t0 = performance.now();
    await Promise.all(
      split(
        Array.from({ length: n }, (_, i) => i),
        lanes.length,
      ).map(async (share, k) => {
        for (const i of share) await lanes[k]?.send('bench', { i });
      }),
    );
    const t1 = performance.now();
    let done = 0;
    await Promise.all(
      lanes.map(async (boss) => {
        for (;;) {
          const [job] = await boss.fetch<{ i: number }>('bench');
          if (job === undefined) return;
          await boss.complete('bench', job.id);
          done++;
        }
      }),
    );
    const t2 = performance.now();
    if (done !== n) throw new Error(`pg-boss completed ${done} of ${n} jobs`);
    return { sendMs: t1 - t0, doneMs: t2 - t1 };
  }

  async close(): Promise<void> {
    for (const b of this.bosses) await b.stop({ graceful: false, wait: true });
  }
}
