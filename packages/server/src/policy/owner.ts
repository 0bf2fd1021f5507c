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
  const client =
    (await store.clients.findClientByName(DEFAULT_CLIENT_NAME)) ??
    (await store.clients.createClient({
      id: randomUUID(),
      name: DEFAULT_CLIENT_NAME,
      hdrAccess: true,
      rpmLimit: null,
      concurrencyLimit: null,
      balanceMicros: null,
      createdAt: now,
    }));
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
