// The webhook tables of migration 7 (events.sql.ts creates them and the fan-out trigger fills
// `webhook_deliveries`): statements written once for both dialects (only the bind placeholders differ,
// and every placeholder is used once, in order, so SQLite's `?` binds alike) and the row mapping.
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_EVENT_TYPES } from '../contract/webhook.wire.js';
import type { WebhookDeliveryState, WebhookEventType } from '../contract/webhook.wire.js';
import { num, str, type Raw, type SqlValue } from './rows.js';
import { olderThan, type Placeholder, type Sql } from './sql.js';
import type {
  NewWebhookEndpoint,
  WebhookAttemptRecord,
  WebhookAttemptResult,
  WebhookDeliveryPage,
  WebhookDeliveryRecord,
  WebhookEndpointPage,
  WebhookEndpointRecord,
  WebhookOutcome,
} from './webhooks.port.js';

/** Why the pending deliveries of a deleted endpoint end `dead`. */
export const ENDPOINT_DELETED = 'endpoint deleted';

/** A pending delivery that may be attempted at a time bound by the caller (two placeholders: now, now). */
const due = (now1: string, now2: string): string =>
  `state = 'pending' AND next_attempt_at <= ${now1}
   AND (lease_expires_at IS NULL OR lease_expires_at < ${now2})
   AND EXISTS (SELECT 1 FROM webhook_endpoints e
     WHERE e.id = webhook_deliveries.endpoint_id AND e.deleted_at IS NULL)`;

/** The ids a claim takes, earliest due first; params from `from`: now, now, limit. */
export const dueIdsSql = (ph: Placeholder, from: number): string =>
  `SELECT id FROM webhook_deliveries WHERE ${due(ph(from), ph(from + 1))}
   ORDER BY next_attempt_at, id LIMIT ${ph(from + 2)}`;

/** SET list of a claim; params: owner, lease end, now. */
export const claimSetSql = (ph: Placeholder): string =>
  `lease_owner = ${ph(1)}, lease_expires_at = ${ph(2)}, updated_at = ${ph(3)}`;

/** The endpoint columns a claim hands the sender, aliased so they cannot shadow the delivery's. */
export const CLAIM_ENDPOINT_COLUMNS = 'e.url AS endpoint_url, e.secret AS endpoint_secret';

export const webhookSql = (ph: Placeholder) =>
  ({
    /** params: id, client. */
    getEndpoint: `SELECT * FROM webhook_endpoints WHERE id = ${ph(1)} AND client_id = ${ph(2)} AND deleted_at IS NULL`,
    /** params: now, id, client. */
    deleteEndpoint: `UPDATE webhook_endpoints SET deleted_at = ${ph(1)}
      WHERE id = ${ph(2)} AND client_id = ${ph(3)} AND deleted_at IS NULL`,
    /** params: now, now, endpoint. Attempts on the wire are fenced out: their record needs `pending`. */
    killPending: `UPDATE webhook_deliveries SET state = 'dead', last_error = '${ENDPOINT_DELETED}',
        lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = ${ph(1)}, updated_at = ${ph(2)}
      WHERE endpoint_id = ${ph(3)} AND state = 'pending'`,
    /** params: id, endpoint. */
    getDelivery: `SELECT * FROM webhook_deliveries WHERE id = ${ph(1)} AND endpoint_id = ${ph(2)}`,
    /**
     * params: state, next attempt, status code, error, now, id, owner. The one condition that fences a
     * late sender: it still holds the lease of a delivery that is still pending.
     */
    settle: `UPDATE webhook_deliveries SET state = ${ph(1)}, attempts = attempts + 1, next_attempt_at = ${ph(2)},
        last_status_code = ${ph(3)}, last_error = ${ph(4)}, lease_owner = NULL, lease_expires_at = NULL,
        updated_at = ${ph(5)}
      WHERE id = ${ph(6)} AND lease_owner = ${ph(7)} AND state = 'pending'
      RETURNING attempts`,
    /** params: delivery, attempt, at, status code, error, duration. */
    insertAttempt: `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
      VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)}, ${ph(6)})`,
    /** params: id, owner. */
    release: `UPDATE webhook_deliveries SET lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ${ph(1)} AND lease_owner = ${ph(2)} AND state = 'pending'`,
    /** params: now, now, id, endpoint, now. Anything but an attempt on the wire becomes due now. */
    retry: `UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ${ph(1)}, lease_owner = NULL,
        lease_expires_at = NULL, updated_at = ${ph(2)}
      WHERE id = ${ph(3)} AND endpoint_id = ${ph(4)}
        AND NOT (state = 'pending' AND lease_expires_at IS NOT NULL AND lease_expires_at >= ${ph(5)})
      RETURNING *`,
    /** params: before. A settled delivery's next_attempt_at is when it settled (indexed with its state). */
    sweepAttempts: `DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries
      WHERE state IN ('delivered', 'dead') AND next_attempt_at < ${ph(1)})`,
    /** params: before. */
    sweepDeliveries: `DELETE FROM webhook_deliveries WHERE state IN ('delivered', 'dead') AND next_attempt_at < ${ph(1)}`,
    /** params: now, now. */
    killOrphans: `UPDATE webhook_deliveries SET state = 'dead', last_error = '${ENDPOINT_DELETED}',
        lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = ${ph(1)}, updated_at = ${ph(2)}
      WHERE state = 'pending' AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE deleted_at IS NOT NULL)`,
  }) as const;

