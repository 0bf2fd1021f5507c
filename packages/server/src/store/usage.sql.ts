// Tenants and usage (issue 12): migration 8 and the usage aggregate, written once for both dialects (the
// aggregate differs only in bind placeholders; the migration's backfill reads the stored request JSON,
// which each dialect spells its own way).
import type { UsageBucket, UsageWindow } from './store.js';
import { num, str, type Raw, type SqlValue } from './rows.js';
import type { Placeholder, Sql } from './sql.js';

/** Milliseconds in a UTC day: `created_at / DAY_MS` (integer division in both dialects) is the day number. */
export const DAY_MS = 86_400_000;

/**
 * Migration 8. `clients.is_admin` opens the admin API to a client's keys. `generations.user_id` copies the
 * request's `user_id` into a column (indexed, so usage per end user reads only that user's rows), backfilled
 * from the stored requests. `generations.video_ms` is the video a completed generation delivered, written
 * at completion; rows completed before this migration get it from their request where the request alone
 * settles it (type `video`: 5 s, or 10 s; an extend is one 5 s block), and none for edits and reframes,
 * whose length was never recorded.
 */
const tenantsDdl = (t: { bool: string; no: string; field: (path: string[]) => string }): string => `
ALTER TABLE clients ADD COLUMN is_admin ${t.bool} NOT NULL DEFAULT ${t.no};
ALTER TABLE generations ADD COLUMN user_id TEXT;
ALTER TABLE generations ADD COLUMN video_ms BIGINT;
UPDATE generations SET user_id = ${t.field(['user_id'])} WHERE ${t.field(['user_id'])} IS NOT NULL;
UPDATE generations SET video_ms = CASE
    WHEN ${t.field(['video', 'start_frame', 'generation_id'])} IS NOT NULL
      OR ${t.field(['video', 'end_frame', 'generation_id'])} IS NOT NULL THEN 5000
    WHEN ${t.field(['video', 'duration'])} = '10s' THEN 10000
    ELSE 5000 END
  WHERE state = 'completed' AND type = 'video';
CREATE INDEX generations_client_user_idx ON generations (client_id, user_id, created_at);
`;

/** Migration 8 on SQLite (JSON1's json_extract on the TEXT request). */
export const TENANTS_SQLITE_DDL = tenantsDdl({
  bool: 'INTEGER',
  no: '0',
  field: (path) => `json_extract(request, '$.${path.join('.')}')`,
});

/** Migration 8 on PostgreSQL (`#>>` on the JSONB request). */
export const TENANTS_POSTGRES_DDL = tenantsDdl({
  bool: 'BOOLEAN',
  no: 'false',
  field: (path) => `(request #>> '{${path.join(',')}}')`,
});

/**
 * The group expression of each `group_by`. Without one the rows are grouped by `client_id`, which the
 * WHERE clause fixes: one bucket, or none when the window is empty.
 */
const GROUP_KEY: Readonly<Record<NonNullable<UsageWindow['groupBy']> | 'none', string>> = {
  none: 'client_id',
  model: 'model',
  type: 'type',
  user_id: 'user_id',
  day: `created_at / ${DAY_MS}`,
};

const ACTIVE = `state IN ('queued', 'processing')`;

/**
 * One aggregate over a client's generations created in [start, end): counts by state, completed images,
 * delivered video, the settled prices of completed rows (what balances lost) and the reservations of
 * active ones. Failed rows count but cost nothing: their reservation was refunded when they failed. Walks
 * `generations_client_created_idx`, or `generations_client_user_idx` with a user filter.
 */
export function usageSql(w: UsageWindow, ph: Placeholder): Sql {
  const params: SqlValue[] = [];
  const bind = (v: SqlValue): string => {
    params.push(v);
    return ph(params.length);
  };
  const key = GROUP_KEY[w.groupBy ?? 'none'];
  let where = `client_id = ${bind(w.clientId)} AND created_at >= ${bind(w.start)} AND created_at < ${bind(w.end)}`;
  if (w.userId !== null) where += ` AND user_id = ${bind(w.userId)}`;
  const when = (cond: string, then = '1'): string => `sum(CASE WHEN ${cond} THEN ${then} ELSE 0 END)`;
  return {
    text: `SELECT ${w.groupBy === null ? 'NULL' : key} AS k,
  ${when(`state = 'queued'`)} AS queued,
  ${when(`state = 'processing'`)} AS processing,
  ${when(`state = 'completed'`)} AS completed,
  ${when(`state = 'failed'`)} AS failed,
  ${when(`state = 'completed' AND type IN ('image', 'image_edit')`)} AS images,
  ${when(`state = 'completed' AND video_ms IS NOT NULL`, 'video_ms')} AS video_ms,
  ${when(`state = 'completed'`, 'price_micros')} AS charged_micros,
  ${when(ACTIVE, 'price_micros')} AS reserved_micros
FROM generations WHERE ${where}
GROUP BY ${key}`,
    params,
  };
}

/** Maps a row of {@link usageSql} for `groupBy`. */
export function toUsageBucket(r: Raw, groupBy: UsageWindow['groupBy']): UsageBucket {
  return {
    // A day number comes back as a number (from pg as a bigint string); the other keys are text.
    key: r.k == null ? null : groupBy === 'day' ? num(r.k, 'k') : str(r.k, 'k'),
    queued: num(r.queued, 'queued'),
    processing: num(r.processing, 'processing'),
    completed: num(r.completed, 'completed'),
    failed: num(r.failed, 'failed'),
    images: num(r.images, 'images'),
    videoMs: num(r.video_ms, 'video_ms'),
    chargedMicros: num(r.charged_micros, 'charged_micros'),
    reservedMicros: num(r.reserved_micros, 'reserved_micros'),
  };
}
