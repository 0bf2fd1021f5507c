// The server owner's default client: HDR access, no quota, no balance (issue: "the default client").
import { randomUUID } from 'node:crypto';
import type { ClientRecord, Store } from '../store/store.js';
import { hashKey, issueKey } from './api-keys.js';

export const DEFAULT_CLIENT_NAME = 'default';

export interface OwnerBootstrap {
  client: ClientRecord;
  /** A key created now because none existed: shown once, never stored in plain text. */
  newKey: string | null;
}

/**
 * Makes sure the default client exists. With `apiKey` (UMBRA_API_KEY) that key is accepted for it;
 * without, a key is created and returned once when the client has none yet.
 */
export async function ensureOwner(store: Store, apiKey: string | null, now: number): Promise<OwnerBootstrap> {
  const client = await ensureClient(store, DEFAULT_CLIENT_NAME, now);
  if (apiKey !== null) {
    if ((await store.clients.findKeyByHash(hashKey(apiKey))) === null) {
      await issueKey(store, client.id, now, { key: apiKey });
    }
    return { client, newKey: null };
  }
  const keys = await store.clients.listKeys();
  if (keys.some((k) => k.clientId === client.id)) return { client, newKey: null };
  const { key } = await issueKey(store, client.id, now);
  return { client, newKey: key };
}

/**
 * The client called `name`, created when missing with the default client's terms (HDR access, no quota,
 * no balance) and no key.
 */
export async function ensureClient(store: Store, name: string, now: number): Promise<ClientRecord> {
  return (
    (await store.clients.findClientByName(name)) ??
    (await store.clients.createClient({
      id: randomUUID(),
      name,
      hdrAccess: true,
      rpmLimit: null,
      concurrencyLimit: null,
      balanceMicros: null,
      createdAt: now,
    }))
  );
}
