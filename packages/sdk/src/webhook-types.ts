// Wire types of Umbra's webhooks (not part of the hosted API): endpoints that receive signed events when
// a generation starts processing, completes or fails. Written by hand, like the other types, because the
// library has no dependencies; `sdk-types.test.ts` on the server keeps them in step with its contract.
import type { Generation } from './types.js';

/**
 * `generation.processing`: a worker started rendering it; `generation.completed`: its outputs are ready;
 * `generation.failed`: it ended without outputs (`failure_code` says why).
 */
export type WebhookEventType = 'generation.processing' | 'generation.completed' | 'generation.failed';

/** A registered receiver. Its secret is only in the answer of `webhookEndpoints.create`. */
export interface WebhookEndpoint {
  /** UUID of the endpoint. */
  id: string;
  /** Where deliveries are POSTed. */
  url: string;
  /** The event types it receives. */
  events: WebhookEventType[];
  /** ISO-8601 UTC creation time. */
  created_at: string;
}

/** The answer of `webhookEndpoints.create`: the endpoint and, this once, its signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  /** `whsec_…`: verifies each delivery's `webhook-signature`. Shown only here; keep it. */
  secret: string;
}

/** The body of `POST /webhook_endpoints`. */
export interface WebhookEndpointCreateParams {
  /** An https URL (at most 2048 characters) whose host resolves to public addresses only. */
  url: string;
  /** Event types to receive; absent = `generation.completed` and `generation.failed`. */
  events?: WebhookEventType[] | null;
}

/** Query of `GET /webhook_endpoints`; every member optional. */
export interface WebhookEndpointListParams {
  /** The `next_cursor` of the previous page; absent = start from the newest endpoint. */
  cursor?: string | null;
  /** Page size, 1–100; default 25. */
  limit?: number | null;
}

/** A page of endpoints, newest first. */
export interface WebhookEndpointList {
  data: WebhookEndpoint[];
  /** More endpoints follow this page. */
  has_more: boolean;
  /** Pass back as `cursor` for the next page; null or absent on the last page. */
  next_cursor?: string | null;
}

/** `pending` (waiting for an attempt) → `delivered` (a 2xx answer) | `dead` (retries spent, or endpoint deleted). */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'dead';

/** One POST of a delivery. */
export interface WebhookAttempt {
  /** 1 for the first attempt, counting on across retries. */
  attempt: number;
  /** ISO-8601 UTC time it was sent. */
  at: string;
  /** `succeeded` for a 2xx answer. */
  status: 'succeeded' | 'failed';
  /** The receiver's HTTP status; null when it did not answer. */
  status_code: number | null;
  /** Why there was no answer (`timeout`, `connection failed (…)`, `address not allowed`…); else null. */
  error: string | null;
  /** Request to answer (or failure), in ms. */
  duration_ms: number;
}

/** One event on its way to one endpoint, with its attempts so far. */
export interface WebhookDelivery {
  /** The `webhook-id` header of every attempt: deduplicate by it. */
  id: string;
  endpoint_id: string;
  generation_id: string;
  type: WebhookEventType;
  state: WebhookDeliveryState;
  /** ISO-8601 UTC time of the event. */
  created_at: string;
  /** When the next attempt is due; null unless `pending`. */
  next_attempt_at: string | null;
  /** Oldest first. */
  attempts: WebhookAttempt[];
}

/** Query of `GET /webhook_endpoints/{id}/deliveries`; every member optional. */
export interface WebhookDeliveryListParams {
  /** The `next_cursor` of the previous page; absent = start from the newest delivery. */
  cursor?: string | null;
  /** Page size, 1–100; default 25. */
  limit?: number | null;
  /** Only deliveries in this state (`dead`: the dead letters). */
  state?: WebhookDeliveryState | null;
}

/** A page of an endpoint's deliveries, newest event first. */
export interface WebhookDeliveryList {
  data: WebhookDelivery[];
  /** More deliveries follow this page. */
  has_more: boolean;
  /** Pass back as `cursor` for the next page; null or absent on the last page. */
  next_cursor?: string | null;
}

/** The JSON body of a delivery (verify its signature before trusting it: see docs/webhooks.md). */
export interface WebhookEvent {
  type: WebhookEventType;
  /** ISO-8601 UTC time of the event. */
  timestamp: string;
  /** The generation as `generations.get` returns it, as it was at the event. */
  data: Generation;
}
