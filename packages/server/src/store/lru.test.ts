// The bounded LRU map both request-path caches use (issue 15): exactly least-recently-used eviction, also
// when hits on the newest entry skip the move.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lru } from './lru.js';

/** The obvious model: an array in recency order, oldest first. */
class ModelLru {
  readonly order: [string, number][] = [];
  constructor(readonly max: number) {}
  get(k: string): number | undefined {
    const i = this.order.findIndex(([key]) => key === k);
    if (i < 0) return undefined;
    const [e] = this.order.splice(i, 1);
    this.order.push(e!);
    return e![1];
  }
  set(k: string, v: number): void {
    if (this.max <= 0) return;
    this.delete(k);
    while (this.order.length >= this.max) this.order.shift();
    this.order.push([k, v]);
  }
  delete(k: string): void {
    const i = this.order.findIndex(([key]) => key === k);
    if (i >= 0) this.order.splice(i, 1);
  }
}

/** A small deterministic generator (xorshift), so a failure replays. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('Lru', () => {
  it('evicts the least recently used, a get counting as a use', () => {
    const lru = new Lru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    assert.equal(lru.get('a'), 1);
    lru.set('d', 4);
    assert.equal(lru.get('b'), undefined, 'b was the least recently used');
    assert.deepEqual(
      ['a', 'c', 'd'].map((k) => lru.get(k)),
      [1, 3, 4],
    );
    assert.equal(lru.size, 3);
  });

  it('repeated hits on the newest entry keep the order right', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    for (let i = 0; i < 5; i++) assert.equal(lru.get('b'), 2);
    lru.set('c', 3);
    assert.equal(lru.get('a'), undefined);
    assert.equal(lru.get('b'), 2);
  });

  it('after the newest entry is deleted, a hit on another moves it to the end', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.delete('b');
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1, 'a is now the newest');
    lru.set('c', 3);
    assert.equal(lru.get('b'), undefined, 'b was the least recently used');
    assert.equal(lru.get('a'), 1);
  });

  it('keeps nothing at maxEntries 0 and nothing after clear', () => {
    const off = new Lru<string, number>(0);
    off.set('a', 1);
    assert.equal(off.size, 0);
    const lru = new Lru<string, number>(4);
    lru.set('a', 1);
    lru.clear();
    assert.equal(lru.get('a'), undefined);
    assert.equal(lru.size, 0);
  });

  it('agrees with a plain recency list over 20 000 random operations', () => {
    for (const max of [1, 2, 3, 8]) {
      const next = rng(max * 7919);
      const lru = new Lru<string, number>(max);
      const model = new ModelLru(max);
      for (let i = 0; i < 5000; i++) {
        const key = `k${Math.floor(next() * (max + 3))}`;
        const op = next();
        if (op < 0.5) assert.equal(lru.get(key), model.get(key), `get ${key} at op ${i} (max ${max})`);
        else if (op < 0.9) {
          lru.set(key, i);
          model.set(key, i);
        } else {
          lru.delete(key);
          model.delete(key);
        }
        assert.equal(lru.size, model.order.length);
      }
    }
  });
});
