// Bulk writing of seeded generations (`umbra seed`, issue 15 "Scale") and the size of a database, on
// either adapter. Rows go in whole, in big batches on a connection of the seeder's own: prepared
// statements in transactions of many rows on SQLite, one multi-row INSERT … SELECT FROM unnest(…) per
// batch on PostgreSQL. A row inside the outbox's retention gets its event from the schema's trigger, as
// any insert does. A row older than that goes in with the trigger set aside (dropped and re-created, or
// disabled and enabled, inside the batch's own transaction, so no other connection ever sees it
// missing): its event would be swept by the reaper at once, and writing then sweeping it would cost
// seeding most of its time. The database ends as the normal path plus a sweep would leave it.
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { OpenStoreOptions } from './open-store.js';
import type { SqlValue } from './rows.js';
import { pgPlaceholder } from './sql.js';
import type { SeedRow } from './store.js';

/** The columns a seeded row fills, with their PostgreSQL types (for the arrays of a batch). */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'text'],
  ['client_id', 'text'],
  ['type', 'text'],
  ['model', 'text'],
  ['request', 'jsonb'],
  ['inputs', 'jsonb'],
  ['state', 'text'],
  ['created_at', 'int8'],
  ['updated_at', 'int8'],
  ['attempts', 'int4'],
  ['max_attempts', 'int4'],
  ['run_after', 'int8'],
  ['lease_owner', 'text'],
  ['lease_expires_at', 'int8'],
  ['progress', 'float8'],
  ['outputs', 'jsonb'],
  ['failure_code', 'text'],
  ['failure_reason', 'text'],
  ['price_micros', 'int8'],
  ['emulate_failure', 'text'],
  ['completed_at', 'int8'],
  ['upstream_id', 'text'],
  ['user_id', 'text'],
  ['video_ms', 'int8'],
];

/** The values of a row, in COLUMNS order. */
const valuesOf = (r: SeedRow): SqlValue[] => [
  r.id,
  r.clientId,
  r.type,
  r.model,
  JSON.stringify(r.request),
  JSON.stringify(r.inputs),
  r.state,
  r.createdAt,
  r.updatedAt,
  r.attempts,
  r.maxAttempts,
  r.runAfter,
  r.leaseOwner,
  r.leaseExpiresAt,
  r.progress,
  JSON.stringify(r.outputs),
  r.failureCode,
  r.failureReason,
  r.priceMicros,
  r.emulateFailure,
  r.completedAt,
  r.upstreamId,
  r.userId,
  r.videoMs,
];

const NAMES = COLUMNS.map(([c]) => c).join(', ');

