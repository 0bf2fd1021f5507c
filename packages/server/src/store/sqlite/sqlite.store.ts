// The SQLite Store: one better-sqlite3 connection per Store, safe to share one file between processes.
import type { Store } from '../store.js';
import { SqliteFileRepo } from './sqlite.files.js';
import { SqliteIdempotencyRepo } from './sqlite.idempotency.js';
import { MIGRATIONS, MIGRATIONS_TABLE_DDL } from '../migrations.js';
import { SqliteDb, deferred } from './sqlite.db.js';
import { SqliteClientRepo, SqliteRateRepo } from './sqlite.clients.js';
import { SqliteGenerationRepo } from './sqlite.generations.js';
import { SqliteWorkerRepo } from './sqlite.workers.js';
import { SqliteWebhookRepo } from './sqlite.webhooks.js';
import { SqliteEventRepo } from './sqlite.events.js';
import { EventWatch, poking, pollingSignal } from '../event-watch.js';

/** How often a watched SQLite store looks for events other processes appended. */
const FOREIGN_POLL_MS = 200;
/** How long a readiness ping waits for the write lock (another process may hold it that long). */
const PING_BUSY_MS = 250;

/** Opens a SQLite-backed Store at `path` (the file is created; its directory must exist). Does not migrate. */
export function openSqliteStore(path: string): Store {
  const db = SqliteDb.open(path);
  const events: SqliteEventRepo = new SqliteEventRepo(
    db,
    new EventWatch(() => events.latestSeq(), pollingSignal(FOREIGN_POLL_MS)),
  );
  const watcher = events.watcher;
  return {
    kind: 'sqlite',
    events,
    generations: poking(new SqliteGenerationRepo(db), watcher),
    idempotency: new SqliteIdempotencyRepo(db),
    files: new SqliteFileRepo(db),
    clients: new SqliteClientRepo(db),
    workers: new SqliteWorkerRepo(db),
    webhooks: new SqliteWebhookRepo(db),
    rate: new SqliteRateRepo(db),
    migrate: () => deferred(() => migrateSqlite(db)),
    ping: () => deferred(() => SqliteDb.probeWritable(path, PING_BUSY_MS)),
    close: () =>
      deferred(() => {
        watcher.close();
        db.close();
      }),
  };
}

/** Applies missing migrations. BEGIN IMMEDIATE makes concurrent migrators queue up, and DDL is transactional. */
function migrateSqlite(db: SqliteDb): void {
  db.tx(() => {
    db.raw.exec(MIGRATIONS_TABLE_DDL);
    const done = new Set(db.all('SELECT version FROM schema_migrations').map((r) => Number(r.version)));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      db.raw.exec(m.sqlite);
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}
