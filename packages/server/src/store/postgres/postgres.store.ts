// The PostgreSQL Store: a pg Pool shared by api and worker processes on any machines.
import type { Store } from '../store.js';
import { PgFileRepo } from './postgres.files.js';
import { PgIdempotencyRepo } from './postgres.idempotency.js';
import { MIGRATIONS, MIGRATIONS_TABLE_DDL } from '../migrations.js';
import { PgDb } from './postgres.db.js';
import { PgClientRepo, PgRateRepo } from './postgres.clients.js';
import { PgGenerationRepo } from './postgres.generations.js';
import { PgWorkerRepo } from './postgres.workers.js';
import { PgWebhookRepo } from './postgres.webhooks.js';
import { PgEventRepo, notifySignal } from './postgres.events.js';
import { EventWatch, poking } from '../event-watch.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://…` connection string. */
  url: string;
  /**
   * Schema to keep every table in (created by migrate()); default: the server's search_path.
   * Lower-case letters, digits and `_`. Tests use a fresh one per run.
   */
  schema?: string;
}

/** Migrations may backfill large tables: their transaction is not held to the usual statement timeout. */
const MIGRATION_TIMEOUT_MS = 60 * 60 * 1000;

// pg_advisory_xact_lock key of migrations: one migrator at a time per database, released at commit.
const MIGRATE_LOCK = 0x756d627261; // 'umbra'

/** Opens a PostgreSQL-backed Store; connects lazily. Does not migrate. */
export function openPostgresStore(opts: PostgresStoreOptions): Store {
  const db = PgDb.open(opts.url, opts.schema);
  const events: PgEventRepo = new PgEventRepo(db, new EventWatch(() => events.latestSeq(), notifySignal(db)));
  return {
    kind: 'postgres',
    events,
    generations: poking(new PgGenerationRepo(db), events.watcher),
    idempotency: new PgIdempotencyRepo(db),
    files: new PgFileRepo(db),
    clients: new PgClientRepo(db),
    workers: new PgWorkerRepo(db),
    webhooks: new PgWebhookRepo(db),
    rate: new PgRateRepo(db),
    migrate: () => migratePostgres(db),
    ping: () => pingPostgres(db),
    close: () => {
      events.watcher.close();
      return db.close();
    },
  };
}

/** A query through the pool; a standby (read-only while in recovery) cannot take Umbra's writes. */
async function pingPostgres(db: PgDb): Promise<void> {
  const [r] = await db.query('SELECT pg_is_in_recovery() AS standby');
  if (r?.standby === true) throw new Error('the server is a read-only standby (in recovery)');
}

/** Applies missing migrations in one transaction (PostgreSQL DDL is transactional) under the advisory lock. */
function migratePostgres(db: PgDb): Promise<void> {
  return db.tx(
    async (q) => {
      await q('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATE_LOCK]);
      // Inside the lock: concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog.
      if (db.schema !== null) await q(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
      await q(MIGRATIONS_TABLE_DDL);
      const done = new Set((await q('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await q(m.postgres);
        await q('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
      }
    },
    { statementTimeoutMs: MIGRATION_TIMEOUT_MS },
  );
}
