// GenerationRepo on PostgreSQL. Each transition is one statement; failing transitions refund in the
// same statement through a data-modifying CTE, so no explicit transaction is needed except in admit().
import type {
  AdmitLimits,
  AdmitReplay,
  AdmitResult,
  CancelResult,
  CompletionFacts,
  GenerationPage,
  GenerationRepo,
  GenerationRow,
  NewGeneration,
  NewIdempotencyKey,
  QueueStat,
  ReapedJob,
  StoredOutput,
  UsageBucket,
  UsageWindow,
} from '../store.js';
import type { FailureCode } from '../../contract/wire.js';
import {
  CANCEL_CODE,
  LOST_JOB,
  chargeParam,
  clampProgress,
  generationValues,
  toCount,
  toGeneration,
  toNumberOrNull,
  videoMsParam,
} from '../rows.js';
import {
  QUEUE_STATS_SQL,
  REAPED_COLUMNS,
  listGenerationsSql,
  queueHeadSql,
  queuePositionSql,
  releaseSql,
  toQueueStat,
  toReapedJob,
} from '../generations.sql.js';
import { findIdempotencySql, recordIdempotencySql, toIdempotency } from '../idempotency.sql.js';
import { insertSql, pgPlaceholder } from '../sql.js';
import { toUsageBucket, usageSql } from '../usage.sql.js';
import type { PgDb } from './postgres.db.js';

const ACTIVE = `state IN ('queued', 'processing')`;
/** SQLSTATE of a unique constraint violation. */
const UNIQUE_VIOLATION = '23505';
const RELEASE = releaseSql(pgPlaceholder);
const REQUEUE_SET = `state = 'queued', lease_owner = NULL, lease_expires_at = NULL, progress = 0`;

/**
 * Fails the rows matched by `where` and gives their reservations back to metered balances, in one
 * statement; selects the count as `n`, or what `result` selects from `failed` (its rows carry
 * REAPED_COLUMNS). Parameters $1..$3 are code, reason and now; `where` uses $4 on. The refund is summed per
 * client because UPDATE … FROM updates each target row once.
 */
const failing = (where: string, more: { ctes?: string; result?: string; set?: string } = {}): string => `
WITH ${more.ctes ?? ''}failed AS (
  UPDATE generations
  SET state = 'failed', failure_code = $1, failure_reason = $2, lease_owner = NULL,
      lease_expires_at = NULL, updated_at = $3, completed_at = $3${more.set ?? ''}
  WHERE ${where}
  RETURNING client_id, price_micros, ${REAPED_COLUMNS}
), refunded AS (
  UPDATE clients c SET balance_micros = c.balance_micros + r.total
  FROM (SELECT client_id, sum(price_micros)::bigint AS total FROM failed GROUP BY client_id) r
  WHERE c.id = r.client_id AND c.balance_micros IS NOT NULL AND r.total <> 0
)
${more.result ?? 'SELECT count(*) AS n FROM failed'}`;

const FAIL_HELD = failing(`id = $4 AND state = 'processing' AND lease_owner = $5`, {
  set: ', upstream_id = coalesce($6, upstream_id)',
});
const EXPIRE_STALE = failing(`${ACTIVE} AND created_at < $4`, {
  result: `SELECT ${REAPED_COLUMNS} FROM failed`,
});
const CANCEL = failing(`id = $4 AND client_id = $5 AND ${ACTIVE}`);
// Both halves of the reaper in one statement: the requeue CTE and the failing CTE touch disjoint rows.
const REAP = failing(`state = 'processing' AND lease_expires_at < $3 AND attempts >= max_attempts`, {
  ctes: `requeued AS (
  UPDATE generations SET ${REQUEUE_SET}, run_after = $3, updated_at = $3
  WHERE state = 'processing' AND lease_expires_at < $3 AND attempts < max_attempts
  RETURNING ${REAPED_COLUMNS}
), `,
  result: `SELECT 'requeued' AS outcome, ${REAPED_COLUMNS} FROM requeued
UNION ALL SELECT 'failed', ${REAPED_COLUMNS} FROM failed`,
});

/**
 * Completes the held row and settles its price in one statement: the row keeps the smaller of its
 * reservation and the charge ($6; null = the reservation), and the difference goes back to a metered
 * balance. `r` reads the reservation being replaced (RETURNING only sees the new row); nothing else
 * changes a processing row's price, so it is the value the UPDATE overwrites.
 */
