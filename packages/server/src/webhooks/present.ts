// Records → the wire objects of the webhook routes (contract/webhook.wire.ts). An endpoint's `created_at`
// is to the second like every other object's; delivery and attempt times keep their milliseconds, since
// attempts seconds apart (or less, in tests) must still read in order.
import type {
  CreatedWebhookEndpoint,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
} from '../contract/webhook.wire.js';
import { isoSeconds } from '../generations/present.js';
import type { WebhookAttemptRecord, WebhookDeliveryRecord, WebhookEndpointRecord } from '../store/store.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const presentEndpoint = (e: WebhookEndpointRecord): WebhookEndpoint => ({
  id: e.id,
  url: e.url,
  events: e.events,
  created_at: isoSeconds(e.createdAt),
});

/** The create answer: the only one that carries the secret. */
export const presentCreatedEndpoint = (e: WebhookEndpointRecord): CreatedWebhookEndpoint => ({
  id: e.id,
  url: e.url,
  events: e.events,
  secret: e.secret,
  created_at: isoSeconds(e.createdAt),
});

export const presentAttempt = (a: WebhookAttemptRecord): WebhookAttempt => ({
  attempt: a.attempt,
  at: iso(a.at),
  status: a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300 ? 'succeeded' : 'failed',
  status_code: a.statusCode,
  error: a.error,
  duration_ms: a.durationMs,
});

/** A delivery with its attempts (any order given; answered oldest first). */
export const presentDelivery = (
  d: WebhookDeliveryRecord,
  attempts: readonly WebhookAttemptRecord[],
): WebhookDelivery => ({
  id: d.id,
  endpoint_id: d.endpointId,
  generation_id: d.generationId,
  type: d.eventType,
  state: d.state,
  created_at: iso(d.eventAt),
  next_attempt_at: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
  attempts: attempts
    .filter((a) => a.deliveryId === d.id)
    .sort((x, y) => x.attempt - y.attempt)
    .map(presentAttempt),
});
