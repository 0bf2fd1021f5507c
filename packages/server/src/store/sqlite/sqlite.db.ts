// The thin layer over better-sqlite3: connection setup, cached statements, write transactions.
import Database from 'better-sqlite3';
import type { Raw, SqlValue } from '../rows.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyUnavailable, unavailableIf } from '../../unavailable.js';

/**
 * SQLite result codes of a file that cannot be used now — locked by another process past the busy wait,
 * on a full or failing disk, read-only, gone — as opposed to a statement that is wrong (issue 12,
 * "Faults"). Extended codes (`SQLITE_IOERR_WRITE`, `SQLITE_READONLY_DBMOVED`…) start with these.
 */
const OUTAGE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
];

export const isSqliteOutage = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && OUTAGE_CODES.some((c) => code === c || code.startsWith(`${c}_`));
};

/** Runs driver work; an outage becomes `database unavailable`, anything else passes unchanged. */
const guarded = <T>(fn: () => T): T => {
  try {
    return fn();
  } catch (err) {
    throw unavailableIf('database', err, isSqliteOutage);
  }
};

/**
 * How long one statement waits, inside the driver, for another process's write lock. The driver is
 * synchronous — the wait blocks this process — so it is short; `deferred` then waits between attempts
 * without blocking, up to BUSY_WAIT_MS in all.
 */
const BUSY_TIMEOUT_MS = 100;
/**
 * How long an operation waits in all for the write lock before it answers `database unavailable`: long
 * enough for the short transactions processes share, short enough that a file locked for good answers
 * 503 within two seconds.
 */
const BUSY_WAIT_MS = 1500;

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
};

/** One connection to a SQLite file, shared by the repositories of one Store. */
export class SqliteDb {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(readonly raw: Database.Database) {}

  /** Opens (creating) the file with the settings every process must agree on. */
  static open(path: string): SqliteDb {
    const db = new Database(path);
    // WAL lets the api process read while a worker writes; NORMAL is durable across app crashes in WAL.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Other processes hold the write lock briefly; wait for it instead of failing with SQLITE_BUSY.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    // Savepoints (one per admission of a group commit) keep each changed page's old copy in a statement
    // journal, a temporary file by default: a pwrite per page, a fifth of a POST's CPU in a profile
    // (issue 15). It only serves rolling back a savepoint inside a transaction, never crash recovery (the
    // WAL does that), so memory holds it; it lives no longer than one admission.
    db.pragma('temp_store = MEMORY');
    return new SqliteDb(db);
  }

  /**
   * Checks that the file at `path` takes writes, on a connection of its own: it must still be there (a
   * moved or replaced file fails to open) and its write lock must come within `busyMs`. The lock is
   * taken and released without writing anything. Blocks the thread for at most `busyMs` (the driver is
   * synchronous), which is why the wait is short and not the shared connection's.
   */
  static probeWritable(path: string, busyMs: number): void {
    const probe = new Database(path, { fileMustExist: true, timeout: busyMs });
    try {
      probe.exec('BEGIN IMMEDIATE');
      probe.exec('ROLLBACK');
    } finally {
      probe.close();
    }
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  all(sql: string, params: SqlValue[] = []): Raw[] {
    return guarded(() => this.stmt(sql).all(...params) as Raw[]);
  }

  get(sql: string, params: SqlValue[] = []): Raw | undefined {
    return guarded(() => this.stmt(sql).get(...params) as Raw | undefined);
  }

  /** Runs a statement that returns no rows; the number of rows it changed. */
  run(sql: string, params: SqlValue[] = []): number {
    return guarded(() => this.stmt(sql).run(...params).changes);
  }

  /**
   * Runs `fn` in BEGIN IMMEDIATE: the write lock is taken before the first read, so a read-then-write
   * cannot be overtaken by another process (and cannot fail later with SQLITE_BUSY_SNAPSHOT).
   */
  tx<T>(fn: () => T): T {
    return guarded(() => this.raw.transaction(fn).immediate());
  }

  /**
   * Runs `fn` as a SAVEPOINT of the transaction in progress (inside `tx`): a throw undoes only what `fn`
   * wrote, and the transaction goes on.
   */
  savepoint<T>(fn: () => T): T {
    return this.raw.transaction(fn)();
  }

  close(): void {
    this.raw.close();
  }
}

/**
 * Runs synchronous driver work behind the async port; a throw becomes a rejection. Work the write lock
 * kept out is tried again, without blocking the process in between, for up to BUSY_WAIT_MS: each `fn` of
 * the repositories is one statement or one transaction, so a refused attempt wrote nothing.
 */
export async function deferred<T>(fn: () => T): Promise<T> {
  const started = Date.now();
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    try {
      return fn();
    } catch (err) {
      const busy = err instanceof DependencyUnavailable && isBusy(err.cause);
      if (!busy || Date.now() - started + pause > BUSY_WAIT_MS) throw err;
      await sleep(pause);
    }
  }
}
