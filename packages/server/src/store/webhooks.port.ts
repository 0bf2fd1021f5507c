// The webhooks part of the persistence port (store.ts re-exports it): endpoints, the deliveries the
// fan-out trigger of migration 7 queues for them, and the attempts made. Times are epoch milliseconds.
import type { ListCursor } from '../contract/list-query.js';
import type { WebhookDeliveryState, WebhookEventType } from '../contract/webhook.wire.js';

/** A client's webhook endpoint. Deleted ones are kept (soft delete) for the deliveries that name them. */
export interface WebhookEndpointRecord {
  id: string;
  clientId: string;
  url: string;
  /** Subscribed event types, in canonical order. */
  events: WebhookEventType[];
  /** `whsec_…`, stored as given: it must be read back to sign. */
  secret: string;
  createdAt: number;
  deletedAt: number | null;
}

export type NewWebhookEndpoint = Omit<WebhookEndpointRecord, 'deletedAt'>;

/** One event on its way to one endpoint. */
export interface WebhookDeliveryRecord {
  /** `msg_<event seq>_<endpoint id>`. */
  id: string;
  endpointId: string;
  clientId: string;
  generationId: string;
  eventSeq: number;
  eventType: WebhookEventType;
  /** When the event happened (also the delivery's `createdAt`). */
  eventAt: number;
  state: WebhookDeliveryState;
  /** Attempts recorded so far. */
  attempts: number;
  /** When a pending delivery is due; for the others, when they settled (delivered or dead). */
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One recorded attempt. */
export interface WebhookAttemptRecord {
  deliveryId: string;
  /** 1-based, counting on across retries. */
  attempt: number;
  at: number;
  /** The receiver's HTTP status; null without an answer. */
  statusCode: number | null;
  /** Why it failed without an answer; null otherwise. */
  error: string | null;
  durationMs: number;
}

/** A claimed delivery and what sending it needs from its endpoint. */
export interface DueWebhookDelivery {
  delivery: WebhookDeliveryRecord;
  url: string;
  secret: string;
}

/** What an attempt found; recorded with the delivery's new state. */
export interface WebhookAttemptResult {
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Where a delivery goes after an attempt. */
export type WebhookOutcome =
  { state: 'delivered' } | { state: 'pending'; nextAttemptAt: number } | { state: 'dead' };

/** One page request of a client's live endpoints, newest first (keyset: strictly older than `after`). */
export interface WebhookEndpointPage {
  limit: number;
  after: ListCursor | null;
}

/** One page request of an endpoint's deliveries, newest event first. */
export interface WebhookDeliveryPage {
  limit: number;
  state: WebhookDeliveryState | null;
  after: ListCursor | null;
}

/** What retry() did: made the delivery due now, found an attempt on the wire, or found nothing. */
export type WebhookRetryResult = { delivery: WebhookDeliveryRecord } | 'in_flight' | null;

export interface WebhookRepo {
  createEndpoint(e: NewWebhookEndpoint): Promise<WebhookEndpointRecord>;
  /** The client's live endpoint, or null when it is unknown, deleted or another client's. */
  getEndpoint(clientId: string, id: string): Promise<WebhookEndpointRecord | null>;
  /** At most `page.limit` of the client's live endpoints, newest first (created_at, then id, descending). */
  listEndpoints(clientId: string, page: WebhookEndpointPage): Promise<WebhookEndpointRecord[]>;
  /**
   * Soft-deletes the client's live endpoint and, in the same transaction, makes its pending deliveries
   * `dead`. False when there was no such live endpoint.
   */
  deleteEndpoint(clientId: string, id: string, now: number): Promise<boolean>;
  /** At most `page.limit` of the endpoint's deliveries, newest event first (created_at, then id, descending). */
  listDeliveries(endpointId: string, page: WebhookDeliveryPage): Promise<WebhookDeliveryRecord[]>;
  /** The endpoint's delivery, or null. */
  getDelivery(endpointId: string, id: string): Promise<WebhookDeliveryRecord | null>;
  /** The attempts of these deliveries, by delivery then attempt number. */
  attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttemptRecord[]>;
  /**
   * Leases at most `limit` pending deliveries that are due (`nextAttemptAt <= now`), nobody holds a live
   * lease on and whose endpoint is live, earliest due first: lease to `owner` until now + leaseMs. Never
   * hands one delivery to two claimers while a lease holds.
   */
  claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<DueWebhookDelivery[]>;
  /**
   * Records an attempt and the delivery's new state in one transaction, only while `owner` holds the
   * lease of the still-pending delivery (false otherwise: nothing is recorded).
   */
  recordAttempt(
    id: string,
    owner: string,
    result: WebhookAttemptResult,
    outcome: WebhookOutcome,
  ): Promise<boolean>;
  /** Gives a lease back without an attempt (the sender is stopping); the delivery is due again at once. */
  release(id: string, owner: string): Promise<void>;
  /**
   * The endpoint's delivery, whatever its state, → pending and due at `now` (its attempts are kept).
   * `in_flight` while a live lease holds it; null when it is not the endpoint's.
   */
  retry(endpointId: string, id: string, now: number): Promise<WebhookRetryResult>;
  /**
   * Housekeeping: delivered and dead deliveries (with their attempts) settled before `before` are deleted;
   * pending deliveries of deleted endpoints (queued by a fan-out that raced the deletion) become dead.
   * Returns how many deliveries were deleted.
   */
  sweep(before: number, now: number): Promise<number>;
}
