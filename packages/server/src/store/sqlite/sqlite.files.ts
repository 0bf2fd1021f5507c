// FileRepo on SQLite. A claim is one UPDATE that re-checks the row it takes, inside BEGIN IMMEDIATE,
// so two processes can never ingest the same file.
import type { FilePage, FileRecord, FileRepo, FileSettlement, IngestOutcome, NewFile } from '../store.js';
import { fileSql, listFilesSql } from '../files.sql.js';
import { fileValues, toFile } from '../rows.js';
import { insertSql, sqlitePlaceholder } from '../sql.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

const SQL = fileSql(sqlitePlaceholder);

/** Files: metadata, ingest claims and the janitor's transitions. */
export class SqliteFileRepo implements FileRepo {
  constructor(private readonly db: SqliteDb) {}

  create(f: NewFile): Promise<FileRecord> {
    return deferred(() => {
      const q = insertSql('files', fileValues(f), sqlitePlaceholder);
      return toFile(this.db.get(q.text, q.params) ?? {});
    });
  }

  get(clientId: string, id: string): Promise<FileRecord | null> {
    return deferred(() => {
      const r = this.db.get(SQL.get, [id, clientId]);
      return r ? toFile(r) : null;
    });
  }

  list(clientId: string, page: FilePage): Promise<FileRecord[]> {
    return deferred(() => {
      const q = listFilesSql(clientId, page, sqlitePlaceholder);
      return this.db.all(q.text, q.params).map(toFile);
    });
  }

  markCompleted(clientId: string, id: string, now: number): Promise<boolean> {
    return deferred(() => this.db.run(SQL.markCompleted, [now, now, id, clientId]) > 0);
  }

  claimIngest(owner: string, now: number, leaseMs: number, maxAttempts: number): Promise<FileRecord | null> {
    return deferred(() =>
      this.db.tx(() => {
        const c = this.db.get(SQL.claimCandidate, [now, maxAttempts]);
        if (!c) return null;
        const id = String(c.id);
        const changed = this.db.run(SQL.claim, [owner, now + leaseMs, now, id, now, maxAttempts]);
        if (changed === 0) return null;
        const r = this.db.get(SQL.byId, [id]);
        return r ? toFile(r) : null;
      }),
    );
  }

  finishIngest(id: string, owner: string, o: IngestOutcome, now: number): Promise<boolean> {
    const [blobKey, reason] = o.state === 'ready' ? [o.blobKey, null] : [null, o.reason];
    return deferred(
      () => this.db.run(SQL.finish, [o.state, o.storedSize, blobKey, reason, now, id, owner]) > 0,
    );
  }

  softDelete(clientId: string, id: string, now: number): Promise<FileRecord | null> {
    return deferred(() =>
      this.db.tx(() => {
        this.db.run(SQL.softDelete, [now, now, id, clientId]);
        const r = this.db.get(SQL.get, [id, clientId]);
        return r ? toFile(r) : null;
      }),
    );
  }

  settle(now: number, abandonedBefore: number, maxAttempts: number): Promise<FileSettlement> {
    return deferred(() =>
      this.db.tx(() => ({
        expired: this.db.run(SQL.expire, [now, now]),
        abandoned: this.db.run(SQL.abandon, [now, abandonedBefore]),
        exhausted: this.db.run(SQL.exhaust, [now, maxAttempts, now]),
      })),
    );
  }

  listPurgeable(before: number, limit: number): Promise<FileRecord[]> {
    return deferred(() => this.db.all(SQL.purgeable, [before, before, limit]).map(toFile));
  }

  markPurged(id: string, now: number): Promise<void> {
    return deferred(() => {
      this.db.run(SQL.markPurged, [now, id]);
    });
  }
}