const COMPLETE_HELD = `
WITH done AS (
  UPDATE generations g
  SET state = 'completed', outputs = $3, completed_at = $4, updated_at = $4, lease_owner = NULL,
      lease_expires_at = NULL, progress = 1, upstream_id = $5,
      price_micros = LEAST(r.reserved, coalesce($6, r.reserved)), video_ms = $7
  FROM (SELECT id, price_micros AS reserved FROM generations WHERE id = $1) r
  WHERE g.id = r.id AND g.state = 'processing' AND g.lease_owner = $2
  RETURNING g.client_id, r.reserved - g.price_micros AS refund
), refunded AS (
  UPDATE clients c SET balance_micros = c.balance_micros + d.refund
  FROM done d
  WHERE c.id = d.client_id AND c.balance_micros IS NOT NULL AND d.refund <> 0
)
SELECT count(*) AS n FROM done`;

/** Generations: admission, the job queue and its state machine. */
export class PgGenerationRepo implements GenerationRepo {
  constructor(private readonly db: PgDb) {}

  async admit(
    g: NewGeneration,
    limits: AdmitLimits,
    idem?: NewIdempotencyKey,
  ): Promise<AdmitResult | AdmitReplay> {
    try {
      return await this.admitTx(g, limits, idem);
    } catch (err) {
      // The unique (client, key) constraint refused our record: another admission holds the key, and
      // this transaction (its generation included) rolled back. Hand back the record that won.
      if (idem === undefined || (err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
      const [prior] = await this.db.query(findIdempotencySql(pgPlaceholder), [
        g.clientId,
        idem.key,
        idem.liveSince,
      ]);
      if (!prior) throw err;
      return { replayOf: toIdempotency(prior) };
    }
  }

  private admitTx(
    g: NewGeneration,
    limits: AdmitLimits,
    idem?: NewIdempotencyKey,
  ): Promise<AdmitResult | AdmitReplay> {
    return this.db.tx(async (q): Promise<AdmitResult | AdmitReplay> => {
      // Locking the client row serialises admissions of one client, so the count and the balance
      // below cannot change until commit. NO KEY UPDATE still lets foreign-key checks through.
      const [c] = await q('SELECT balance_micros FROM clients WHERE id = $1 FOR NO KEY UPDATE', [g.clientId]);
      if (idem !== undefined) {
        const [prior] = await q(findIdempotencySql(pgPlaceholder), [g.clientId, idem.key, idem.liveSince]);
        if (prior) return { replayOf: toIdempotency(prior) };
      }
      if (limits.concurrencyLimit !== null) {
        const [n] = await q(
          `SELECT count(*) AS n FROM generations WHERE client_id = $1 AND ${ACTIVE} AND created_at >= $2`,
          [g.clientId, limits.activeSince],
        );
        if (toCount(n) >= limits.concurrencyLimit) return 'too_many_concurrent';
      }
      const balance = toNumberOrNull(c, 'balance_micros');
      if (balance !== null) {
        if (balance < g.priceMicros) return 'insufficient_balance';
        await q('UPDATE clients SET balance_micros = balance_micros - $1 WHERE id = $2', [
          g.priceMicros,
          g.clientId,
        ]);
      }
      const ins = insertSql('generations', generationValues(g), pgPlaceholder);
      const [inserted] = await q(ins.text, ins.params);
      if (inserted === undefined) throw new Error(`generation ${g.id} was not inserted`);
      if (idem !== undefined) {
        const took = await q(recordIdempotencySql(pgPlaceholder), [
          g.clientId,
          idem.key,
          idem.requestHash,
          g.id,
          g.createdAt,
          idem.liveSince,
        ]);
        // A live record appeared despite the lock: raise the same error a racing insert would.
        if (took.length === 0)
          throw Object.assign(new Error('idempotency key taken'), { code: UNIQUE_VIOLATION });
      }
      return { admitted: toGeneration(inserted) };
    });
  }

  async get(id: string): Promise<GenerationRow | null> {
    const [r] = await this.db.query('SELECT * FROM generations WHERE id = $1', [id]);
    return r ? toGeneration(r) : null;
  }

  async list(clientId: string, page: GenerationPage): Promise<GenerationRow[]> {
    const q = listGenerationsSql(clientId, page, pgPlaceholder);
    return (await this.db.query(q.text, q.params)).map(toGeneration);
  }

  async countActive(clientId: string, since: number): Promise<number> {
    const [r] = await this.db.query(
      `SELECT count(*) AS n FROM generations WHERE client_id = $1 AND ${ACTIVE} AND created_at >= $2`,
      [clientId, since],
    );
    return toCount(r);
  }

  async claim(
    workerId: string,
    now: number,
    leaseMs: number,
    kinds?: readonly string[],
  ): Promise<GenerationRow | null> {
    // SKIP LOCKED: concurrent claimers each lock a different due row instead of queueing on the first.
    const [r] = await this.db.query(
      `UPDATE generations g
       SET state = 'processing', lease_owner = $1, lease_expires_at = $2, attempts = g.attempts + 1,
           progress = 0, updated_at = $3
       FROM (${queueHeadSql(pgPlaceholder, 3, kinds)} FOR UPDATE SKIP LOCKED) next
       WHERE g.id = next.id
       RETURNING g.*`,
      [workerId, now + leaseMs, now, ...(kinds ?? [])],
    );
    return r ? toGeneration(r) : null;
  }

  async heartbeat(
    id: string,
    workerId: string,
    now: number,
    leaseMs: number,
    progress: number,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE generations SET lease_expires_at = $3, progress = $4, updated_at = $5
       WHERE id = $1 AND state = 'processing' AND lease_owner = $2 RETURNING id`,
      [id, workerId, now + leaseMs, clampProgress(progress), now],
    );
    return rows.length === 1;
  }

  async complete(
    id: string,
    workerId: string,
    outputs: StoredOutput[],
    now: number,
    facts?: CompletionFacts,
  ): Promise<boolean> {
    const [r] = await this.db.query(COMPLETE_HELD, [
      id,
      workerId,
      JSON.stringify(outputs),
      now,
      facts?.upstreamId ?? null,
      chargeParam(facts?.chargeMicros),
      videoMsParam(facts?.videoMs),
    ]);
    return toCount(r) === 1;
  }

  async fail(
    id: string,
    workerId: string,
    code: FailureCode,
    reason: string,
    now: number,
    facts?: { upstreamId: string | null },
  ): Promise<boolean> {
    const [r] = await this.db.query(FAIL_HELD, [code, reason, now, id, workerId, facts?.upstreamId ?? null]);
    return toCount(r) === 1;
  }

  async requeue(id: string, workerId: string, runAfter: number, now: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE generations SET ${REQUEUE_SET}, run_after = $3, updated_at = $4
       WHERE id = $1 AND state = 'processing' AND lease_owner = $2 RETURNING id`,
      [id, workerId, runAfter, now],
    );
    return rows.length === 1;
  }

  async release(id: string, workerId: string, runAfter: number, now: number): Promise<boolean> {
    const rows = await this.db.query(`${RELEASE} RETURNING id`, [runAfter, now, id, workerId]);
    return rows.length === 1;
  }

  async reapExpired(now: number): Promise<{ requeued: ReapedJob[]; failed: ReapedJob[] }> {
    const rows = await this.db.query(REAP, [LOST_JOB.code, LOST_JOB.reason, now]);
    return {
      requeued: rows.filter((r) => r.outcome === 'requeued').map(toReapedJob),
      failed: rows.filter((r) => r.outcome === 'failed').map(toReapedJob),
    };
  }

  async cancel(clientId: string, id: string, reason: string, now: number): Promise<CancelResult | null> {
    const [c] = await this.db.query(CANCEL, [CANCEL_CODE, reason, now, id, clientId]);
    const [r] = await this.db.query('SELECT * FROM generations WHERE id = $1 AND client_id = $2', [
      id,
      clientId,
    ]);
    if (!r) return null;
    return { outcome: toCount(c) === 1 ? 'canceled' : 'terminal', row: toGeneration(r) };
  }

  async queuePosition(id: string): Promise<number | null> {
    const [r] = await this.db.query(queuePositionSql(pgPlaceholder), [id]);
    return r ? toCount(r) : null;
  }

  async usage(w: UsageWindow): Promise<UsageBucket[]> {
    const q = usageSql(w, pgPlaceholder);
    return (await this.db.query(q.text, q.params)).map((r) => toUsageBucket(r, w.groupBy));
  }

  async expireStale(before: number, now: number): Promise<ReapedJob[]> {
    const rows = await this.db.query(EXPIRE_STALE, [LOST_JOB.code, LOST_JOB.reason, now, before]);
    return rows.map(toReapedJob);
  }

  async queueStats(): Promise<QueueStat[]> {
    return (await this.db.query(QUEUE_STATS_SQL)).map(toQueueStat);
  }
}
