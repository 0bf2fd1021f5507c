// The webhook endpoint use cases (issue 11, "Webhooks"): create, list, get and delete a client's endpoints.
// An endpoint of another client, a deleted one and a malformed id all answer the same 404.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../contract/api-error.js';
import { canonicalId } from '../contract/ids.js';
import { pageOf } from '../contract/list-query.js';
import {
  WEBHOOK_ENDPOINT_NOT_FOUND,
  WEBHOOK_URL_NOT_PUBLIC,
  WEBHOOK_URL_UNRESOLVED,
  parseWebhookEndpointCreate,
  parseWebhookEndpointListQuery,
} from '../contract/validate-webhook.js';
import type {
  CreatedWebhookEndpoint,
  WebhookEndpoint,
  WebhookEndpointCreateRequest,
  WebhookEndpointList,
} from '../contract/webhook.wire.js';
import { newWebhookSecret } from '../events/webhook-signature.js';
import { vetTarget } from '../inputs/address-policy.js';
import type { ClientRecord, WebhookEndpointRecord } from '../store/store.js';
import { presentCreatedEndpoint, presentEndpoint } from './present.js';
import type { WebhooksDeps } from './webhooks.deps.js';

/** What the receiver checks need: the test-only loopback switch and the resolver. */
export type ReceiverRules = Pick<WebhooksDeps, 'allowLoopbackHttp' | 'lookup'>;

/** How long the address check at create waits for DNS. */
const CREATE_DNS_TIMEOUT_MS = 5000;

/** The client's live endpoint, or 404 for unknown, deleted, foreign and malformed ids alike. */
export async function ownEndpoint(
  d: WebhooksDeps,
  client: ClientRecord,
  id: string,
): Promise<WebhookEndpointRecord> {
  const key = canonicalId(id);
  const e = key === null ? null : await d.store.webhooks.getEndpoint(client.id, key);
  if (e === null) throw new ApiError(404, WEBHOOK_ENDPOINT_NOT_FOUND);
  return e;
}

/**
 * The address policy, asked at create so a private or loopback receiver is refused at once (422); every
 * delivery attempt asks again, so a host whose DNS later points inside is refused then too.
 */
async function checkReceiver(d: ReceiverRules, url: string): Promise<void> {
  const verdict = await vetTarget(new URL(url), {
    allowLoopback: d.allowLoopbackHttp,
    resolver: d.lookup,
    signal: AbortSignal.timeout(CREATE_DNS_TIMEOUT_MS),
  }).catch(() => ({ ok: false as const, cause: 'dns_failed' as const, detail: 'timeout' }));
  if (verdict.ok) return;
  switch (verdict.cause) {
    case 'blocked_address':
      throw new ApiError(422, WEBHOOK_URL_NOT_PUBLIC);
    case 'dns_failed':
      throw new ApiError(422, WEBHOOK_URL_UNRESOLVED);
    case 'blocked_scheme':
      throw new ApiError(422, 'url: must be an https URL');
  }
}

/** Stores a validated, address-checked endpoint with a fresh secret. */
export async function insertEndpoint(
  d: Pick<WebhooksDeps, 'store'>,
  clientId: string,
  req: WebhookEndpointCreateRequest,
  now: number,
): Promise<WebhookEndpointRecord> {
  return d.store.webhooks.createEndpoint({
    id: randomUUID(),
    clientId,
    url: req.url,
    events: req.events,
    secret: newWebhookSecret(),
    createdAt: now,
  });
}

/** `POST /v1/webhook_endpoints`: validates, checks the receiver's addresses, answers with the secret. */
export async function createEndpoint(
  d: WebhooksDeps,
  client: ClientRecord,
  body: unknown,
): Promise<CreatedWebhookEndpoint> {
  const req = await validateEndpoint(d, body);
  return presentCreatedEndpoint(await insertEndpoint(d, client.id, req, d.now()));
}

/** The body's rules, then the address policy (shared by the route and `umbra webhooks add`). */
export async function validateEndpoint(
  d: ReceiverRules,
  body: unknown,
): Promise<WebhookEndpointCreateRequest> {
  const req = parseWebhookEndpointCreate(body, { allowLoopbackHttp: d.allowLoopbackHttp });
  await checkReceiver(d, req.url);
  return req;
}

/** `GET /v1/webhook_endpoints`: one page of the client's live endpoints, newest first. */
export async function listEndpoints(
  d: WebhooksDeps,
  client: ClientRecord,
  query: unknown,
): Promise<WebhookEndpointList> {
  const q = parseWebhookEndpointListQuery(query);
  const rows = await d.store.webhooks.listEndpoints(client.id, { limit: q.limit + 1, after: q.after });
  const page = pageOf(rows, q.limit);
  return { data: page.rows.map(presentEndpoint), has_more: page.has_more, next_cursor: page.next_cursor };
}

/** `GET /v1/webhook_endpoints/{id}`. */
export async function getEndpoint(
  d: WebhooksDeps,
  client: ClientRecord,
  id: string,
): Promise<WebhookEndpoint> {
  return presentEndpoint(await ownEndpoint(d, client, id));
}

/** `DELETE /v1/webhook_endpoints/{id}`: no further deliveries; pending ones end `dead`. */
export async function deleteEndpoint(d: WebhooksDeps, client: ClientRecord, id: string): Promise<void> {
  const e = await ownEndpoint(d, client, id);
  if (!(await d.store.webhooks.deleteEndpoint(client.id, e.id, d.now()))) {
    throw new ApiError(404, WEBHOOK_ENDPOINT_NOT_FOUND);
  }
}
