// WorkerRepo on PostgreSQL.
import type { SeenWorker, WorkerRepo, WorkerTokenRecord } from '../store.js';
import { toSeenWorker, toWorkerToken, workerTokenValues } from '../rows.js';
import { insertSql, pgPlaceholder } from '../sql.js';
import { workerSql } from '../workers.sql.js';
import type { PgDb } from './postgres.db.js';

const SQL = workerSql(pgPlaceholder);

/** Worker tokens and the remote worker instances seen. */
export class PgWorkerRepo implements WorkerRepo {
  constructor(private readonly db: PgDb) {}

  async createToken(t: Omit<WorkerTokenRecord, 'revokedAt'>): Promise<WorkerTokenRecord> {
    const q = insertSql('worker_tokens', workerTokenValues(t), pgPlaceholder);
    const [r] = await this.db.query(q.text, q.params);
    return toWorkerToken(r ?? {});
  }

  async findTokenByHash(hash: string): Promise<WorkerTokenRecord | null> {
    const [r] = await this.db.query(SQL.byHash, [hash]);
    return r ? toWorkerToken(r) : null;
  }

  async listTokens(): Promise<WorkerTokenRecord[]> {
    return (await this.db.query(SQL.list)).map(toWorkerToken);
  }

  async revokeToken(name: string, now: number): Promise<boolean> {
    return (await this.db.query(`${SQL.revoke} RETURNING id`, [now, name])).length > 0;
  }

  async seen(tokenId: string, instance: string, kinds: readonly string[], now: number): Promise<void> {
    await this.db.query(SQL.seen, [tokenId, instance, JSON.stringify(kinds), now]);
  }

  async listSeen(since: number): Promise<SeenWorker[]> {
    return (await this.db.query(SQL.listSeen, [since])).map(toSeenWorker);
  }
}
