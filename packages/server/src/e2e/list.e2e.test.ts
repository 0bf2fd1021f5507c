// GET /v1/generations end to end THROUGH THE CLIENT LIBRARY (issue 11, "List"): an api-only server (no
// worker, so 120 jobs cost nothing to create and stay where the test puts them), states moved through
// the store port as a worker would move them. Cursors over 120 jobs with every filter; no duplicate and
// no gap while new jobs arrive between pages; another client's jobs never appear; each item is exactly
// what GET by id answers; bad query values answer 422 and a missing key 401, in the contract's style.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Generation, GenerationCreateParams, GenerationListParams, Umbra } from '@umbra/sdk';
import { AuthenticationError, UnprocessableEntityError } from '@umbra/sdk';
import type { GenerationRow } from '../store/store.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const KINDS: GenerationCreateParams[] = [
  { prompt: 'a lighthouse', type: 'image', model: 'uni-1' },
  { prompt: 'a harbour', type: 'image', model: 'uni-1-max' },
  { prompt: 'waves', type: 'video', model: 'ray-3.2', video: { resolution: '360p' } },
];
const LEASE_MS = 3_600_000;

const ids = (gs: readonly { id: string }[]): string[] => gs.map((g) => g.id);

async function all(client: Umbra, params: GenerationListParams = {}): Promise<Generation[]> {
  const out: Generation[] = [];
  for await (const g of client.generations.listAll(params)) out.push(g);
  return out;
}

