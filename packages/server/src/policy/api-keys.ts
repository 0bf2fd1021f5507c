// API keys: `luma-api-` + 40 random base62-ish characters, stored only as SHA-256 (keys are high-entropy,
// so a fast hash is enough; a stolen database does not yield usable keys).
import { hash, randomBytes, randomUUID } from 'node:crypto';
import { ApiError } from '../contract/api-error.js';
import type { ClientRecord, KeyRecord, Store } from '../store/store.js';

export const KEY_PREFIX = 'luma-api-';
/** Characters of a key shown in listings and accepted by `keys revoke`. */
export const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;

/** The key's SHA-256, hex (the one-shot `hash`: a quarter of a Hash object's cost, on every request). */
export const hashKey = (key: string): string => hash('sha256', key, 'hex');

export const generateKey = (): string =>
  KEY_PREFIX + randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40);

export interface IssuedKey {
  key: string;
  record: KeyRecord;
}

/** Creates and stores a key for the client; the plain key is returned once and never stored. */
export async function issueKey(
  store: Store,
  clientId: string,
  now: number,
  opts: { key?: string; expiresAt?: number | null } = {},
): Promise<IssuedKey> {
  const key = opts.key ?? generateKey();
  const record = await store.clients.createKey({
    id: randomUUID(),
    clientId,
    prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
    hash: hashKey(key),
    createdAt: now,
    expiresAt: opts.expiresAt ?? null,
  });
  return { key, record };
}

const BEARER = 'Bearer ';
const WHITESPACE = /\s/;

/**
 * Resolves `Authorization: Bearer luma-api-…` to its client, or throws the documented 401/403
 * (contract §1.2, §4.2). The scheme word is case-sensitive.
 */
export async function authenticate(
  store: Store,
  header: string | undefined,
  now: number,
): Promise<ClientRecord> {
  const token = header?.startsWith(BEARER) === true ? header.slice(BEARER.length) : undefined;
  if (token === undefined || !token.startsWith(KEY_PREFIX) || WHITESPACE.test(token)) {
    throw new ApiError(401, 'Missing or invalid API key');
  }
  const found = await store.clients.findKeyByHash(hashKey(token));
  if (found === null) throw new ApiError(401, 'Invalid API key');
  if (found.key.revokedAt !== null) throw new ApiError(401, 'API key has been revoked');
  if (found.key.expiresAt !== null && found.key.expiresAt <= now)
    throw new ApiError(401, 'API key has expired');
  switch (found.client.status) {
    case 'active':
      return found.client;
    case 'suspended':
      throw new ApiError(403, 'API client is suspended');
    case 'deactivated':
      throw new ApiError(403, 'API client is deactivated');
  }
}
