// `umbra webhooks add|list|remove --client NAME`: the operator's view of a client's endpoints, on the
// store directly (like `umbra keys`), with the same validation and address policy as the HTTP routes.
import { ApiError } from '../contract/api-error.js';
import { canonicalId } from '../contract/ids.js';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../contract/webhook.wire.js';
import { systemResolver, type Resolver } from '../inputs/address-policy.js';
import type { ClientRecord, Store } from '../store/store.js';
import { insertEndpoint, validateEndpoint } from './endpoints.js';
import { presentCreatedEndpoint, presentEndpoint } from './present.js';

/** A refusal meant for the operator (unknown client, a rule the URL or events break). */
export class WebhookAdminError extends Error {
  override name = 'WebhookAdminError';
}

/** Options of the admin calls. */
export interface WebhookAdminOptions {
  /** TEST ONLY (UMBRA_TEST_ALLOW_LOOPBACK_FETCH): receivers may be http:// on loopback. */
  allowLoopbackHttp: boolean;
  /** DNS resolver of the address check; default the system's. */
  lookup?: Resolver;
}

async function clientNamed(store: Store, name: string): Promise<ClientRecord> {
  const c = await store.clients.findClientByName(name);
  if (c === null) throw new WebhookAdminError(`no client named '${name}'`);
  return c;
}

/** Every live endpoint of the client, newest first. */
async function allEndpoints(store: Store, clientId: string): Promise<WebhookEndpoint[]> {
  const out: WebhookEndpoint[] = [];
  for (let after = null as { createdAt: number; id: string } | null; ;) {
    const page = await store.webhooks.listEndpoints(clientId, { limit: 100, after });
    out.push(...page.map(presentEndpoint));
    const last = page.at(-1);
    if (page.length < 100 || last === undefined) return out;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/** Adds an endpoint for the named client; the answer carries the secret (shown once). */
export async function addWebhookEndpoint(
  store: Store,
  o: { client: string; url: string; events: string[] | null },
  now: number,
  opts: WebhookAdminOptions,
): Promise<CreatedWebhookEndpoint> {
  const client = await clientNamed(store, o.client);
  try {
    const req = await validateEndpoint(
      { allowLoopbackHttp: opts.allowLoopbackHttp, lookup: opts.lookup ?? systemResolver },
      { url: o.url, events: o.events },
    );
    return presentCreatedEndpoint(await insertEndpoint({ store }, client.id, req, now));
  } catch (err) {
    if (err instanceof ApiError) throw new WebhookAdminError(err.detail);
    throw err;
  }
}

/** The named client's live endpoints, newest first. */
export async function listWebhookEndpoints(store: Store, client: string): Promise<WebhookEndpoint[]> {
  return allEndpoints(store, (await clientNamed(store, client)).id);
}

/** Deletes one of the named client's endpoints; false when it has no such live endpoint. */
export async function removeWebhookEndpoint(
  store: Store,
  client: string,
  id: string,
  now: number,
): Promise<boolean> {
  const c = await clientNamed(store, client);
  const key = canonicalId(id);
  return key !== null && store.webhooks.deleteEndpoint(c.id, key, now);
}
