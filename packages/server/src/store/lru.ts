// A map bounded in entries, the least recently used evicted first: the one shape both in-memory caches of
// the request path share (policy/key-cache.ts, store/row-cache.ts). A Map's insertion order is its recency
// order: a hit moves its entry to the end, eviction takes the first. A hit on the entry already at the end
// stays where it is: moving it (a delete and a set) would change nothing, and a Map of a few entries that
// drops to none on the delete shrinks and regrows its table on every hit (issue 15: the polling of one
// generation by one key, the commonest load, is exactly that).
export class Lru<K, V> {
  readonly #entries = new Map<K, V>();
  /** Whether `#newestKey` is the key at the end of the order (not after that entry was deleted). */
  #knowsNewest = false;
  #newestKey: K | undefined;

  /** `maxEntries` ≤ 0 keeps nothing. */
  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The value under `key`, now the most recently used; undefined if there is none. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined && !(this.#knowsNewest && this.#newestKey === key)) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
      this.#newest(key);
    }
    return value;
  }

  /** Keeps `value` under `key` as the most recently used; the least recently used go beyond the bound. */
  set(key: K, value: V): void {
    if (this.maxEntries <= 0) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
    this.#newest(key);
  }

  delete(key: K): void {
    this.#entries.delete(key);
    if (this.#newestKey === key) this.#forgetNewest();
  }

  clear(): void {
    this.#entries.clear();
    this.#forgetNewest();
  }

  #forgetNewest(): void {
    this.#newestKey = undefined;
    this.#knowsNewest = false;
  }

  #newest(key: K): void {
    this.#newestKey = key;
    this.#knowsNewest = true;
  }
}
