// GenerationRepo on SQLite. Every multi-statement operation runs in BEGIN IMMEDIATE, so the whole
// read-check-write sequence holds the database write lock, which also excludes other processes.
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
  clampProgress,
  generationValues,
  settledCharge,
  toCount,
  toGeneration,
  toNumberOrNull,
  toReservation,
  videoMsParam,
  type Raw,
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
import { insertSql, sqlitePlaceholder } from '../sql.js';
import { toUsageBucket, usageSql } from '../usage.sql.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

const ACTIVE = `state IN ('queued', 'processing')`;
const HELD = `id = ? AND state = 'processing' AND lease_owner = ?`;
const EXPIRED = `state = 'processing' AND lease_expires_at < ?`;
const RELEASE = releaseSql(sqlitePlaceholder);
/** SET list of a failure; parameters: code, reason, now, now. */
const FAIL_SET = `state = 'failed', failure_code = ?, failure_reason = ?, lease_owner = NULL,
  lease_expires_at = NULL, updated_at = ?, completed_at = ?`;

/** An admission waiting for the next group commit. */
interface PendingAdmission {
  g: NewGeneration;
  limits: AdmitLimits;
  idem: NewIdempotencyKey | undefined;
  resolve: (r: AdmitResult | AdmitReplay) => void;
  reject: (err: unknown) => void;
}

/** Generations: admission, the job queue and its state machine. */
export class SqliteGenerationRepo implements GenerationRepo {
  private pending: PendingAdmission[] = [];

  constructor(private readonly db: SqliteDb) {}