/** Column values of `settle` for an outcome (params 1–2: state, next attempt time). */
export function settleParams(
  id: string,
  owner: string,
  r: WebhookAttemptResult,
  o: WebhookOutcome,
): SqlValue[] {
  const next = o.state === 'pending' ? o.nextAttemptAt : r.at;
  return [o.state, next, r.statusCode, r.error, r.at, id, owner];
}

/** The attempt row of a settled delivery whose counter is now `attempt`. */
export const attemptParams = (id: string, attempt: number, r: WebhookAttemptResult): SqlValue[] => [
  id,
  attempt,
  r.at,
  r.statusCode,
  r.error,
  r.durationMs,
];

/** A numbered-parameter builder for statements whose parameter count varies. */
function binder(ph: Placeholder): { params: SqlValue[]; bind: (v: SqlValue) => string } {
  const params: SqlValue[] = [];
  return {
    params,
    bind: (v) => {
      params.push(v);
      return ph(params.length);
    },
  };
}

/** One page of a client's live endpoints, newest first. */
export function listEndpointsSql(clientId: string, page: WebhookEndpointPage, ph: Placeholder): Sql {
  const { params, bind } = binder(ph);
  let where = `client_id = ${bind(clientId)} AND deleted_at IS NULL`;
  if (page.after !== null) where += ` AND ${olderThan(page.after, bind)}`;
  return {
    text: `SELECT * FROM webhook_endpoints WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${bind(page.limit)}`,
    params,
  };
}

/** One page of an endpoint's deliveries, newest first. */
export function listDeliveriesSql(endpointId: string, page: WebhookDeliveryPage, ph: Placeholder): Sql {
  const { params, bind } = binder(ph);
  let where = `endpoint_id = ${bind(endpointId)}`;
  if (page.state !== null) where += ` AND state = ${bind(page.state)}`;
  if (page.after !== null) where += ` AND ${olderThan(page.after, bind)}`;
  return {
    text: `SELECT * FROM webhook_deliveries WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${bind(page.limit)}`,
    params,
  };
}

/** The attempts of some deliveries (at least one id). */
export function attemptsOfSql(ids: readonly string[], ph: Placeholder): Sql {
  const { params, bind } = binder(ph);
  const list = ids.map((id) => bind(id)).join(', ');
  return {
    text: `SELECT * FROM webhook_attempts WHERE delivery_id IN (${list}) ORDER BY delivery_id, attempt`,
    params,
  };
}

