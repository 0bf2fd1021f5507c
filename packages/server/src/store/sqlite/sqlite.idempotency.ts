// IdempotencyRepo on SQLite (records are written by SqliteGenerationRepo.admit, in its transaction).
import type { IdempotencyRecord, IdempotencyRepo } from '../store.js';
import { findIdempotencySql, sweepIdempotencySql, toIdempotency } from '../idempotency.sql.js';
import { sqlitePlaceholder } from '../sql.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

export class SqliteIdempotencyRepo implements IdempotencyRepo {
  constructor(private readonly db: SqliteDb) {}

  find(clientId: string, key: string, liveSince: number): Promise<IdempotencyRecord | null> {
    return deferred(() => {
      const r = this.db.get(findIdempotencySql(sqlitePlaceholder), [clientId, key, liveSince]);
      return r ? toIdempotency(r) : null;
    });
  }

  sweep(before: number): Promise<number> {
    return deferred(() => this.db.run(sweepIdempotencySql(sqlitePlaceholder), [before]));
  }
}
