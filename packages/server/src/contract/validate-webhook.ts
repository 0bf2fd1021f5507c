// Validation of the webhook routes' inputs (issue 11, "Webhooks"): the body of
// `POST /v1/webhook_endpoints` and the queries of the two lists. Pure, no I/O: whether the URL's host
// resolves to public addresses is asked of the address policy by the use case (webhooks/endpoints.ts).
//
// Statuses as on the Files API (docs/decisions.md): a body that is not a JSON object answers 400, every
// field rule 422, with details in the validators' style (`url is required`, `events[1]: must be …`).
import { ApiError } from './api-error.js';
import type { ObjectSpec } from './field-table.js';
import { readEnumParam, readListWindow } from './list-query.js';
import { isObject } from './validate-json.js';
import {
  DEFAULT_WEBHOOK_EVENTS,
  WEBHOOK_DELIVERY_STATES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_URL_MAX_LENGTH,
  type WebhookDeliveryListQuery,
  type WebhookDeliveryState,
  type WebhookEndpointCreateRequest,
  type WebhookEventType,
} from './webhook.wire.js';
import type { ListWindow } from './list-query.js';

/** 404 detail of an endpoint that is unknown, deleted or another client's. */
export const WEBHOOK_ENDPOINT_NOT_FOUND = 'Webhook endpoint not found';
/** 404 detail of a delivery that is unknown or not the endpoint's. */
export const WEBHOOK_DELIVERY_NOT_FOUND = 'Webhook delivery not found';
/** 409 detail of a retry while an attempt of the delivery is on the wire. */
export const WEBHOOK_DELIVERY_IN_FLIGHT =
  'Webhook delivery is being attempted now; retry it once that attempt ends';
/** 422 detail of a URL whose host resolves to a private, loopback or otherwise non-public address. */
export const WEBHOOK_URL_NOT_PUBLIC = 'url: must resolve to public addresses only';
/** 422 detail of a URL whose host does not resolve. */
export const WEBHOOK_URL_UNRESOLVED = 'url: host could not be resolved';

/** A delivery id: `msg_<event seq>_<endpoint id>` (derived by the fan-out trigger, migration 7). */
export const WEBHOOK_DELIVERY_ID =
  /^msg_\d{1,19}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The body of `POST /v1/webhook_endpoints`: what the document states; the rules are the readers below. */
export const WEBHOOK_ENDPOINT_CREATE: ObjectSpec = {
  kind: 'object',
  name: 'WebhookEndpointCreateParams',
  doc: 'The body of POST /v1/webhook_endpoints. Unknown fields are ignored.',
  fields: [
    {
      name: 'url',
      value: { kind: 'string', format: 'uri', later: { maxLength: WEBHOOK_URL_MAX_LENGTH } },
      required: true,
      doc: `An https URL without credentials, at most ${WEBHOOK_URL_MAX_LENGTH} characters, whose host resolves to public addresses only.`,
    },
    {
      name: 'events',
      value: { kind: 'array', items: { kind: 'enum', values: WEBHOOK_EVENT_TYPES }, later: { minItems: 1 } },
      nullable: true,
      default: [...DEFAULT_WEBHOOK_EVENTS],
      doc: 'The event types to receive (at least one).',
    },
  ],
};

const invalid = (detail: string): never => {
  throw new ApiError(422, detail);
};

/** Options of {@link parseWebhookEndpointCreate}. */
export interface WebhookUrlRules {
  /**
   * TEST ONLY (UMBRA_TEST_ALLOW_LOOPBACK_FETCH): `http://` is accepted here; the address policy then
   * admits it only when every address of the host is loopback.
   */
  allowLoopbackHttp: boolean;
}

/** An absolute http(s) URL without credentials; returned normalised, without a fragment. */
function readUrl(v: unknown, rules: WebhookUrlRules): string {
  if (v === undefined || v === null) return invalid('url is required');
  if (typeof v !== 'string') return invalid('url: must be a string');
  if (v.length > WEBHOOK_URL_MAX_LENGTH) invalid(`url: must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return invalid('url: must be an absolute URL');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && rules.allowLoopbackHttp)) {
    invalid('url: must be an https URL');
  }
  if (u.username !== '' || u.password !== '') invalid('url: must not contain credentials');
  u.hash = '';
  if (u.href.length > WEBHOOK_URL_MAX_LENGTH)
    invalid(`url: must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`);
  return u.href;
}

/** A non-empty subset of the event types, deduplicated, in {@link WEBHOOK_EVENT_TYPES} order. */
export function readWebhookEvents(v: unknown): WebhookEventType[] {
  if (v === undefined || v === null) return [...DEFAULT_WEBHOOK_EVENTS];
  if (!Array.isArray(v)) return invalid('events: must be an array of event types');
  if (v.length === 0) invalid('events: must name at least one event type');
  const chosen = new Set<WebhookEventType>();
  (v as unknown[]).forEach((e, i) => {
    const found = WEBHOOK_EVENT_TYPES.find((t) => t === e);
    if (found === undefined) invalid(`events[${i}]: must be one of: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
    else chosen.add(found);
  });
  return WEBHOOK_EVENT_TYPES.filter((t) => chosen.has(t));
}

/**
 * `POST /v1/webhook_endpoints` body: `url` (required, https, ≤ 2048 characters, no credentials) and
 * `events` (optional; default completed and failed). Unknown members are ignored.
 * @throws ApiError 400 (not a JSON object) or 422 (a field rule).
 */
export function parseWebhookEndpointCreate(
  body: unknown,
  rules: WebhookUrlRules,
): WebhookEndpointCreateRequest {
  if (!isObject(body)) throw new ApiError(400, 'Request body must be a JSON object');
  return { url: readUrl(body.url, rules), events: readWebhookEvents(body.events) };
}

/**
 * `GET /v1/webhook_endpoints` query: `limit` 1–100 (default 25) and `cursor`.
 * @throws ApiError 422 (a bad value).
 */
export function parseWebhookEndpointListQuery(query: unknown): ListWindow {
  return readListWindow(isObject(query) ? query : {});
}

/**
 * `GET /v1/webhook_endpoints/{id}/deliveries` query: `limit`, `cursor` and an optional `state`.
 * @throws ApiError 422 (a bad value).
 */
export function parseWebhookDeliveryListQuery(query: unknown): WebhookDeliveryListQuery {
  const q = isObject(query) ? query : {};
  const { limit, after } = readListWindow(q, (id) => WEBHOOK_DELIVERY_ID.test(id));
  const state = readEnumParam<WebhookDeliveryState>(q.state, 'state', WEBHOOK_DELIVERY_STATES);
  return { limit, after, state };
}
