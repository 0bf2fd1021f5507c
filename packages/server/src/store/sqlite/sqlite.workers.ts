// WorkerRepo on SQLite.
import type { SeenWorker, WorkerRepo, WorkerTokenRecord } from '../store.js';
import { toSeenWorker, toWorkerToken, workerTokenValues } from '../rows.js';
import { insertSql, sqlitePlaceholder } from '../sql.js';
import { workerSql } from '../workers.sql.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

const SQL = workerSql(sqlitePlaceholder);

/** Worker tokens and the remote worker instances seen. */
export class SqliteWorkerRepo implements WorkerRepo {
  constructor(private readonly db: SqliteDb) {}

  createToken(t: Omit<WorkerTokenRecord, 'revokedAt'>): Promise<WorkerTokenRecord> {
    return deferred(() => {
      const q = insertSql('worker_tokens', workerTokenValues(t), sqlitePlaceholder);
      return toWorkerToken(this.db.get(q.text, q.params) ?? {});
    });
  }

  findTokenByHash(hash: string): Promise<WorkerTokenRecord | null> {
    return deferred(() => {
      const r = this.db.get(SQL.byHash, [hash]);
      return r ? toWorkerToken(r) : null;
    });
  }

  listTokens(): Promise<WorkerTokenRecord[]> {
    return deferred(() => this.db.all(SQL.list).map(toWorkerToken));
  }

  revokeToken(name: string, now: number): Promise<boolean> {
    return deferred(() => this.db.run(SQL.revoke, [now, name]) > 0);
  }

  seen(tokenId: string, instance: string, kinds: readonly string[], now: number): Promise<void> {
    return deferred(() => {
      this.db.run(SQL.seen, [tokenId, instance, JSON.stringify(kinds), now]);
    });
  }

  listSeen(since: number): Promise<SeenWorker[]> {
    return deferred(() => this.db.all(SQL.listSeen, [since]).map(toSeenWorker));
  }
}
