// Settled generations kept in memory (issue 15, store/row-cache.ts), over a real SQLite store: a completed
// or failed row is read from the database once; a queued or processing row every time; the cache is bounded,
// and what it hands out cannot be changed by a caller.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cachingSettledRows, RowCache } from './row-cache.js';
import type { GenerationRepo, Store } from './store.js';
import { openSqliteStore } from './sqlite/sqlite.store.js';
import { admitted, claimed, newClient, newGen, T0 } from './testing/store.fixtures.js';

describe('cachingSettledRows over a SQLite store', () => {
  let dir: string;
  let store: Store;
  let clientId: string;
  let reads: string[];
  /** The real repo, with its `get` calls recorded. */
  let counted: GenerationRepo;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-row-cache-'));
    store = openSqliteStore(join(dir, 'umbra.db'));
    await store.migrate();
    clientId = (await newClient(store)).id;
    const repo = store.generations;
    counted = new Proxy(repo, {
      get(target, prop) {
        if (prop === 'get')
          return (id: string) => {
            reads.push(id);
            return target.get(id);
          };
        return Reflect.get(target, prop, target) as unknown;
      },
    });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Admits, claims and settles one generation; its id. */
  const settle = async (how: 'completed' | 'failed'): Promise<string> => {
    const g = await admitted(store, newGen(clientId));
    await claimed(store, g.id, 'w1');
    const done =
      how === 'completed'
        ? await store.generations.complete(
            g.id,
            'w1',
            [{ type: 'image', key: 'k', contentType: 'image/png' }],
            T0,
          )
        : await store.generations.fail(g.id, 'w1', 'generation_failed', 'boom', T0);
    assert.equal(done, true);
    return g.id;
  };

  it('reads a completed or failed row once, then answers from memory', async () => {
    reads = [];
    const cached = cachingSettledRows(counted, new RowCache(10));
    for (const how of ['completed', 'failed'] as const) {
      const id = await settle(how);
      const first = await cached.get(id);
      const again = await cached.get(id);
      assert.equal(first?.state, how);
      assert.deepEqual(again, first);
      assert.deepEqual(
        reads.filter((r) => r === id),
        [id],
      );
    }
  });

  it('reads a queued or processing row every time, so its change shows at once', async () => {
    reads = [];
    const cached = cachingSettledRows(counted, new RowCache(10));
    const g = await admitted(store, newGen(clientId));
    assert.equal((await cached.get(g.id))?.state, 'queued');
    await claimed(store, g.id, 'w1');
    assert.equal((await cached.get(g.id))?.state, 'processing');
    assert.equal(await store.generations.complete(g.id, 'w1', [], T0), true);
    assert.equal((await cached.get(g.id))?.state, 'completed');
    assert.equal((await cached.get(g.id))?.state, 'completed');
    assert.equal(reads.length, 3, 'queued, processing and the first completed read went to the database');
  });

  it('an unknown id is read every time and never kept', async () => {
    reads = [];
    const cache = new RowCache(10);
    const cached = cachingSettledRows(counted, cache);
    assert.equal(await cached.get('00000000-0000-0000-0000-000000000000'), null);
    assert.equal(await cached.get('00000000-0000-0000-0000-000000000000'), null);
    assert.equal(reads.length, 2);
    assert.equal(cache.size, 0);
  });

  it('no state-machine write changes a settled row, which is why a kept row is never stale', async () => {
    const id = await settle('completed');
    const before = await store.generations.get(id);
    const g = store.generations;
    assert.equal(await g.complete(id, 'w1', [], T0 + 1), false);
    assert.equal(await g.fail(id, 'w1', 'generation_failed', 'late', T0 + 1), false);
    assert.equal(await g.requeue(id, 'w1', T0 + 1, T0 + 1), false);
    assert.equal(await g.release(id, 'w1', T0 + 1, T0 + 1), false);
    assert.equal(await g.heartbeat(id, 'w1', T0 + 1, 1000, 0.5), false);
    assert.equal((await g.cancel(clientId, id, 'late', T0 + 1))?.outcome, 'terminal');
    await g.reapExpired(T0 + 10_000_000);
    await g.expireStale(T0 + 10_000_000, T0 + 10_000_000);
    assert.deepEqual(await store.generations.get(id), before);
  });

  it('holds at most maxEntries rows, the least recently used going first', async () => {
    const cache = new RowCache(3);
    const cached = cachingSettledRows(counted, cache);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await settle('completed'));
      await cached.get(ids[i] ?? '');
      await cached.get(ids[0] ?? ''); // kept in use
      assert.ok(cache.size <= 3);
    }
    reads = [];
    await cached.get(ids[0] ?? '');
    await cached.get(ids[5] ?? '');
    assert.deepEqual(reads, [], 'the row in use and the newest stayed');
    await cached.get(ids[1] ?? '');
    assert.deepEqual(reads, [ids[1]], 'an older, unused row was evicted');
  });

  it('hands out rows that cannot be changed', async () => {
    const cached = cachingSettledRows(counted, new RowCache(10));
    const id = await settle('completed');
    const r = await cached.get(id);
    assert.ok(r);
    assert.throws(() => {
      (r as { state: string }).state = 'queued';
    }, TypeError);
    assert.throws(() => r.outputs.push({ type: 'image', key: 'x', contentType: 'image/png' }), TypeError);
    assert.equal((await cached.get(id))?.outputs.length, 1);
  });

  it('with maxEntries 0 is the repo itself', () => {
    assert.equal(cachingSettledRows(counted, new RowCache(0)), counted);
  });
});
