// The keys found by hash, kept for a few seconds (issue 15): every authenticated request looked its key and
// client up in the database, the largest cost of a GET after Fastify itself. Bounds: at most `maxEntries`
// keys (least recently used go first) and each for at most `ttlMs`. Any change to clients or keys made
// through this process's store empties the cache at once, so a key revoked or a client suspended here is
// refused on the very next request; a change made by another process (`umbra keys revoke`, `umbra clients
// set`, another API process) applies within `ttlMs`. Only keys that exist are kept: an unknown key is
// looked up every time, so guessed keys can neither fill the cache nor be remembered as valid.
import { Lru } from '../store/lru.js';
import type { ClientRecord, ClientRepo, KeyRecord, Store } from '../store/store.js';

export interface FoundKey {
  key: KeyRecord;
  client: ClientRecord;
}

export interface KeyCacheOptions {
  /** Most keys kept; 0 = no cache. */
  maxEntries: number;
  /** How long a key is kept after it was read; 0 = no cache. */
  ttlMs: number;
  now: () => number;
}

export class KeyCache {
  readonly #entries: Lru<string, { found: FoundKey; until: number }>;
  /** Bumped by every clear, so a read that started before a change cannot store what it read. */
  #epoch = 0;

  constructor(private readonly o: KeyCacheOptions) {
    this.#entries = new Lru(o.ttlMs > 0 ? o.maxEntries : 0);
  }

  get size(): number {
    return this.#entries.size;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** The key and client stored under `hash` while they are fresh, or undefined. */
  get(hash: string): FoundKey | undefined {
    const e = this.#entries.get(hash);
    if (e === undefined) return undefined;
    if (e.until > this.o.now()) return e.found;
    this.#entries.delete(hash);
    return undefined;
  }

  /** Keeps `found` under `hash`, unless the cache was cleared since `epoch` (when the read began). */
  set(hash: string, found: FoundKey, epoch: number): void {
    if (epoch === this.#epoch) this.#entries.set(hash, { found, until: this.o.now() + this.o.ttlMs });
  }

  clear(): void {
    this.#epoch++;
    this.#entries.clear();
  }
}

/** The store with `clients.findKeyByHash` answered from `cache`, which every client or key write empties. */
export function cachingKeys(store: Store, cache: KeyCache): Store {
  const c = store.clients;
  /** Runs a client or key write, then empties the cache (whether or not the write went through). */
  const write = async <R>(f: () => Promise<R>): Promise<R> => {
    try {
      return await f();
    } finally {
      cache.clear();
    }
  };
  const clients: ClientRepo = {
    createClient: (x) => write(() => c.createClient(x)),
    getClient: (id) => c.getClient(id),
    findClientByName: (name) => c.findClientByName(name),
    listClients: () => c.listClients(),
    updateClient: (id, patch) => write(() => c.updateClient(id, patch)),
    createKey: (k) => write(() => c.createKey(k)),
    async findKeyByHash(hash) {
      const hit = cache.get(hash);
      if (hit !== undefined) return hit;
      const epoch = cache.epoch;
      const found = await c.findKeyByHash(hash);
      if (found !== null) cache.set(hash, found, epoch);
      return found;
    },
    listKeys: () => c.listKeys(),
    revokeKeys: (prefix, now) => write(() => c.revokeKeys(prefix, now)),
  };
  return { ...store, clients };
}