describe('GET /v1/generations through the client library', () => {
  let s: TestServer;
  let other: Umbra;
  let mine: Generation[] = [];
  let theirs: Generation[] = [];
  let ownerId = '';

  /** Creates `n` jobs one after the other, cycling through the kinds. */
  const create = async (client: Umbra, n: number): Promise<Generation[]> => {
    const out: Generation[] = [];
    for (let i = 0; i < n; i++) out.push(await client.generations.create(KINDS[i % KINDS.length]!));
    return out;
  };

  /** What the store holds for the owner, newest first: the reference every listing is checked against. */
  const stored = async (): Promise<GenerationRow[]> =>
    s.umbra.store.generations.list(ownerId, {
      limit: 10_000,
      state: null,
      type: null,
      model: null,
      after: null,
    });

  before(async () => {
    s = await startTestServer({ UMBRA_ROLE: 'api' });
    other = s.clientFor(await s.newKey({ client: 'other-team', rpm: null, concurrency: null }));
    mine = await create(s.client, 120);
    ownerId = (await s.umbra.store.generations.get(mine[0]!.id))?.clientId ?? '';
    // A worker's part, through the store port: the 30 oldest leave the queue; 15 complete, 10 fail and
    // 5 keep processing.
    const now = Date.now();
    for (let i = 0; i < 30; i++) {
      const row = await s.umbra.store.generations.claim('list-test', now, LEASE_MS);
      assert.ok(row);
      if (i < 15) {
        const output = { type: 'image' as const, key: `outputs/${row.id}/0.png`, contentType: 'image/png' };
        assert.ok(await s.umbra.store.generations.complete(row.id, 'list-test', [output], now));
      } else if (i < 25) {
        assert.ok(await s.umbra.store.generations.fail(row.id, 'list-test', 'generation_failed', 'x', now));
      }
    }
    theirs = await create(other, 5);
  });
  after(() => s.stop());

  it('pages through 120 jobs newest first, every one once, whatever the page size', async () => {
    const want = ids(await stored());
    assert.equal(want.length, 120);
    assert.deepEqual([...want].sort(), ids(mine).sort());
    for (const limit of [1, 7, 25, 100]) {
      const got = await all(s.client, { limit });
      assert.deepEqual(ids(got), want, `limit ${limit}`);
    }
    const first = await s.client.generations.list();
    assert.equal(first.data.length, 25, 'default page size');
    assert.equal(first.has_more, true);
    const last = await s.client.generations.list({
      limit: 100,
      cursor: (await s.client.generations.list({ limit: 20 })).next_cursor,
    });
    assert.equal(last.data.length, 100);
    assert.equal(last.has_more, false);
    assert.equal(last.next_cursor, null);
  });

  it('filters by state, type and model (and together), across pages', async () => {
    const every = await all(s.client, { limit: 100 });
    const cases: GenerationListParams[] = [
      { state: 'queued' },
      { state: 'processing' },
      { state: 'completed' },
      { state: 'failed' },
      { type: 'image' },
      { type: 'video' },
      { type: 'image_edit' },
      { model: 'uni-1' },
      { model: 'uni-1-max' },
      { model: 'ray-3.2' },
      { state: 'completed', type: 'image', model: 'uni-1-max' },
      { state: 'queued', type: 'video' },
    ];
    const counts: number[] = [];
    for (const f of cases) {
      const want = every.filter(
        (g) =>
          (f.state == null || g.state === f.state) &&
          (f.type == null || g.type === f.type) &&
          (f.model == null || g.model === f.model),
      );
      const got = await all(s.client, { ...f, limit: 9 });
      assert.deepEqual(ids(got), ids(want), JSON.stringify(f));
      counts.push(got.length);
    }
    assert.deepEqual(counts.slice(0, 4), [90, 5, 15, 10]);
    assert.deepEqual(counts.slice(4, 7), [80, 40, 0]);
    assert.deepEqual(counts.slice(7, 10), [40, 40, 40]);
  });

  it('each item is the generation exactly as GET by id answers it, output URLs freshly signed', async () => {
    const page = await s.client.generations.list({ state: 'completed', limit: 3 });
    const failed = await s.client.generations.list({ state: 'failed', limit: 2 });
    for (const g of [...page.data, ...failed.data]) {
      const one = await s.client.generations.get(g.id);
      const strip = (x: Generation) => ({
        ...x,
        output: x.output.map((o) => ({ ...o, url: o.url.split('?')[0] })),
      });
      assert.deepEqual(strip(g), strip(one));
      assert.deepEqual(Object.keys(g), Object.keys(one));
    }
    const url = new URL(page.data[0]?.output[0]?.url ?? '');
    const expires = Number(url.searchParams.get('expires'));
    assert.ok(expires * 1000 > Date.now() + 3_500_000, `signed for an hour: ${url.search}`);
    assert.equal(failed.data[0]?.failure_code, 'generation_failed');
  });

  it('no duplicate and no gap while new jobs arrive between pages, with and without a filter', async () => {
    for (const filter of [{}, { model: 'uni-1' as const }]) {
      const snapshot = await all(s.client, { ...filter, limit: 100 });
      const seen: Generation[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await s.client.generations.list({ ...filter, limit: 11, cursor });
        seen.push(...page.data);
        cursor = page.next_cursor;
        // Jobs of every kind arrive while the client reads: they are newer than any cursor handed out.
        await create(s.client, 3);
        await create(other, 1);
      } while (cursor != null);
      assert.equal(new Set(ids(seen)).size, seen.length, 'no duplicates');
      assert.deepEqual(ids(seen), ids(snapshot), 'exactly the jobs that were there, in order');
      const fresh = await s.client.generations.list({ ...filter, limit: 1 });
      assert.ok(!snapshot.some((g) => g.id === fresh.data[0]?.id), 'the newest is one that arrived');
    }
  });

  it('only the caller’s client: another client sees its own jobs, never ours, and ours never show theirs', async () => {
    const mineNow = await all(s.client, { limit: 100 });
    const theirsNow = await all(other, { limit: 100 });
    const theirIds = new Set(ids(theirsNow));
    assert.ok(ids(theirs).every((id) => theirIds.has(id)));
    assert.ok(mineNow.every((g) => !theirIds.has(g.id)));
    assert.ok(ids(mine).every((id) => !theirIds.has(id)));
    // A cursor names a position, not a client: used by the other client it still lists only its own.
    const ourCursor = (await s.client.generations.list({ limit: 5 })).next_cursor;
    const theirPage = await all(other, { cursor: ourCursor });
    assert.ok(theirPage.every((g) => theirIds.has(g.id)));
  });

  it('bad query values answer 422 with a detail; the SDK raises UnprocessableEntityError', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit: must be an integer between 1 and 100'],
      ['limit=101', 'limit: must be an integer between 1 and 100'],
      ['limit=ten', 'limit: must be an integer between 1 and 100'],
      ['limit=1&limit=2', 'limit: must be an integer between 1 and 100'],
      ['state=done', 'state: must be one of: queued, processing, completed, failed'],
      ['type=audio', 'type: must be one of: image, image_edit, video, video_edit, video_reframe'],
      ['model=ray-3.14', 'model: must be one of: uni-1, uni-1-max, ray-3.2'],
      ['cursor=abc', 'cursor: is not a valid cursor'],
      [`cursor=${Buffer.from('12.not-an-id').toString('base64url')}`, 'cursor: is not a valid cursor'],
    ];
    for (const [q, detail] of cases) {
      const r = await s.raw('GET', `/v1/generations?${q}`, { headers: { 'x-request-id': 'req-list-1' } });
      assert.equal(r.status, 422, q);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(r.headers.get('x-request-id'), 'req-list-1');
      assert.equal(r.headers.get('x-api-version'), '2026-04-01');
      assert.deepEqual(await r.json(), { detail }, q);
    }
    const err = await s.client.generations.list({ cursor: 'nope' }).catch((e: unknown) => e);
    assert.ok(err instanceof UnprocessableEntityError);
    assert.equal(err.detail, 'cursor: is not a valid cursor');
  });

  it('answers 401 without a key or with a bad one, before looking at the query', async () => {
    for (const auth of [null, 'luma-api-not-a-key']) {
      const r = await s.raw('GET', '/v1/generations?state=done', { auth });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('x-api-version'), '2026-04-01');
      assert.ok(r.headers.get('x-request-id'));
      const byId = await s.raw('GET', `/v1/generations/${mine[0]!.id}`, { auth });
      assert.deepEqual(await r.json(), await byId.json(), 'the same detail as GET by id');
    }
    await assert.rejects(s.clientFor('luma-api-not-a-key').generations.list(), AuthenticationError);
  });
});
