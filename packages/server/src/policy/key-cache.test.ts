// The key cache (issue 15): bounded in entries and age, emptied by any client or key write through the
// store it wraps, and never holding a key the database does not know.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../contract/api-error.js';
import type { Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqlite/sqlite.store.js';
import { authenticate, hashKey } from './api-keys.js';
import type { FoundKey } from './key-cache.js';
import { cachingKeys, KeyCache } from './key-cache.js';
import { createKeyForClient } from './key-admin.js';

const found = (id: string): FoundKey =>
  ({ key: { id }, client: { id: `client-${id}` } }) as unknown as FoundKey;

describe('KeyCache', () => {
  it('never holds more than maxEntries; the least recently used goes first', () => {
    const cache = new KeyCache({ maxEntries: 3, ttlMs: 60_000, now: () => 0 });
    for (let i = 0; i < 50; i++) {
      cache.set(`h${i}`, found(String(i)), cache.epoch);
      assert.ok(cache.size <= 3, `size ${cache.size} after ${i + 1} sets`);
      if (i >= 2) assert.ok(cache.get('h0') !== undefined, 'a key in use stays');
    }
    assert.equal(cache.size, 3);
    assert.equal(cache.get('h48')?.key.id, '48');
    assert.equal(cache.get('h47'), undefined, 'older, unused keys were evicted');
  });

  it('forgets an entry after ttlMs', () => {
    let t = 1000;
    const cache = new KeyCache({ maxEntries: 10, ttlMs: 5000, now: () => t });
    cache.set('h', found('a'), cache.epoch);
    t += 4999;
    assert.equal(cache.get('h')?.key.id, 'a');
    t += 1;
    assert.equal(cache.get('h'), undefined);
    assert.equal(cache.size, 0, 'an expired entry is dropped when met');
  });

  it('a read that began before a clear is not stored', () => {
    const cache = new KeyCache({ maxEntries: 10, ttlMs: 5000, now: () => 0 });
    const epoch = cache.epoch;
    cache.clear();
    cache.set('h', found('a'), epoch);
    assert.equal(cache.size, 0);
  });

  it('stores nothing when turned off', () => {
    const off = new KeyCache({ maxEntries: 10, ttlMs: 0, now: () => 0 });
    off.set('h', found('a'), off.epoch);
    assert.equal(off.size, 0);
  });
});

describe('cachingKeys over a SQLite store', () => {
  let dir: string;
  let raw: Store;
  let store: Store;
  let cache: KeyCache;
  let reads = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-key-cache-'));
    raw = openSqliteStore(join(dir, 'umbra.db'));
    await raw.migrate();
    const counted: Store = {
      ...raw,
      clients: Object.assign(Object.create(raw.clients) as Store['clients'], {
        findKeyByHash: (hash: string) => {
          reads++;
          return raw.clients.findKeyByHash(hash);
        },
      }),
    };
    cache = new KeyCache({ maxEntries: 100, ttlMs: 60_000, now: () => Date.now() });
    store = cachingKeys(counted, cache);
  });
  after(async () => {
    await raw.close();
    await rm(dir, { recursive: true, force: true });
  });

  const refusal = async (key: string): Promise<string> => {
    try {
      await authenticate(store, `Bearer ${key}`, Date.now());
    } catch (e) {
      assert.ok(e instanceof ApiError);
      return `${e.status} ${e.detail}`;
    }
    return 'accepted';
  };

  it('reads a known key once, then answers from memory', async () => {
    const { key } = await createKeyForClient(store, { client: 'c1', hdr: false }, Date.now());
    reads = 0;
    for (let i = 0; i < 5; i++) assert.equal(await refusal(key), 'accepted');
    assert.equal(reads, 1);
    assert.equal(cache.size, 1);
  });

  it('a wrong key is never cached: every try reads the database and is refused', async () => {
    cache.clear();
    reads = 0;
    const wrong = 'luma-api-not-a-key-0000000000000000000000000000000';
    for (let i = 0; i < 3; i++) assert.equal(await refusal(wrong), '401 Invalid API key');
    assert.equal(reads, 3);
    assert.equal(cache.size, 0);
    assert.equal(await store.clients.findKeyByHash(hashKey(wrong)), null);
  });

  it('a key revoked through the store is refused on the very next request', async () => {
    const { key } = await createKeyForClient(store, { client: 'c2', hdr: false }, Date.now());
    assert.equal(await refusal(key), 'accepted');
    assert.equal(await refusal(key), 'accepted');
    assert.equal(await store.clients.revokeKeys(key.slice(0, 17), Date.now()), 1);
    assert.equal(await refusal(key), '401 API key has been revoked');
  });

  it('a client suspended through the store is refused on the very next request', async () => {
    const { key, client } = await createKeyForClient(store, { client: 'c3', hdr: false }, Date.now());
    assert.equal(await refusal(key), 'accepted');
    await store.clients.updateClient(client.id, { status: 'suspended' });
    assert.equal(await refusal(key), '403 API client is suspended');
  });
});
