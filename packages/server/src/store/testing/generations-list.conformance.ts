// The listing part of the one Store conformance suite (store.conformance.ts registers it), so SQLite and
// PostgreSQL page a client's generations alike: newest first, keyset on (created_at, id), owner scoped,
// filtered by state, type and model, with no duplicate and no gap while new rows arrive between pages.
// node:test's describe/it return promises the runner awaits itself (as eslint.config.js allows in *.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListCursor } from '../../contract/list-query.js';
import type { GenerationPage, GenerationRow, Store } from '../store.js';
import { T0, admitted, claimed, newClient, newGen } from './store.fixtures.js';

const ALL: GenerationPage = { limit: 1000, state: null, type: null, model: null, after: null };

/** Follows the pages of `page` to the end; `between` runs after each page (to add rows meanwhile). */
async function walk(
  store: Store,
  clientId: string,
  page: GenerationPage,
  between: (n: number) => Promise<void> = async () => {},
): Promise<GenerationRow[]> {
  const seen: GenerationRow[] = [];
  let after: ListCursor | null = null;
  for (let n = 0; ; n++) {
    const got: GenerationRow[] = await store.generations.list(clientId, { ...page, after });
    seen.push(...got);
    const last = got.at(-1);
    if (got.length < page.limit || last === undefined) return seen;
    after = { createdAt: last.createdAt, id: last.id };
    await between(n);
  }
}

/** Newest first: created_at descending, then id descending. */
const newestFirst = (a: GenerationRow, b: GenerationRow): number =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

type Filter = Partial<Pick<GenerationRow, 'state' | 'type' | 'model'>>;

const ids = (rows: readonly GenerationRow[]): string[] => rows.map((r) => r.id);

export function describeGenerationListConformance(store: () => Store): void {
  describe('listing generations (issue 11)', () => {
    it('pages newest first on (created_at, id), ties included, only the client’s own rows', async () => {
      const c = await newClient(store());
      const other = await newClient(store());
      // Four rows share one created_at: the id orders them, so no page boundary can skip or repeat one.
      for (const at of [0, 1, 1, 1, 1, 2, 3, 5, 8])
        await admitted(store(), newGen(c.id, { createdAt: T0 + at }));
      await admitted(store(), newGen(other.id, { createdAt: T0 + 4 }));
      const all = await store().generations.list(c.id, ALL);
      assert.equal(all.length, 9);
      assert.deepEqual(ids(all), ids([...all].sort(newestFirst)));
      assert.ok(all.every((r) => r.clientId === c.id));
      for (const limit of [1, 2, 3, 4, 9]) {
        assert.deepEqual(ids(await walk(store(), c.id, { ...ALL, limit })), ids(all), `limit ${limit}`);
      }
      assert.deepEqual(await store().generations.list(c.id, { ...ALL, limit: 0 }), []);
      const past = { createdAt: T0 - 1, id: all[0]?.id ?? '' };
      assert.deepEqual(await store().generations.list(c.id, { ...ALL, after: past }), []);
      assert.deepEqual(await store().generations.list((await newClient(store())).id, ALL), []);
    });

    it('filters by state, type and model, together and while paging', async () => {
      const c = await newClient(store());
      const kinds = [
        { type: 'image', model: 'uni-1' },
        { type: 'image', model: 'uni-1-max' },
        { type: 'image_edit', model: 'uni-1' },
        { type: 'video', model: 'ray-3.2' },
      ] as const;
      for (let i = 0; i < 12; i++) {
        await admitted(store(), newGen(c.id, { createdAt: T0 + i, ...kinds[i % kinds.length]! }));
      }
      // The three oldest leave the queue: one completes, one fails, one stays processing.
      const byAge = [...(await store().generations.list(c.id, ALL))].reverse();
      const [done, failed, running] = byAge;
      assert.ok(done && failed && running);
      await claimed(store(), done.id, 'w', T0 + 100);
      await claimed(store(), failed.id, 'w', T0 + 100);
      await claimed(store(), running.id, 'w', T0 + 100);
      assert.ok(await store().generations.complete(done.id, 'w', [], T0 + 101));
      assert.ok(await store().generations.fail(failed.id, 'w', 'generation_failed', 'x', T0 + 101));

      const all = await store().generations.list(c.id, ALL);
      const expect = (f: Filter): string[] =>
        ids(all.filter((r) => Object.entries(f).every(([k, v]) => r[k as keyof GenerationRow] === v)));
      const cases: Filter[] = [
        { state: 'queued' },
        { state: 'processing' },
        { state: 'completed' },
        { state: 'failed' },
        { type: 'image' },
        { type: 'video' },
        { model: 'uni-1' },
        { model: 'ray-3.2' },
        { type: 'image', model: 'uni-1' },
        { state: 'queued', type: 'image', model: 'uni-1-max' },
        { type: 'video_reframe' },
      ];
      for (const f of cases) {
        const want = expect(f);
        const got = await walk(store(), c.id, { ...ALL, limit: 2, ...f });
        assert.deepEqual(ids(got), want, JSON.stringify(f));
      }
      assert.deepEqual(expect({ state: 'completed' }), [done.id]);
      assert.deepEqual(expect({ state: 'processing' }), [running.id]);
      assert.equal(expect({ state: 'queued' }).length, 9);
    });

    it('never repeats or skips a row while newer ones arrive between pages', async () => {
      const c = await newClient(store());
      for (let i = 0; i < 10; i++) await admitted(store(), newGen(c.id, { createdAt: T0 + i }));
      const before = await store().generations.list(c.id, ALL);
      let at = T0 + 1000;
      const seen = await walk(store(), c.id, { ...ALL, limit: 3 }, async () => {
        // Two new jobs per page: one newer than everything, one in the same millisecond as the newest row.
        await admitted(store(), newGen(c.id, { createdAt: (at += 1) }));
        await admitted(store(), newGen(c.id, { createdAt: T0 + 9 }));
      });
      const later = seen.filter((r) => !before.some((b) => b.id === r.id));
      const old = seen.filter((r) => before.some((b) => b.id === r.id));
      assert.deepEqual(ids(old), ids(before), 'every row that was there is seen once, in order');
      assert.equal(new Set(ids(seen)).size, seen.length, 'no duplicates');
      // New rows sort before every cursor handed out, so they belong to pages already read.
      assert.deepEqual(later, []);
      assert.equal((await store().generations.list(c.id, ALL)).length, 10 + 2 * 3);
    });
  });
}
