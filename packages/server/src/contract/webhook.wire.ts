// The wire vocabulary of webhooks (issue 11, "Webhooks"): endpoints a client registers, the deliveries
// Umbra makes to them, and the signed event each delivery carries (Standard Webhooks). Pure data, no I/O.
// These routes are Umbra's own: the hosted API has no webhooks, so nothing here changes a hosted body.
import type { ListPage, ListWindow } from './list-query.js';
import type { Generation } from './wire.js';

/** Event types an endpoint may subscribe to, in the order a generation passes them. */
export const WEBHOOK_EVENT_TYPES = [
  'generation.processing',
  'generation.completed',
  'generation.failed',
] as const;
/**
 * `generation.processing`: a worker started rendering it; `generation.completed`: its outputs are ready;
 * `generation.failed`: it ended without outputs (`failure_code` says why).
 */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an endpoint created without `events` receives: the two outcomes. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  'generation.completed',
  'generation.failed',
];

/** Longest receiver URL, in characters. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** Prefix of an endpoint's signing secret (Standard Webhooks); the base64 key follows it. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The headers of every delivery (Standard Webhooks). */
export const WEBHOOK_HEADERS = {
  /** The delivery's id, the same on every attempt: receivers deduplicate by it. */
  id: 'webhook-id',
  /** Unix seconds when this attempt was signed; receivers refuse old ones (replays). */
  timestamp: 'webhook-timestamp',
  /** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, space-separated when there are several. */
  signature: 'webhook-signature',
} as const;

/** A registered receiver (without its secret, which only the create answer carries). */
export interface WebhookEndpoint {
  /** UUID of the endpoint. */
  id: string;
  /** Where deliveries are POSTed: an https URL that resolves to public addresses. */
  url: string;
  /** The event types it receives, in {@link WEBHOOK_EVENT_TYPES} order. */
  events: WebhookEventType[];
  /** ISO-8601 UTC to the second, like a generation's `created_at`. */
  created_at: string;
}

/** The answer of `POST /v1/webhook_endpoints`: the endpoint and, this once, its signing secret. */
export interface CreatedWebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** `whsec_` + base64 of 32 random bytes. Shown only here: keep it to verify signatures. */
  secret: string;
  created_at: string;
}

/**
 * The body of `POST /v1/webhook_endpoints` as it arrives on the wire. The client library's
 * `WebhookEndpointCreateParams` must fit it (`sdk-types.test.ts`).
 */
export interface WebhookEndpointCreateParams {
  /** An https URL, at most 2048 characters, that resolves to public addresses only. Required. */
  url: string;
  /** Event types to receive; absent or null = `generation.completed` and `generation.failed`. */
  events?: WebhookEventType[] | null;
}

/** `WebhookEndpointCreateParams` after validation: events deduplicated, in canonical order. */
export interface WebhookEndpointCreateRequest {
  url: string;
  events: WebhookEventType[];
}

/** The query of `GET /v1/webhook_endpoints` as it travels: every member optional. */
export interface WebhookEndpointListParams {
  /** The `next_cursor` of the previous page; absent = from the newest endpoint. */
  cursor?: string | null;
  /** Page size, 1–100; default 25. */
  limit?: number | null;
}

/** A page of `GET /v1/webhook_endpoints`, newest first (the list envelope of every list route). */
export type WebhookEndpointList = ListPage<WebhookEndpoint>;

export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;
/**
 * `pending` (waiting for its next attempt, or being attempted) → `delivered` (a 2xx answer) | `dead`
 * (attempts spent for 24 hours, or its endpoint was deleted). A retry makes it `pending` again.
 */
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** One POST of a delivery to its endpoint. */
export interface WebhookAttempt {
  /** 1 for the first attempt, counting on across retries. */
  attempt: number;
  /** When it was sent, ISO-8601 UTC with milliseconds. */
  at: string;
  /** `succeeded` when the receiver answered 2xx. */
  status: 'succeeded' | 'failed';
  /** The receiver's HTTP status; null when there was no answer (timeout, refused connection or address). */
  status_code: number | null;
  /** Why it failed without an answer (`timeout`, `connection failed`, `address not allowed`…), else null. */
  error: string | null;
  /** From the start of the request to the answer (or the failure). */
  duration_ms: number;
}

/** One event on its way to one endpoint, with its attempts so far. */
export interface WebhookDelivery {
  /** `msg_<event seq>_<endpoint id>`: the `webhook-id` header of every attempt. */
  id: string;
  endpoint_id: string;
  generation_id: string;
  type: WebhookEventType;
  state: WebhookDeliveryState;
  /** When the event happened, ISO-8601 UTC with milliseconds (the payload's `timestamp`). */
  created_at: string;
  /** When the next attempt is due; null unless `pending`. */
  next_attempt_at: string | null;
  /** Oldest first. */
  attempts: WebhookAttempt[];
}

/** The query of `GET /v1/webhook_endpoints/{id}/deliveries` as it travels: every member optional. */
export interface WebhookDeliveryListParams {
  /** The `next_cursor` of the previous page; absent = from the newest delivery. */
  cursor?: string | null;
  /** Page size, 1–100; default 25. */
  limit?: number | null;
  /** Only deliveries in this state (`dead` lists the dead letters). */
  state?: WebhookDeliveryState | null;
}

/** A page of an endpoint's deliveries, newest event first. */
export type WebhookDeliveryList = ListPage<WebhookDelivery>;

/** `GET …/deliveries` query, validated. */
export interface WebhookDeliveryListQuery extends ListWindow {
  state: WebhookDeliveryState | null;
}

/** The JSON body of every delivery (Standard Webhooks' envelope). */
export interface WebhookEvent {
  type: WebhookEventType;
  /** When the event happened, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  /**
   * The generation exactly as `GET /v1/generations/{id}` answers it, as it was at the event: for
   * `generation.processing` state `processing` and no outputs; for the outcomes the final generation,
   * its output URLs signed when the delivery is sent (valid one hour from then).
   */
  data: Generation;
}