/** `INSERT` of one row (SQLite). */
export const SQLITE_SEED_INSERT = `INSERT INTO generations (${NAMES}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

/** `INSERT … SELECT FROM unnest` of a batch: one array parameter per column (PostgreSQL). */
export const PG_SEED_INSERT = `INSERT INTO generations (${NAMES})
SELECT * FROM unnest(${COLUMNS.map(([, t], i) => `${pgPlaceholder(i + 1)}::${t}[]`).join(', ')})`;

export interface SeedWrite {
  /** Rows to write; `rowAt(i)` for i in [0, count), oldest first. */
  count: number;
  rowAt: (i: number) => SeedRow;
  /** Rows created before this time get no event (the outbox's retention: the reaper sweeps older ones). */
  eventsBefore: number;
  /** Rows per transaction (SQLite) or statement (PostgreSQL). */
  batch?: number;
  onProgress?: (written: number) => void;
}

/** The triggers that append a new row's event (migration 7). */
const SQLITE_INSERT_TRIGGER = 'generations_event_on_insert';
const PG_EVENT_TRIGGER = 'generations_event';

/**
 * [from, to, old] of each batch: `old` when every row of it is created before `eventsBefore`. A batch
 * never straddles that time (rows are created in order of index), so the newest rows keep their events.
 */
function* batches(w: SeedWrite, size: number): Generator<[number, number, boolean]> {
  let from = 0;
  while (from < w.count) {
    const old = w.rowAt(from).createdAt < w.eventsBefore;
    let to = Math.min(w.count, from + size);
    if (old) {
      // The first recent row, by bisection (rowAt is pure but for the id).
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (w.rowAt(mid).createdAt < w.eventsBefore) lo = mid + 1;
        else hi = mid;
      }
      to = lo;
    }
    yield [from, to, old];
    from = to;
  }
}

const isPostgres = (t: OpenStoreOptions): boolean => /^postgres(ql)?:\/\//i.test(t.databaseUrl ?? '');

/** Writes the rows into the (migrated) database of `target`. */
export async function writeSeedRows(target: OpenStoreOptions, w: SeedWrite): Promise<void> {
  if (isPostgres(target)) await writePostgres(target, w);
  else writeSqlite(target.sqlitePath, w);
}

function writeSqlite(path: string, w: SeedWrite): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // Random ids land all over the primary key's index: keep it in memory while the rows go in.
    db.pragma('cache_size = -262144');
    const insert = db.prepare(SQLITE_SEED_INSERT);
    const trigger = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`)
      .pluck()
      .get(SQLITE_INSERT_TRIGGER) as string | undefined;
    if (trigger === undefined)
      throw new Error(`no trigger ${SQLITE_INSERT_TRIGGER}: is the database migrated?`);
    const batch = w.batch ?? 20_000;
    for (const [from, to, old] of batches(w, batch)) {
      db.transaction(() => {
        if (old) db.exec(`DROP TRIGGER ${SQLITE_INSERT_TRIGGER}`);
        for (let i = from; i < to; i++) insert.run(valuesOf(w.rowAt(i)));
        if (old) db.exec(trigger);
      }).immediate();
      w.onProgress?.(to);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

const pgClient = (target: OpenStoreOptions): pg.Client =>
  new pg.Client({
    connectionString: target.databaseUrl ?? '',
    ...(target.pgSchema === undefined ? {} : { options: `-c search_path=${target.pgSchema}` }),
  });

async function writePostgres(target: OpenStoreOptions, w: SeedWrite): Promise<void> {
  const client = pgClient(target);
  await client.connect();
  try {
    const batch = w.batch ?? 10_000;
    const write = async (columns: SqlValue[][], old: boolean): Promise<void> => {
      await client.query('BEGIN');
      if (old) await client.query(`ALTER TABLE generations DISABLE TRIGGER ${PG_EVENT_TRIGGER}`);
      await client.query(PG_SEED_INSERT, columns);
      if (old) await client.query(`ALTER TABLE generations ENABLE TRIGGER ${PG_EVENT_TRIGGER}`);
      await client.query('COMMIT');
    };
    // The next batch is built while the database writes this one.
    let writing: Promise<void> = Promise.resolve();
    for (const [from, to, old] of batches(w, batch)) {
      const columns: SqlValue[][] = COLUMNS.map(() => []);
      for (let i = from; i < to; i++) valuesOf(w.rowAt(i)).forEach((v, c) => columns[c]?.push(v));
      await writing;
      writing = write(columns, old).then(() => w.onProgress?.(to));
    }
    await writing;
    // What autovacuum does by the time a real table gets this big: the planner's statistics of the rows.
    await client.query('VACUUM ANALYZE generations');
  } finally {
    await client.end();
  }
}

/** How big a database is, for its generations. */
export interface DatabaseSize {
  generations: number;
  /** Everything the database holds (SQLite: the pages in use; PostgreSQL: every table of the schema). */
  totalBytes: number;
  /** The `generations` table and its indexes (and, on PostgreSQL, its TOAST). */
  generationBytes: number;
  /** SQLite only: the file and its WAL after a checkpoint (free pages included). */
  fileBytes: number | null;
}

/** Measures the database of `target` (checkpointing SQLite's WAL first). */
export async function databaseSize(target: OpenStoreOptions): Promise<DatabaseSize> {
  if (isPostgres(target)) {
    const client = pgClient(target);
    await client.connect();
    try {
      const { rows } = await client.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM generations) AS n,
           (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
              JOIN pg_namespace s ON s.oid = c.relnamespace
            WHERE c.relkind = 'r' AND s.nspname = current_schema()) AS total,
           pg_total_relation_size('generations') AS gen`,
      );
      const r = rows[0] ?? {};
      return {
        generations: Number(r.n),
        totalBytes: Number(r.total),
        generationBytes: Number(r.gen),
        fileBytes: null,
      };
    } finally {
      await client.end();
    }
  }
  const path = target.sqlitePath;
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const n = Number(db.prepare('SELECT count(*) FROM generations').pluck().get());
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const pages = Number(db.pragma('page_count', { simple: true }));
    const free = Number(db.pragma('freelist_count', { simple: true }));
    const gen = Number(
      db
        .prepare(
          `SELECT sum(pgsize) FROM dbstat
           WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'generations')`,
        )
        .pluck()
        .get(),
    );
    const wal = (() => {
      try {
        return statSync(`${path}-wal`).size;
      } catch {
        return 0;
      }
    })();
    return {
      generations: n,
      totalBytes: (pages - free) * pageSize,
      generationBytes: gen,
      fileBytes: statSync(path).size + wal,
    };
  } finally {
    db.close();
  }
}
