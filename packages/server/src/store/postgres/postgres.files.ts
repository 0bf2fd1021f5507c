// FileRepo on PostgreSQL. A claim locks its candidate with FOR UPDATE SKIP LOCKED, so concurrent
// ingesters take different files and never wait on each other.
import type { FilePage, FileRecord, FileRepo, FileSettlement, IngestOutcome, NewFile } from '../store.js';
import { claimCandidateSql, fileSql, listFilesSql } from '../files.sql.js';
import { fileValues, toFile } from '../rows.js';
import { insertSql, pgPlaceholder } from '../sql.js';
import type { PgDb } from './postgres.db.js';

const SQL = fileSql(pgPlaceholder);

const CLAIM = `UPDATE files SET ingest_owner = $1, ingest_lease_expires_at = $2,
    ingest_attempts = ingest_attempts + 1, updated_at = $3
  WHERE id = (${claimCandidateSql(pgPlaceholder, 3)} FOR UPDATE SKIP LOCKED)
  RETURNING *`;

/** Files: metadata, ingest claims and the janitor's transitions. */
export class PgFileRepo implements FileRepo {
  constructor(private readonly db: PgDb) {}

  async create(f: NewFile): Promise<FileRecord> {
    const q = insertSql('files', fileValues(f), pgPlaceholder);
    const [r] = await this.db.query(q.text, q.params);
    return toFile(r ?? {});
  }

  async get(clientId: string, id: string): Promise<FileRecord | null> {
    const [r] = await this.db.query(SQL.get, [id, clientId]);
    return r ? toFile(r) : null;
  }

  async list(clientId: string, page: FilePage): Promise<FileRecord[]> {
    const q = listFilesSql(clientId, page, pgPlaceholder);
    return (await this.db.query(q.text, q.params)).map(toFile);
  }

  async markCompleted(clientId: string, id: string, now: number): Promise<boolean> {
    return (await this.db.query(`${SQL.markCompleted} RETURNING id`, [now, now, id, clientId])).length > 0;
  }

  async claimIngest(
    owner: string,
    now: number,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<FileRecord | null> {
    const [r] = await this.db.query(CLAIM, [owner, now + leaseMs, now, maxAttempts]);
    return r ? toFile(r) : null;
  }

  async finishIngest(id: string, owner: string, o: IngestOutcome, now: number): Promise<boolean> {
    const [blobKey, reason] = o.state === 'ready' ? [o.blobKey, null] : [null, o.reason];
    const params = [o.state, o.storedSize, blobKey, reason, now, id, owner];
    return (await this.db.query(`${SQL.finish} RETURNING id`, params)).length > 0;
  }

  async softDelete(clientId: string, id: string, now: number): Promise<FileRecord | null> {
    await this.db.query(SQL.softDelete, [now, now, id, clientId]);
    return this.get(clientId, id);
  }

  async settle(now: number, abandonedBefore: number, maxAttempts: number): Promise<FileSettlement> {
    const count = async (sql: string, params: number[]): Promise<number> =>
      (await this.db.query(`${sql} RETURNING id`, params)).length;
    return {
      expired: await count(SQL.expire, [now, now]),
      abandoned: await count(SQL.abandon, [now, abandonedBefore]),
      exhausted: await count(SQL.exhaust, [now, maxAttempts, now]),
    };
  }

  async listPurgeable(before: number, limit: number): Promise<FileRecord[]> {
    return (await this.db.query(SQL.purgeable, [before, before, limit])).map(toFile);
  }

  async markPurged(id: string, now: number): Promise<void> {
    await this.db.query(SQL.markPurged, [now, id]);
  }
}