/** Event types between commas (`,generation.completed,generation.failed,`): the trigger's substring test. */
export const encodeEvents = (events: readonly WebhookEventType[]): string => `,${events.join(',')},`;

const eventType = (v: unknown, col: string): WebhookEventType => {
  const s = str(v, col);
  const t = WEBHOOK_EVENT_TYPES.find((x) => x === s);
  if (t === undefined) throw new TypeError(`column ${col}: unknown event type ${s}`);
  return t;
};

const deliveryState = (v: unknown): WebhookDeliveryState => {
  const s = str(v, 'state');
  const t = WEBHOOK_DELIVERY_STATES.find((x) => x === s);
  if (t === undefined) throw new TypeError(`column state: unknown delivery state ${s}`);
  return t;
};

const numOrNull = (v: unknown, col: string): number | null => (v == null ? null : num(v, col));
const strOrNull = (v: unknown, col: string): string | null => (v == null ? null : str(v, col));

/** Column values of a new endpoint. */
export const endpointValues = (e: NewWebhookEndpoint): Record<string, SqlValue> => ({
  id: e.id,
  client_id: e.clientId,
  url: e.url,
  events: encodeEvents(e.events),
  secret: e.secret,
  created_at: e.createdAt,
  deleted_at: null,
});

/** Maps a `webhook_endpoints` row. */
export function toWebhookEndpoint(r: Raw): WebhookEndpointRecord {
  return {
    id: str(r.id, 'id'),
    clientId: str(r.client_id, 'client_id'),
    url: str(r.url, 'url'),
    events: str(r.events, 'events')
      .split(',')
      .filter((e) => e !== '')
      .map((e) => eventType(e, 'events')),
    secret: str(r.secret, 'secret'),
    createdAt: num(r.created_at, 'created_at'),
    deletedAt: numOrNull(r.deleted_at, 'deleted_at'),
  };
}

/** Maps a `webhook_deliveries` row. */
export function toWebhookDelivery(r: Raw): WebhookDeliveryRecord {
  return {
    id: str(r.id, 'id'),
    endpointId: str(r.endpoint_id, 'endpoint_id'),
    clientId: str(r.client_id, 'client_id'),
    generationId: str(r.generation_id, 'generation_id'),
    eventSeq: num(r.event_seq, 'event_seq'),
    eventType: eventType(r.event_type, 'event_type'),
    eventAt: num(r.event_at, 'event_at'),
    state: deliveryState(r.state),
    attempts: num(r.attempts, 'attempts'),
    nextAttemptAt: num(r.next_attempt_at, 'next_attempt_at'),
    leaseOwner: strOrNull(r.lease_owner, 'lease_owner'),
    leaseExpiresAt: numOrNull(r.lease_expires_at, 'lease_expires_at'),
    lastStatusCode: numOrNull(r.last_status_code, 'last_status_code'),
    lastError: strOrNull(r.last_error, 'last_error'),
    createdAt: num(r.created_at, 'created_at'),
    updatedAt: num(r.updated_at, 'updated_at'),
  };
}

/** Maps a `webhook_attempts` row. */
export function toWebhookAttempt(r: Raw): WebhookAttemptRecord {
  return {
    deliveryId: str(r.delivery_id, 'delivery_id'),
    attempt: num(r.attempt, 'attempt'),
    at: num(r.at, 'at'),
    statusCode: numOrNull(r.status_code, 'status_code'),
    error: strOrNull(r.error, 'error'),
    durationMs: num(r.duration_ms, 'duration_ms'),
  };
}

/** Maps a claimed delivery joined with its endpoint's URL and secret. */
export const toDueDelivery = (r: Raw) => ({
  delivery: toWebhookDelivery(r),
  url: str(r.endpoint_url, 'endpoint_url'),
  secret: str(r.endpoint_secret, 'endpoint_secret'),
});
