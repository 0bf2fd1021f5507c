// Generation statements written once for both dialects (only the bind placeholders differ, and every
// placeholder is used once, in order, so SQLite's `?` binds alike).
import type { GenerationType, Model } from '../contract/wire.js';
import type { GenerationPage, QueueStat, ReapedJob } from './store.js';
import { olderThan, type Placeholder, type Sql } from './sql.js';
import { kindFilter, num, str, toNumberOrNull, type Raw, type SqlValue } from './rows.js';

/**
 * Migration 5: a client's generations newest first, the order `GET /v1/generations` pages through. The
 * filters (state, type, model) are checked on the rows the index walks; a page stops after `limit + 1`.
 */
export const GENERATIONS_LIST_DDL = `
CREATE INDEX generations_client_created_idx ON generations (client_id, created_at, id);
`;

/**
 * Migration 9: a filtered page reads only its own rows. Before it, a page filtered by state, type or
 * model walked the client's newest-first index and checked each row, so a filter that matches few of a
 * client's rows (`state=queued`, a type it rarely asks for) read the client's whole history: over a
 * second at a million rows (issue 15, "Scale"). One index per filter, each in page order, serves the
 * filter with the others checked on the rows it walks. The state one replaces (client_id, state,
 * created_at), which it extends (the count of a client's active jobs at admission reads it the same
 * way); (state, created_at) goes too: the one query that used it (expiring stale active jobs) reads only
 * active rows, which any index that starts with the state finds.
 */
export const GENERATIONS_FILTERED_LIST_DDL = `
CREATE INDEX generations_client_state_list_idx ON generations (client_id, state, created_at, id);
CREATE INDEX generations_client_type_list_idx ON generations (client_id, type, created_at, id);
CREATE INDEX generations_client_model_list_idx ON generations (client_id, model, created_at, id);
DROP INDEX generations_client_state_idx;
DROP INDEX generations_created_idx;
`;

/**
 * The queue's head, the row a claim takes: the next due queued row of `kinds` (any kind when undefined),
 * in claim order. Placeholders from `from`: the time, then the kinds.
 */
export const queueHeadSql = (ph: Placeholder, from: number, kinds?: readonly string[]): string =>
  `SELECT id FROM generations WHERE state = 'queued' AND run_after <= ${ph(from)}${kindFilter(kinds, ph, from + 1)}
   ORDER BY run_after, created_at, id LIMIT 1`;

/**
 * Migration 10: the queue in claim order, and nothing else. The claim index it replaces, (state, run_after,
 * created_at), held every generation ever made and lacked the id the claim orders by last, so PostgreSQL
 * sorted the whole due queue on every claim (issue 15, "Scale"). Only queued rows are in this one, in
 * exactly the claim's order: a claim reads one entry, however deep the queue and however long the history.
 * The state leads although it is always 'queued': SQLite, without statistics, would otherwise prefer the
 * lease index's equality on the state and sort. The other queries that started with the state use the
 * claim-by-kind or lease index, which start with it.
 */
export const GENERATIONS_QUEUE_DDL = `
CREATE INDEX generations_queue_idx ON generations (state, run_after, created_at, id) WHERE state = 'queued';
DROP INDEX generations_claim_idx;
`;

/** One page of a client's generations, newest first (created_at, then id, descending). */
export function listGenerationsSql(clientId: string, page: GenerationPage, ph: Placeholder): Sql {
  const params: SqlValue[] = [clientId];
  const next = (v: SqlValue): string => {
    params.push(v);
    return ph(params.length);
  };
  let where = `client_id = ${ph(1)}`;
  if (page.state !== null) where += ` AND state = ${next(page.state)}`;
  if (page.type !== null) where += ` AND type = ${next(page.type)}`;
  if (page.model !== null) where += ` AND model = ${next(page.model)}`;
  if (page.after !== null) where += ` AND ${olderThan(page.after, next)}`;
  return {
    text: `SELECT * FROM generations WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${next(page.limit)}`,
    params,
  };
}

/**
 * 1 + the queued rows of the same model a worker would claim before this one (claim order: run_after,
 * created_at, id); no row when it is not queued. Parameter: the generation's id. Reads queued rows only.
 */
export const queuePositionSql = (ph: Placeholder): string => `
SELECT 1 + (
  SELECT count(*) FROM generations g
  WHERE g.state = 'queued' AND g.model = me.model AND (g.run_after < me.run_after
    OR (g.run_after = me.run_after AND (g.created_at < me.created_at
      OR (g.created_at = me.created_at AND g.id < me.id))))
) AS n
FROM generations me WHERE me.id = ${ph(1)} AND me.state = 'queued'`;

/**
 * Queue depth, the earliest `run_after` of the queue and the running count, per model with any
 * non-terminal row (no parameters). Walks the claim-by-kind index, which starts with (state, model).
 */
export const QUEUE_STATS_SQL = `
SELECT model,
  sum(CASE WHEN state = 'queued' THEN 1 ELSE 0 END) AS queued,
  min(CASE WHEN state = 'queued' THEN run_after END) AS oldest_run_after,
  sum(CASE WHEN state = 'processing' THEN 1 ELSE 0 END) AS processing
FROM generations WHERE state IN ('queued', 'processing')
GROUP BY model ORDER BY model`;

/** Maps a row of {@link QUEUE_STATS_SQL}. */
export const toQueueStat = (r: Raw): QueueStat => ({
  model: str(r.model, 'model') as Model,
  queued: num(r.queued, 'queued'),
  oldestRunAfter: toNumberOrNull(r, 'oldest_run_after'),
  processing: num(r.processing, 'processing'),
});

/**
 * Hands a held job back to the queue without spending its attempt (GenerationRepo.release): `attempts`
 * keeps fencing the attempt handed back, so `max_attempts` is raised instead. Parameters: run_after, now,
 * id, lease owner.
 */
export const releaseSql = (ph: Placeholder): string => `
UPDATE generations
SET state = 'queued', run_after = ${ph(1)}, lease_owner = NULL, lease_expires_at = NULL, progress = 0,
    max_attempts = max_attempts + 1, updated_at = ${ph(2)}
WHERE id = ${ph(3)} AND state = 'processing' AND lease_owner = ${ph(4)}`;

/** Columns a reaping statement returns for each job it moved. */
export const REAPED_COLUMNS = 'id, model, type';

/** Maps a row with {@link REAPED_COLUMNS}. */
export const toReapedJob = (r: Raw): ReapedJob => ({
  id: str(r.id, 'id'),
  model: str(r.model, 'model') as Model,
  type: str(r.type, 'type') as GenerationType,
});
