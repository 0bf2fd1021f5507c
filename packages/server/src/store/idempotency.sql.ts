// Idempotency-key statements written once for both dialects (only the placeholders differ, and each is
// used once, in order, so SQLite's `?` binds alike).
import type { IdempotencyRecord } from './store.js';
import { num, str, type Raw } from './rows.js';
import type { Placeholder } from './sql.js';

/**
 * Migration 6: one row per (client, key). The primary key is what makes two racing creates with one key
 * insert one job: the second insert conflicts instead of passing a check it raced. The created_at index
 * serves the sweep of expired keys.
 */
export const IDEMPOTENCY_DDL = `
CREATE TABLE idempotency_keys (
  client_id TEXT NOT NULL REFERENCES clients (id),
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  generation_id TEXT NOT NULL REFERENCES generations (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
`;

/** The live record of a client's key; parameters: client, key, liveSince. */
export const findIdempotencySql = (ph: Placeholder): string =>
  `SELECT * FROM idempotency_keys WHERE client_id = ${ph(1)} AND key = ${ph(2)} AND created_at >= ${ph(3)}`;

/**
 * Records a key, taking over an expired record of it (one not yet swept) but never a live one: then no
 * row comes back. Parameters: client, key, hash, generation, created_at, liveSince.
 */
export const recordIdempotencySql = (ph: Placeholder): string =>
  `INSERT INTO idempotency_keys (client_id, key, request_hash, generation_id, created_at)
   VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)})
   ON CONFLICT (client_id, key) DO UPDATE SET request_hash = excluded.request_hash,
     generation_id = excluded.generation_id, created_at = excluded.created_at
   WHERE idempotency_keys.created_at < ${ph(6)}
   RETURNING client_id`;

export const sweepIdempotencySql = (ph: Placeholder): string =>
  `DELETE FROM idempotency_keys WHERE created_at < ${ph(1)}`;

export function toIdempotency(r: Raw): IdempotencyRecord {
  return {
    clientId: str(r.client_id, 'client_id'),
    key: str(r.key, 'key'),
    requestHash: str(r.request_hash, 'request_hash'),
    generationId: str(r.generation_id, 'generation_id'),
    createdAt: num(r.created_at, 'created_at'),
  };
}
