// WebhookRepo on SQLite. A claim is one UPDATE whose subquery picks the due rows: an UPDATE takes the
// write lock before it evaluates the subquery, so two processes never lease the same delivery.
import type {
  DueWebhookDelivery,
  NewWebhookEndpoint,
  WebhookAttemptRecord,
  WebhookAttemptResult,
  WebhookDeliveryPage,
  WebhookDeliveryRecord,
  WebhookEndpointPage,
  WebhookEndpointRecord,
  WebhookOutcome,
  WebhookRepo,
  WebhookRetryResult,
} from '../store.js';
import { num } from '../rows.js';
import { insertSql, sqlitePlaceholder } from '../sql.js';
import {
  CLAIM_ENDPOINT_COLUMNS,
  attemptParams,
  attemptsOfSql,
  claimSetSql,
  dueIdsSql,
  endpointValues,
  listDeliveriesSql,
  listEndpointsSql,
  settleParams,
  toDueDelivery,
  toWebhookAttempt,
  toWebhookDelivery,
  toWebhookEndpoint,
  webhookSql,
} from '../webhooks.sql.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

const SQL = webhookSql(sqlitePlaceholder);
const CLAIM = `UPDATE webhook_deliveries SET ${claimSetSql(sqlitePlaceholder)}
  WHERE id IN (${dueIdsSql(sqlitePlaceholder, 4)}) RETURNING id`;
/** Whether any delivery is due; params: now, now, 1. */
const DUE = dueIdsSql(sqlitePlaceholder, 1);

/** Webhook endpoints, their deliveries and the attempts made. */
export class SqliteWebhookRepo implements WebhookRepo {
  constructor(private readonly db: SqliteDb) {}

  createEndpoint(e: NewWebhookEndpoint): Promise<WebhookEndpointRecord> {
    return deferred(() => {
      const q = insertSql('webhook_endpoints', endpointValues(e), sqlitePlaceholder);
      return toWebhookEndpoint(this.db.get(q.text, q.params) ?? {});
    });
  }

  getEndpoint(clientId: string, id: string): Promise<WebhookEndpointRecord | null> {
    return deferred(() => {
      const r = this.db.get(SQL.getEndpoint, [id, clientId]);
      return r ? toWebhookEndpoint(r) : null;
    });
  }

  listEndpoints(clientId: string, page: WebhookEndpointPage): Promise<WebhookEndpointRecord[]> {
    return deferred(() => {
      const q = listEndpointsSql(clientId, page, sqlitePlaceholder);
      return this.db.all(q.text, q.params).map(toWebhookEndpoint);
    });
  }

  deleteEndpoint(clientId: string, id: string, now: number): Promise<boolean> {
    return deferred(() =>
      this.db.tx(() => {
        if (this.db.run(SQL.deleteEndpoint, [now, id, clientId]) === 0) return false;
        this.db.run(SQL.killPending, [now, now, id]);
        return true;
      }),
    );
  }

  listDeliveries(endpointId: string, page: WebhookDeliveryPage): Promise<WebhookDeliveryRecord[]> {
    return deferred(() => {
      const q = listDeliveriesSql(endpointId, page, sqlitePlaceholder);
      return this.db.all(q.text, q.params).map(toWebhookDelivery);
    });
  }

  getDelivery(endpointId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    return deferred(() => {
      const r = this.db.get(SQL.getDelivery, [id, endpointId]);
      return r ? toWebhookDelivery(r) : null;
    });
  }

  attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttemptRecord[]> {
    return deferred(() => {
      if (deliveryIds.length === 0) return [];
      const q = attemptsOfSql(deliveryIds, sqlitePlaceholder);
      return this.db.all(q.text, q.params).map(toWebhookAttempt);
    });
  }

  claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<DueWebhookDelivery[]> {
    return deferred(() => {
      // Every write wakes the sender: when nothing is due, answer from a read instead of taking the
      // write lock, which every admission and heartbeat of every process needs too.
      if (this.db.get(DUE, [now, now, 1]) === undefined) return [];
      return this.db.tx(() => {
        const ids = this.db.all(CLAIM, [owner, now + leaseMs, now, now, now, limit]).map((r) => String(r.id));
        if (ids.length === 0) return [];
        const marks = ids.map(() => '?').join(', ');
        return this.db
          .all(
            `SELECT d.*, ${CLAIM_ENDPOINT_COLUMNS} FROM webhook_deliveries d
             JOIN webhook_endpoints e ON e.id = d.endpoint_id
             WHERE d.id IN (${marks}) ORDER BY d.next_attempt_at, d.id`,
            ids,
          )
          .map(toDueDelivery);
      });
    });
  }

  recordAttempt(
    id: string,
    owner: string,
    result: WebhookAttemptResult,
    outcome: WebhookOutcome,
  ): Promise<boolean> {
    return deferred(() =>
      this.db.tx(() => {
        const r = this.db.get(SQL.settle, settleParams(id, owner, result, outcome));
        if (!r) return false;
        this.db.run(SQL.insertAttempt, attemptParams(id, num(r.attempts, 'attempts'), result));
        return true;
      }),
    );
  }

  release(id: string, owner: string): Promise<void> {
    return deferred(() => {
      this.db.run(SQL.release, [id, owner]);
    });
  }

  retry(endpointId: string, id: string, now: number): Promise<WebhookRetryResult> {
    return deferred(() =>
      this.db.tx(() => {
        const r = this.db.get(SQL.retry, [now, now, id, endpointId, now]);
        if (r) return { delivery: toWebhookDelivery(r) };
        return this.db.get(SQL.getDelivery, [id, endpointId]) ? 'in_flight' : null;
      }),
    );
  }

  sweep(before: number, now: number): Promise<number> {
    return deferred(() =>
      this.db.tx(() => {
        this.db.run(SQL.killOrphans, [now, now]);
        this.db.run(SQL.sweepAttempts, [before]);
        return this.db.run(SQL.sweepDeliveries, [before]);
      }),
    );
  }
}
