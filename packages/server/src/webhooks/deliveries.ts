// The delivery log of an endpoint and its retry (issue 11, "Webhooks"): each delivery with every attempt
// (status, time, answer code), newest event first; a retry sends a delivery again, whatever its state,
// unless an attempt of it is on the wire right now (409).
import { ApiError } from '../contract/api-error.js';
import { pageOf } from '../contract/list-query.js';
import {
  WEBHOOK_DELIVERY_ID,
  WEBHOOK_DELIVERY_IN_FLIGHT,
  WEBHOOK_DELIVERY_NOT_FOUND,
  parseWebhookDeliveryListQuery,
} from '../contract/validate-webhook.js';
import type { WebhookDelivery, WebhookDeliveryList } from '../contract/webhook.wire.js';
import type { ClientRecord } from '../store/store.js';
import { ownEndpoint } from './endpoints.js';
import { presentDelivery } from './present.js';
import type { WebhooksDeps } from './webhooks.deps.js';

/** `GET /v1/webhook_endpoints/{id}/deliveries`. */
export async function listDeliveries(
  d: WebhooksDeps,
  client: ClientRecord,
  endpointId: string,
  query: unknown,
): Promise<WebhookDeliveryList> {
  const e = await ownEndpoint(d, client, endpointId);
  const q = parseWebhookDeliveryListQuery(query);
  const rows = await d.store.webhooks.listDeliveries(e.id, {
    limit: q.limit + 1,
    state: q.state,
    after: q.after,
  });
  const page = pageOf(rows, q.limit);
  const attempts = await d.store.webhooks.attemptsOf(page.rows.map((r) => r.id));
  return {
    data: page.rows.map((r) => presentDelivery(r, attempts)),
    has_more: page.has_more,
    next_cursor: page.next_cursor,
  };
}

/** `POST /v1/webhook_endpoints/{id}/deliveries/{delivery_id}/retry`: due now; answers the delivery. */
export async function retryDelivery(
  d: WebhooksDeps,
  client: ClientRecord,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const e = await ownEndpoint(d, client, endpointId);
  const r = WEBHOOK_DELIVERY_ID.test(deliveryId)
    ? await d.store.webhooks.retry(e.id, deliveryId, d.now())
    : null;
  if (r === null) throw new ApiError(404, WEBHOOK_DELIVERY_NOT_FOUND);
  if (r === 'in_flight') throw new ApiError(409, WEBHOOK_DELIVERY_IN_FLIGHT);
  d.onRetry();
  return presentDelivery(r.delivery, await d.store.webhooks.attemptsOf([r.delivery.id]));
}
