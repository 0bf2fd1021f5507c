// Settled generations kept in memory (issue 15): a completed or failed row never changes again — every
// write of the state machine is conditional on `queued` or `processing`, and nothing deletes a generation —
// so a cached copy can never be stale, in this process or because of another one, and needs no TTL. A row
// still queued or processing is always read from the database. Bounded by `maxEntries` (least recently
// used go first); the rows are frozen, so a caller that tried to change one would throw instead of
// changing every later reader's copy.
import { Lru } from './lru.js';
import type { GenerationRepo, GenerationRow } from './store.js';
import { isSettled } from './store.js';

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

export class RowCache {
  readonly #rows: Lru<string, GenerationRow>;

  constructor(readonly maxEntries: number) {
    this.#rows = new Lru(maxEntries);
  }

  get size(): number {
    return this.#rows.size;
  }

  get(id: string): GenerationRow | undefined {
    return this.#rows.get(id);
  }

  /** Keeps `row` if it is settled; returns the row the caller should use (the frozen one when kept). */
  offer(row: GenerationRow): GenerationRow {
    if (this.maxEntries <= 0 || !isSettled(row)) return row;
    this.#rows.set(row.id, deepFreeze(row));
    return row;
  }
}

/** The repo with `get` answered from `cache` for settled rows; every other call goes straight through. */
export function cachingSettledRows(repo: GenerationRepo, cache: RowCache): GenerationRepo {
  if (cache.maxEntries <= 0) return repo;
  const get = async (id: string): Promise<GenerationRow | null> => {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const row = await repo.get(id);
    return row === null ? null : cache.offer(row);
  };
  return new Proxy(repo, {
    get(target, prop) {
      return prop === 'get' ? get : (Reflect.get(target, prop, target) as unknown);
    },
  });
}
