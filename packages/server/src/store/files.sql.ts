// The files table (Files API): its DDL and statements, written once for both dialects (only the bind
// placeholders differ, and every placeholder is used once, in order, so SQLite's `?` binds alike).
import type { FilePage } from './store.js';
import { olderThan, type Placeholder, type Sql } from './sql.js';
import type { SqlValue } from './rows.js';

/** Migration 4 (identical in both dialects). */
export const FILES_DDL = `
CREATE TABLE files (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  mime_type TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('input', 'reference')),
  declared_size BIGINT,
  stored_size BIGINT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'ready', 'failed', 'deleted')),
  deleted_at BIGINT,
  expires_at BIGINT,
  failure_reason TEXT,
  filename TEXT,
  user_id TEXT,
  upload_mode TEXT NOT NULL CHECK (upload_mode IN ('inline', 'presigned')),
  staging_key TEXT NOT NULL,
  blob_key TEXT,
  completed_at BIGINT,
  ingest_attempts INTEGER NOT NULL,
  ingest_owner TEXT,
  ingest_lease_expires_at BIGINT,
  purged_at BIGINT
);
CREATE INDEX files_client_created_idx ON files (client_id, created_at, id);
CREATE INDEX files_ingest_idx ON files (state, completed_at);
CREATE INDEX files_expires_idx ON files (expires_at);
`;

/** The state a file answers with at a time bound by the caller: past `expires_at` it is deleted. */
const effectiveState = (ph: string): string =>
  `(CASE WHEN state <> 'deleted' AND expires_at IS NOT NULL AND expires_at <= ${ph} THEN 'deleted' ELSE state END)`;

/** A pending file whose bytes are there and whose lease (if any) lapsed; params: now, maxAttempts. */
const claimable = (ph: Placeholder, from: number): string =>
  `state = 'pending' AND completed_at IS NOT NULL
   AND (ingest_lease_expires_at IS NULL OR ingest_lease_expires_at < ${ph(from)})
   AND ingest_attempts < ${ph(from + 1)}`;

/** The file a claim takes: the longest-waiting claimable one; params from `from`: now, maxAttempts. */
export const claimCandidateSql = (ph: Placeholder, from: number): string =>
  `SELECT id FROM files WHERE ${claimable(ph, from)} ORDER BY completed_at, id LIMIT 1`;

export const fileSql = (ph: Placeholder) =>
  ({
    get: `SELECT * FROM files WHERE id = ${ph(1)} AND client_id = ${ph(2)}`,
    byId: `SELECT * FROM files WHERE id = ${ph(1)}`,
    // Only a presigned file waits for `complete`; an inline one arrived with its bytes.
    markCompleted: `UPDATE files SET completed_at = ${ph(1)}, updated_at = ${ph(2)}
      WHERE id = ${ph(3)} AND client_id = ${ph(4)} AND state = 'pending' AND upload_mode = 'presigned'
        AND completed_at IS NULL`,
    claimCandidate: claimCandidateSql(ph, 1),
    /** params: owner, lease end, now, id, now, maxAttempts (the claim re-checks the row it updates). */
    claim: `UPDATE files SET ingest_owner = ${ph(1)}, ingest_lease_expires_at = ${ph(2)},
        ingest_attempts = ingest_attempts + 1, updated_at = ${ph(3)}
      WHERE id = ${ph(4)} AND ${claimable(ph, 5)}`,
    /** params: state, stored size, blob key, failure reason, now, id, owner. */
    finish: `UPDATE files SET state = ${ph(1)}, stored_size = ${ph(2)}, blob_key = ${ph(3)},
        failure_reason = ${ph(4)}, ingest_owner = NULL, ingest_lease_expires_at = NULL, updated_at = ${ph(5)}
      WHERE id = ${ph(6)} AND state = 'pending' AND ingest_owner = ${ph(7)}`,
    /** params: now, now, id, client. */
    softDelete: `UPDATE files SET state = 'deleted', deleted_at = ${ph(1)}, updated_at = ${ph(2)}
      WHERE id = ${ph(3)} AND client_id = ${ph(4)} AND state <> 'deleted'`,
    /** params: now, now. An expired file was gone from its expiry on, so that is its deletion time. */
    expire: `UPDATE files SET state = 'deleted', deleted_at = expires_at, updated_at = ${ph(1)}
      WHERE state <> 'deleted' AND expires_at IS NOT NULL AND expires_at <= ${ph(2)}`,
    /** params: now, abandonedBefore. */
    abandon: `UPDATE files SET state = 'failed', updated_at = ${ph(1)},
        failure_reason = 'upload not completed: complete was not called before the upload URL expired'
      WHERE state = 'pending' AND completed_at IS NULL AND created_at < ${ph(2)}`,
    /** params: now, maxAttempts, now. */
    exhaust: `UPDATE files SET state = 'failed', updated_at = ${ph(1)}, ingest_owner = NULL,
        ingest_lease_expires_at = NULL,
        failure_reason = 'ingest failed: the file could not be processed; upload it again'
      WHERE state = 'pending' AND completed_at IS NOT NULL AND ingest_attempts >= ${ph(2)}
        AND (ingest_lease_expires_at IS NULL OR ingest_lease_expires_at < ${ph(3)})`,
    /** params: before, before, limit. */
    purgeable: `SELECT * FROM files WHERE purged_at IS NULL
        AND ((state = 'deleted' AND deleted_at < ${ph(1)}) OR (state = 'failed' AND updated_at < ${ph(2)}))
      ORDER BY updated_at LIMIT ${ph(3)}`,
    /** params: now, id. */
    markPurged: `UPDATE files SET purged_at = ${ph(1)} WHERE id = ${ph(2)}`,
  }) as const;

/** One page of a client's files, newest first, filtered on the state each answers with at `page.now`. */
export function listFilesSql(clientId: string, page: FilePage, ph: Placeholder): Sql {
  const params: SqlValue[] = [clientId];
  const next = (v: SqlValue): string => {
    params.push(v);
    return ph(params.length);
  };
  let where = `client_id = ${ph(1)}`;
  if (page.state !== null) where += ` AND ${effectiveState(next(page.now))} = ${next(page.state)}`;
  if (page.purpose !== null) where += ` AND purpose = ${next(page.purpose)}`;
  if (page.after !== null) where += ` AND ${olderThan(page.after, next)}`;
  return {
    text: `SELECT * FROM files WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${next(page.limit)}`,
    params,
  };
}
