// `client.webhookEndpoints`: Umbra's webhooks (not part of the hosted API). Register a receiver, list and
// delete endpoints, read each endpoint's delivery log and send a delivery again.
import { allPages } from './poll.js';
import type { RequestOptions, Transport } from './transport.js';
import type {
  CreatedWebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryListParams,
  WebhookEndpoint,
  WebhookEndpointCreateParams,
  WebhookEndpointList,
  WebhookEndpointListParams,
} from './webhook-types.js';

/** `?a=1&b=2` of the members that are set, or ''. */
function query(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

const path = (id: string): string => `/webhook_endpoints/${encodeURIComponent(id)}`;

export class WebhookEndpoints {
  constructor(private readonly transport: Transport) {}

  /**
   * `POST /webhook_endpoints`: registers a receiver. The answer carries the endpoint's `secret`
   * (`whsec_…`) this once: keep it to verify the `webhook-signature` of each delivery.
   */
  create(params: WebhookEndpointCreateParams, options?: RequestOptions): Promise<CreatedWebhookEndpoint> {
    return this.transport.json<CreatedWebhookEndpoint>('POST', '/webhook_endpoints', params, options);
  }

  /** `GET /webhook_endpoints`: one page of endpoints, newest first. */
  list(params: WebhookEndpointListParams = {}, options?: RequestOptions): Promise<WebhookEndpointList> {
    const q = query({ cursor: params.cursor, limit: params.limit });
    return this.transport.json<WebhookEndpointList>('GET', `/webhook_endpoints${q}`, undefined, options);
  }

  /** Every endpoint, page after page, newest first. */
  async *listAll(
    params: WebhookEndpointListParams = {},
    options?: RequestOptions,
  ): AsyncGenerator<WebhookEndpoint, void> {
    yield* allPages((cursor) => this.list({ ...params, cursor }, options), params.cursor);
  }

  /** `GET /webhook_endpoints/{id}`. */
  get(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.transport.json<WebhookEndpoint>('GET', path(id), undefined, options);
  }

  /** `DELETE /webhook_endpoints/{id}` (204): no further deliveries; pending ones end `dead`. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.transport.json<null>('DELETE', path(id), undefined, options);
  }

  /** `GET /webhook_endpoints/{id}/deliveries`: one page of the delivery log, newest event first. */
  deliveries(
    id: string,
    params: WebhookDeliveryListParams = {},
    options?: RequestOptions,
  ): Promise<WebhookDeliveryList> {
    const q = query({ cursor: params.cursor, limit: params.limit, state: params.state });
    return this.transport.json<WebhookDeliveryList>('GET', `${path(id)}/deliveries${q}`, undefined, options);
  }

  /**
   * `POST /webhook_endpoints/{id}/deliveries/{delivery_id}/retry` (202): sends the delivery again now,
   * whatever its state; answers it `pending`. A delivery being attempted right now answers 409.
   */
  retry(id: string, deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.transport.json<WebhookDelivery>(
      'POST',
      `${path(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`,
      undefined,
      options,
    );
  }
}
