// IdempotencyRepo on PostgreSQL (records are written by PgGenerationRepo.admit, in its transaction).
import type { IdempotencyRecord, IdempotencyRepo } from '../store.js';
import { findIdempotencySql, sweepIdempotencySql, toIdempotency } from '../idempotency.sql.js';
import { toCount } from '../rows.js';
import { pgPlaceholder } from '../sql.js';
import type { PgDb } from './postgres.db.js';

export class PgIdempotencyRepo implements IdempotencyRepo {
  constructor(private readonly db: PgDb) {}

  async find(clientId: string, key: string, liveSince: number): Promise<IdempotencyRecord | null> {
    const [r] = await this.db.query(findIdempotencySql(pgPlaceholder), [clientId, key, liveSince]);
    return r ? toIdempotency(r) : null;
  }

  async sweep(before: number): Promise<number> {
    const [r] = await this.db.query(
      `WITH swept AS (${sweepIdempotencySql(pgPlaceholder)} RETURNING 1) SELECT count(*) AS n FROM swept`,
      [before],
    );
    return toCount(r);
  }
}
