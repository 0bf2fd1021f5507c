// Picks the Store adapter from configuration and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from './store.js';
import { openPostgresStore } from './postgres/postgres.store.js';
import { openSqliteStore } from './sqlite/sqlite.store.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else (or none) selects SQLite. */
  databaseUrl?: string | null;
  /** SQLite file, used when `databaseUrl` is not PostgreSQL; its directory is created. */
  sqlitePath: string;
  /** PostgreSQL schema for every table (created on migrate); default: the server's search_path. */
  pgSchema?: string;
}

/** Opens the configured Store and runs its migrations. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const url = opts.databaseUrl ?? '';
  let store: Store;
  if (/^postgres(ql)?:\/\//i.test(url)) {
    store = openPostgresStore({ url, ...(opts.pgSchema !== undefined ? { schema: opts.pgSchema } : {}) });
  } else {
    mkdirSync(dirname(opts.sqlitePath), { recursive: true });
    store = openSqliteStore(opts.sqlitePath);
  }
  try {
    await store.migrate();
  } catch (err) {
    // Do not leak a pool or file handle when the database is unreachable or the schema is broken.
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
