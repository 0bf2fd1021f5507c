// WebhookRepo on PostgreSQL. A claim locks its due rows with FOR UPDATE SKIP LOCKED, so concurrent
// senders (several api processes) take different deliveries and never wait on each other.
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
import { num, toCount } from '../rows.js';
import { insertSql, pgPlaceholder } from '../sql.js';
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
import type { PgDb } from './postgres.db.js';

const SQL = webhookSql(pgPlaceholder);
const CLAIM = `WITH claimed AS (
    UPDATE webhook_deliveries SET ${claimSetSql(pgPlaceholder)}
    WHERE id IN (${dueIdsSql(pgPlaceholder, 4)} FOR UPDATE SKIP LOCKED)
    RETURNING *)
  SELECT claimed.*, ${CLAIM_ENDPOINT_COLUMNS} FROM claimed JOIN webhook_endpoints e ON e.id = claimed.endpoint_id
  ORDER BY claimed.next_attempt_at, claimed.id`;

/** Webhook endpoints, their deliveries and the attempts made. */
export class PgWebhookRepo implements WebhookRepo {
  constructor(private readonly db: PgDb) {}

  async createEndpoint(e: NewWebhookEndpoint): Promise<WebhookEndpointRecord> {
    const q = insertSql('webhook_endpoints', endpointValues(e), pgPlaceholder);
    const [r] = await this.db.query(q.text, q.params);
    return toWebhookEndpoint(r ?? {});
  }

  async getEndpoint(clientId: string, id: string): Promise<WebhookEndpointRecord | null> {
    const [r] = await this.db.query(SQL.getEndpoint, [id, clientId]);
    return r ? toWebhookEndpoint(r) : null;
  }

  async listEndpoints(clientId: string, page: WebhookEndpointPage): Promise<WebhookEndpointRecord[]> {
    const q = listEndpointsSql(clientId, page, pgPlaceholder);
    return (await this.db.query(q.text, q.params)).map(toWebhookEndpoint);
  }

  deleteEndpoint(clientId: string, id: string, now: number): Promise<boolean> {
    return this.db.tx(async (q) => {
      if ((await q(`${SQL.deleteEndpoint} RETURNING id`, [now, id, clientId])).length === 0) return false;
      await q(SQL.killPending, [now, now, id]);
      return true;
    });
  }

  async listDeliveries(endpointId: string, page: WebhookDeliveryPage): Promise<WebhookDeliveryRecord[]> {
    const q = listDeliveriesSql(endpointId, page, pgPlaceholder);
    return (await this.db.query(q.text, q.params)).map(toWebhookDelivery);
  }

  async getDelivery(endpointId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    const [r] = await this.db.query(SQL.getDelivery, [id, endpointId]);
    return r ? toWebhookDelivery(r) : null;
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttemptRecord[]> {
    if (deliveryIds.length === 0) return [];
    const q = attemptsOfSql(deliveryIds, pgPlaceholder);
    return (await this.db.query(q.text, q.params)).map(toWebhookAttempt);
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<DueWebhookDelivery[]> {
    return (await this.db.query(CLAIM, [owner, now + leaseMs, now, now, now, limit])).map(toDueDelivery);
  }

  recordAttempt(
    id: string,
    owner: string,
    result: WebhookAttemptResult,
    outcome: WebhookOutcome,
  ): Promise<boolean> {
    return this.db.tx(async (q) => {
      const [r] = await q(SQL.settle, settleParams(id, owner, result, outcome));
      if (!r) return false;
      await q(SQL.insertAttempt, attemptParams(id, num(r.attempts, 'attempts'), result));
      return true;
    });
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.query(SQL.release, [id, owner]);
  }

  async retry(endpointId: string, id: string, now: number): Promise<WebhookRetryResult> {
    const [r] = await this.db.query(SQL.retry, [now, now, id, endpointId, now]);
    if (r) return { delivery: toWebhookDelivery(r) };
    return (await this.getDelivery(endpointId, id)) ? 'in_flight' : null;
  }

  sweep(before: number, now: number): Promise<number> {
    return this.db.tx(async (q) => {
      await q(SQL.killOrphans, [now, now]);
      await q(SQL.sweepAttempts, [before]);
      const [r] = await q(
        `WITH swept AS (${SQL.sweepDeliveries} RETURNING 1) SELECT count(*) AS n FROM swept`,
        [before],
      );
      return toCount(r);
    });
  }
}
