// Client and key management behind `umbra keys …` (same data directory or DATABASE_URL as the server).
import { randomUUID } from 'node:crypto';
import type { ClientRecord, KeyRecord, Store } from '../store/store.js';
import { issueKey } from './api-keys.js';

export interface CreateKeyOptions {
  client: string;
  /** Grants HDR access to the client (created or existing). */
  hdr: boolean;
  /** For a new client: requests per minute; default 30 (contract §4.3). null = unlimited. */
  rpm?: number | null;
  /** For a new client: concurrent jobs; default 10 (contract §4.3). null = unlimited. */
  concurrency?: number | null;
  /** For a new client: balance in micro-USD; default null = unmetered. */
  balanceMicros?: number | null;
  expiresAt?: number | null;
}

export interface CreatedKey {
  key: string;
  record: KeyRecord;
  client: ClientRecord;
  clientCreated: boolean;
}

/** Creates a key for the named client, creating the client on first use. */
export async function createKeyForClient(
  store: Store,
  o: CreateKeyOptions,
  now: number,
): Promise<CreatedKey> {
  let client = await store.clients.findClientByName(o.client);
  const clientCreated = client === null;
  if (client === null) {
    client = await store.clients.createClient({
      id: randomUUID(),
      name: o.client,
      hdrAccess: o.hdr,
      rpmLimit: o.rpm === undefined ? 30 : o.rpm,
      concurrencyLimit: o.concurrency === undefined ? 10 : o.concurrency,
      balanceMicros: o.balanceMicros ?? null,
      createdAt: now,
    });
  } else if (o.hdr && !client.hdrAccess) {
    client = (await store.clients.updateClient(client.id, { hdrAccess: true })) ?? client;
  }
  const { key, record } = await issueKey(store, client.id, now, { expiresAt: o.expiresAt ?? null });
  return { key, record, client, clientCreated };
}