  /**
   * Group commit: the admissions that arrive during one turn of the event loop are written in one
   * transaction, each in a savepoint of its own, and every one of them settles only after that shared
   * COMMIT — so a 201 still means the row is in the database. One admission that throws is undone alone;
   * a transaction that cannot begin or commit fails them all (nothing of theirs was written).
   */
  admit(g: NewGeneration, limits: AdmitLimits, idem?: NewIdempotencyKey): Promise<AdmitResult | AdmitReplay> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ g, limits, idem, resolve, reject }) === 1)
        setImmediate(() => void this.commitAdmissions());
    });
  }

  private async commitAdmissions(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    type Outcome = { ok: AdmitResult | AdmitReplay } | { err: unknown };
    let outcomes: Outcome[];
    try {
      outcomes = await deferred(() =>
        this.db.tx(() =>
          batch.map((a): Outcome => {
            try {
              return { ok: this.db.savepoint(() => this.admitOne(a.g, a.limits, a.idem)) };
            } catch (err) {
              return { err };
            }
          }),
        ),
      );
    } catch (err) {
      for (const a of batch) a.reject(err);
      return;
    }
    batch.forEach((a, i) => {
      const o = outcomes[i];
      if (o !== undefined && 'ok' in o) a.resolve(o.ok);
      else a.reject(o?.err);
    });
  }

  /** One admission, inside the group's transaction (which holds the write lock). */
  private admitOne(
    g: NewGeneration,
    limits: AdmitLimits,
    idem?: NewIdempotencyKey,
  ): AdmitResult | AdmitReplay {
    // BEGIN IMMEDIATE serialises admissions, so this look-up cannot be overtaken before the insert
    // below; the primary key on (client, key) still refuses a second record if it ever were.
    if (idem !== undefined) {
      const prior = this.db.get(findIdempotencySql(sqlitePlaceholder), [
        g.clientId,
        idem.key,
        idem.liveSince,
      ]);
      if (prior) return { replayOf: toIdempotency(prior) };
    }
    if (limits.concurrencyLimit !== null) {
      if (this.active(g.clientId, limits.activeSince) >= limits.concurrencyLimit)
        return 'too_many_concurrent';
    }
    const c = this.db.get('SELECT balance_micros FROM clients WHERE id = ?', [g.clientId]);
    const balance = toNumberOrNull(c, 'balance_micros');
    if (balance !== null) {
      if (balance < g.priceMicros) return 'insufficient_balance';
      this.db.run('UPDATE clients SET balance_micros = balance_micros - ? WHERE id = ?', [
        g.priceMicros,
        g.clientId,
      ]);
    }
    const q = insertSql('generations', generationValues(g), sqlitePlaceholder);
    const inserted = this.db.get(q.text, q.params);
    if (inserted === undefined) throw new Error(`generation ${g.id} was not inserted`);
    if (idem !== undefined) {
      const took = this.db.get(recordIdempotencySql(sqlitePlaceholder), [
        g.clientId,
        idem.key,
        idem.requestHash,
        g.id,
        g.createdAt,
        idem.liveSince,
      ]);
      // Unreachable under the write lock; throwing rolls the generation back with it.
      if (!took) throw new Error(`idempotency key of client ${g.clientId} taken during admission`);
    }
    return { admitted: toGeneration(inserted) };
  }

  get(id: string): Promise<GenerationRow | null> {
    return deferred(() => {
      const r = this.db.get('SELECT * FROM generations WHERE id = ?', [id]);
      return r ? toGeneration(r) : null;
    });
  }

  list(clientId: string, page: GenerationPage): Promise<GenerationRow[]> {
    return deferred(() => {
      const q = listGenerationsSql(clientId, page, sqlitePlaceholder);
      return this.db.all(q.text, q.params).map(toGeneration);
    });
  }

  countActive(clientId: string, since: number): Promise<number> {
    return deferred(() => this.active(clientId, since));
  }

  claim(
    workerId: string,
    now: number,
    leaseMs: number,
    kinds?: readonly string[],
  ): Promise<GenerationRow | null> {
    // One statement: an UPDATE takes the write lock before evaluating its subquery, so two processes
    // cannot pick the same row.
    return deferred(() => {
      const r = this.db.get(
        `UPDATE generations
         SET state = 'processing', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1,
             progress = 0, updated_at = ?
         WHERE id = (${queueHeadSql(sqlitePlaceholder, 0, kinds)})
         RETURNING *`,
        [workerId, now + leaseMs, now, now, ...(kinds ?? [])],
      );
      return r ? toGeneration(r) : null;
    });
  }

  heartbeat(id: string, workerId: string, now: number, leaseMs: number, progress: number): Promise<boolean> {
    return deferred(
      () =>
        this.db.run(
          `UPDATE generations SET lease_expires_at = ?, progress = ?, updated_at = ? WHERE ${HELD}`,
          [now + leaseMs, clampProgress(progress), now, id, workerId],
        ) === 1,
    );
  }

  complete(
    id: string,
    workerId: string,
    outputs: StoredOutput[],
    now: number,
    facts?: CompletionFacts,
  ): Promise<boolean> {
    // Under the write lock the reservation read here is the one the UPDATE replaces.
    return deferred(() =>
      this.db.tx(() => {
        const held = this.db.get(`SELECT client_id, price_micros FROM generations WHERE ${HELD}`, [
          id,
          workerId,
        ]);
        if (!held) return false;
        const reserved = toReservation(held);
        const charge = settledCharge(reserved.priceMicros, facts?.chargeMicros);
        this.db.run(
          `UPDATE generations
           SET state = 'completed', outputs = ?, completed_at = ?, updated_at = ?, lease_owner = NULL,
               lease_expires_at = NULL, progress = 1, upstream_id = ?, price_micros = ?, video_ms = ?
           WHERE ${HELD}`,
          [
            JSON.stringify(outputs),
            now,
            now,
            facts?.upstreamId ?? null,
            charge,
            videoMsParam(facts?.videoMs),
            id,
            workerId,
          ],
        );
        this.refund([{ client_id: reserved.clientId, price_micros: reserved.priceMicros - charge }]);
        return true;
      }),
    );
  }

  fail(
    id: string,
    workerId: string,
    code: FailureCode,
    reason: string,
    now: number,
    facts?: { upstreamId: string | null },
  ): Promise<boolean> {
    return deferred(() =>
      this.db.tx(() => {
        const failed = this.db.all(
          `UPDATE generations SET ${FAIL_SET}, upstream_id = coalesce(?, upstream_id)
           WHERE ${HELD} RETURNING client_id, price_micros`,
          [code, reason, now, now, facts?.upstreamId ?? null, id, workerId],
        );
        this.refund(failed);
        return failed.length === 1;
      }),
    );
  }

  requeue(id: string, workerId: string, runAfter: number, now: number): Promise<boolean> {
    return deferred(
      () =>
        this.db.run(
          `UPDATE generations
           SET state = 'queued', run_after = ?, lease_owner = NULL, lease_expires_at = NULL, progress = 0,
               updated_at = ?
           WHERE ${HELD}`,
          [runAfter, now, id, workerId],
        ) === 1,
    );
  }

  release(id: string, workerId: string, runAfter: number, now: number): Promise<boolean> {
    return deferred(() => this.db.run(RELEASE, [runAfter, now, id, workerId]) === 1);
  }

  reapExpired(now: number): Promise<{ requeued: ReapedJob[]; failed: ReapedJob[] }> {
    return deferred(() =>
      this.db.tx(() => {
        const requeued = this.db.all(
          `UPDATE generations
           SET state = 'queued', run_after = ?, lease_owner = NULL, lease_expires_at = NULL, progress = 0,
               updated_at = ?
           WHERE ${EXPIRED} AND attempts < max_attempts RETURNING ${REAPED_COLUMNS}`,
          [now, now, now],
        );
        const failed = this.db.all(
          `UPDATE generations SET ${FAIL_SET} WHERE ${EXPIRED} AND attempts >= max_attempts
           RETURNING client_id, price_micros, ${REAPED_COLUMNS}`,
          [LOST_JOB.code, LOST_JOB.reason, now, now, now],
        );
        this.refund(failed);
        return { requeued: requeued.map(toReapedJob), failed: failed.map(toReapedJob) };
      }),
    );
  }

  cancel(clientId: string, id: string, reason: string, now: number): Promise<CancelResult | null> {
    return deferred(() =>
      this.db.tx((): CancelResult | null => {
        const failed = this.db.all(
          `UPDATE generations SET ${FAIL_SET} WHERE id = ? AND client_id = ? AND ${ACTIVE}
           RETURNING client_id, price_micros`,
          [CANCEL_CODE, reason, now, now, id, clientId],
        );
        this.refund(failed);
        const r = this.db.get('SELECT * FROM generations WHERE id = ? AND client_id = ?', [id, clientId]);
        if (!r) return null;
        return { outcome: failed.length === 1 ? 'canceled' : 'terminal', row: toGeneration(r) };
      }),
    );
  }

  queuePosition(id: string): Promise<number | null> {
    return deferred(() => {
      const r = this.db.get(queuePositionSql(sqlitePlaceholder), [id]);
      return r ? toCount(r) : null;
    });
  }

  expireStale(before: number, now: number): Promise<ReapedJob[]> {
    return deferred(() =>
      this.db.tx(() => {
        const failed = this.db.all(
          `UPDATE generations SET ${FAIL_SET} WHERE ${ACTIVE} AND created_at < ?
           RETURNING client_id, price_micros, ${REAPED_COLUMNS}`,
          [LOST_JOB.code, LOST_JOB.reason, now, now, before],
        );
        this.refund(failed);
        return failed.map(toReapedJob);
      }),
    );
  }

  queueStats(): Promise<QueueStat[]> {
    return deferred(() => this.db.all(QUEUE_STATS_SQL).map(toQueueStat));
  }

  usage(w: UsageWindow): Promise<UsageBucket[]> {
    return deferred(() => {
      const q = usageSql(w, sqlitePlaceholder);
      return this.db.all(q.text, q.params).map((r) => toUsageBucket(r, w.groupBy));
    });
  }

  private active(clientId: string, since: number): number {
    return toCount(
      this.db.get(
        `SELECT count(*) AS n FROM generations WHERE client_id = ? AND ${ACTIVE} AND created_at >= ?`,
        [clientId, since],
      ),
    );
  }

  /**
   * Gives reservations (of failed rows, or what a completion did not charge) back to metered balances;
   * call inside the transaction of the transition.
   */
  private refund(failed: Raw[]): void {
    for (const { clientId, priceMicros } of failed.map(toReservation)) {
      if (priceMicros === 0) continue;
      this.db.run(
        'UPDATE clients SET balance_micros = balance_micros + ? WHERE id = ? AND balance_micros IS NOT NULL',
        [priceMicros, clientId],
      );
    }
  }
}
