// The tenants-and-usage part of the one Store conformance suite (store.conformance.ts registers it), so
// SQLite and PostgreSQL agree on: settling a completion's price with its refund in the same transaction,
// atomic balance top-ups, the admin flag, and the usage aggregate (issue 12, parts 5–7).
// node:test's describe/it return promises the runner awaits itself (as eslint.config.js allows in *.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerationRequest } from '../../contract/wire.js';
import { DAY_MS } from '../usage.sql.js';
import type { ClientRecord, NewGeneration, Store, UsageBucket, UsageWindow } from '../store.js';
import { REQUEST, T0, admitted, balance, claimed, newClient, newGen, row } from './store.fixtures.js';

const OUT = [{ type: 'video' as const, key: 'generations/x/a1/output.mp4', contentType: 'video/mp4' }];

const EDIT: GenerationRequest = {
  ...REQUEST,
  type: 'video_edit',
  model: 'ray-3.2',
  image_ref: [],
  source: { url: 'https://example.com/clip.mp4', media_type: 'video/mp4' },
  output_format: null,
  video: { resolution: '360p' },
};

const zero: Omit<UsageBucket, 'key'> = {
  queued: 0,
  processing: 0,
  completed: 0,
  failed: 0,
  images: 0,
  videoMs: 0,
  chargedMicros: 0,
  reservedMicros: 0,
};

/** A bucket with the given figures, every other one zero. */
const bucket = (key: UsageBucket['key'], figures: Partial<UsageBucket>): UsageBucket => ({
  key,
  ...zero,
  ...figures,
});

/** Buckets in a stable order (the port promises none): by key, null last. */
const sorted = (b: UsageBucket[]): UsageBucket[] =>
  [...b].sort((x, y) =>
    x.key === y.key ? 0 : x.key === null ? 1 : y.key === null ? -1 : String(x.key) < String(y.key) ? -1 : 1,
  );

export function describeUsageConformance(store: () => Store, openMore: () => Promise<Store>): void {
  const window = (c: ClientRecord, over: Partial<UsageWindow> = {}): UsageWindow => ({
    clientId: c.id,
    start: T0,
    end: T0 + 10 * DAY_MS,
    groupBy: null,
    userId: null,
    ...over,
  });

  /** Admits, claims and completes one generation with `facts`; returns it. */
  const completedGen = async (
    g: NewGeneration,
    facts: { chargeMicros?: number | null; videoMs?: number | null } = {},
  ): Promise<NewGeneration> => {
    await admitted(store(), g);
    await claimed(store(), g.id, 'w-usage', g.createdAt);
    assert.equal(
      await store().generations.complete(g.id, 'w-usage', OUT, g.createdAt + 1, {
        upstreamId: null,
        ...facts,
      }),
      true,
    );
    return g;
  };

  describe('tenants and usage (issue 12)', () => {
    describe('settling a completion', () => {
      it('keeps the charge and refunds the rest of the reservation to a metered balance', async () => {
        const c = await newClient(store(), { balanceMicros: 5_000_000 });
        const g = await completedGen(newGen(c.id, { request: EDIT, priceMicros: 2_160_000 }), {
          chargeMicros: 1_080_000,
          videoMs: 6000,
        });
        assert.equal((await row(store(), g.id)).priceMicros, 1_080_000);
        assert.equal((await row(store(), g.id)).state, 'completed');
        assert.equal(await balance(store(), c.id), 5_000_000 - 1_080_000);
      });

      it('never charges more than the reservation, and without a charge keeps it whole', async () => {
        const c = await newClient(store(), { balanceMicros: 1000 });
        const over = await completedGen(newGen(c.id, { priceMicros: 300 }), { chargeMicros: 900 });
        assert.equal((await row(store(), over.id)).priceMicros, 300);
        const kept = await completedGen(newGen(c.id, { priceMicros: 200, createdAt: T0 + 1 }));
        assert.equal((await row(store(), kept.id)).priceMicros, 200);
        const free = await completedGen(newGen(c.id, { priceMicros: 100, createdAt: T0 + 2 }), {
          chargeMicros: -5,
        });
        assert.equal((await row(store(), free.id)).priceMicros, 0, 'a negative charge is nothing');
        assert.equal(await balance(store(), c.id), 1000 - 300 - 200);
      });

      it('settles once: a stale or repeated completion neither charges nor refunds again', async () => {
        const c = await newClient(store(), { balanceMicros: 1000 });
        const g = await completedGen(newGen(c.id, { priceMicros: 800 }), { chargeMicros: 500 });
        const again = await store().generations.complete(g.id, 'w-usage', OUT, T0 + 9, {
          upstreamId: null,
          chargeMicros: 0,
        });
        assert.equal(again, false);
        assert.equal(await balance(store(), c.id), 500);
        assert.equal((await row(store(), g.id)).priceMicros, 500);
      });

      it('records the price of an unmetered client without touching its balance', async () => {
        const c = await newClient(store());
        const g = await completedGen(newGen(c.id, { priceMicros: 800 }), { chargeMicros: 300 });
        assert.equal((await row(store(), g.id)).priceMicros, 300);
        assert.equal(await balance(store(), c.id), null);
      });
    });

    describe('clients', () => {
      it('marks and unmarks admins', async () => {
        const c = await newClient(store());
        assert.equal(c.admin, false);
        const admin = await newClient(store(), { admin: true });
        assert.equal(admin.admin, true);
        assert.deepEqual(await store().clients.findClientByName(admin.name), admin);
        assert.deepEqual(await store().clients.updateClient(c.id, { admin: true }), { ...c, admin: true });
        assert.equal((await store().clients.getClient(c.id))?.admin, true);
        assert.equal((await store().clients.updateClient(c.id, { admin: false }))?.admin, false);
      });

      it('adds to a metered balance, refusing an unmetered one and a result below zero', async () => {
        const c = await newClient(store(), { balanceMicros: 1000 });
        assert.equal(
          (await store().clients.updateClient(c.id, { addBalanceMicros: 500 }))?.balanceMicros,
          1500,
        );
        assert.equal(
          (await store().clients.updateClient(c.id, { addBalanceMicros: -1500 }))?.balanceMicros,
          0,
        );
        assert.equal(await store().clients.updateClient(c.id, { addBalanceMicros: -1 }), null);
        assert.equal(await balance(store(), c.id), 0);
        const patched = await store().clients.updateClient(c.id, {
          addBalanceMicros: 7,
          status: 'suspended',
        });
        assert.deepEqual(
          patched,
          { ...c, balanceMicros: 7, status: 'suspended' },
          'one statement, both fields',
        );
        const unmetered = await newClient(store());
        assert.equal(
          await store().clients.updateClient(unmetered.id, { addBalanceMicros: 5, status: 'suspended' }),
          null,
        );
        assert.deepEqual(await store().clients.getClient(unmetered.id), unmetered, 'nothing changed');
        await assert.rejects(store().clients.updateClient(c.id, { balanceMicros: 1, addBalanceMicros: 1 }));
      });

      it('loses no top-up racing admissions, refunds and other top-ups on several connections', async () => {
        const c = await newClient(store(), { balanceMicros: 10_000 });
        const stores = [store(), await openMore()];
        const work: Array<Promise<unknown>> = [];
        for (let i = 0; i < 20; i++) {
          const s = stores[i % 2] ?? store();
          work.push(s.clients.updateClient(c.id, { addBalanceMicros: 100 }));
          work.push(
            s.generations.admit(newGen(c.id, { priceMicros: 30, createdAt: T0 + i }), {
              concurrencyLimit: null,
              activeSince: 0,
            }),
          );
        }
        await Promise.all(work);
        assert.equal(await balance(store(), c.id), 10_000 + 20 * 100 - 20 * 30);
      });
    });

    describe('usage', () => {
      it('counts by state, sums images, video and money, and splits by model, type and user_id', async () => {
        const c = await newClient(store(), { balanceMicros: 100_000_000 });
        const other = await newClient(store());
        const video = (over: Partial<GenerationRequest>): GenerationRequest => ({ ...EDIT, ...over });
        // Two completed images of two users, one failed (refunded), one still queued.
        await completedGen(newGen(c.id, { priceMicros: 43_400, createdAt: T0 + 1 }));
        await completedGen(
          newGen(c.id, {
            priceMicros: 103_000,
            model: 'uni-1-max',
            type: 'image_edit',
            createdAt: T0 + 2,
            request: { ...REQUEST, type: 'image_edit', model: 'uni-1-max', user_id: 'user-2' },
          }),
        );
        const failed = newGen(c.id, { priceMicros: 40_400, createdAt: T0 + 3 });
        await admitted(store(), failed);
        await claimed(store(), failed.id, 'w-usage', T0 + 3);
        await store().generations.fail(failed.id, 'w-usage', 'content_moderated', 'flagged', T0 + 4);
        await completedGen(newGen(other.id, { priceMicros: 999, createdAt: T0 + 4 }));
        // An edit settled at 6 s; a queued one still holds its reservation.
        await completedGen(
          newGen(c.id, {
            type: 'video_edit',
            model: 'ray-3.2',
            request: video({ user_id: 'user-2' }),
            priceMicros: 2_160_000,
            createdAt: T0 + 5,
          }),
          { chargeMicros: 1_080_000, videoMs: 6000 },
        );
        await admitted(
          store(),
          newGen(c.id, {
            type: 'video_edit',
            model: 'ray-3.2',
            request: video({ user_id: null }),
            priceMicros: 2_160_000,
            createdAt: T0 + 6,
          }),
        );

        assert.deepEqual(await store().generations.usage(window(c)), [
          bucket(null, {
            queued: 1,
            completed: 3,
            failed: 1,
            images: 2,
            videoMs: 6000,
            chargedMicros: 43_400 + 103_000 + 1_080_000,
            reservedMicros: 2_160_000,
          }),
        ]);
        assert.deepEqual(sorted(await store().generations.usage(window(c, { groupBy: 'model' }))), [
          bucket('ray-3.2', {
            queued: 1,
            completed: 1,
            videoMs: 6000,
            chargedMicros: 1_080_000,
            reservedMicros: 2_160_000,
          }),
          bucket('uni-1', { completed: 1, failed: 1, images: 1, chargedMicros: 43_400 }),
          bucket('uni-1-max', { completed: 1, images: 1, chargedMicros: 103_000 }),
        ]);
        assert.deepEqual(
          sorted(await store().generations.usage(window(c, { groupBy: 'type' }))).map((b) => [
            b.key,
            b.completed,
          ]),
          [
            ['image', 1],
            ['image_edit', 1],
            ['video_edit', 1],
          ],
        );
        assert.deepEqual(sorted(await store().generations.usage(window(c, { groupBy: 'user_id' }))), [
          bucket('user-1', { completed: 1, failed: 1, images: 1, chargedMicros: 43_400 }),
          bucket('user-2', { completed: 2, images: 1, videoMs: 6000, chargedMicros: 103_000 + 1_080_000 }),
          bucket(null, { queued: 1, reservedMicros: 2_160_000 }),
        ]);
        assert.deepEqual(await store().generations.usage(window(c, { userId: 'user-1' })), [
          bucket(null, { completed: 1, failed: 1, images: 1, chargedMicros: 43_400 }),
        ]);
        // What the balance lost is exactly what usage calls charged plus reserved.
        assert.equal(await balance(store(), c.id), 100_000_000 - (43_400 + 103_000 + 1_080_000) - 2_160_000);
      });

      it('takes the window as [start, end) and splits days in UTC', async () => {
        const c = await newClient(store());
        const day0 = Math.floor(T0 / DAY_MS) * DAY_MS;
        for (const at of [day0 - 1, day0, day0 + DAY_MS - 1, day0 + DAY_MS, day0 + 3 * DAY_MS])
          await completedGen(newGen(c.id, { priceMicros: 10, createdAt: at }));
        const w = window(c, { start: day0, end: day0 + 3 * DAY_MS, groupBy: 'day' });
        assert.deepEqual(sorted(await store().generations.usage(w)), [
          bucket(day0 / DAY_MS, { completed: 2, images: 2, chargedMicros: 20 }),
          bucket(day0 / DAY_MS + 1, { completed: 1, images: 1, chargedMicros: 10 }),
        ]);
        assert.deepEqual(await store().generations.usage(window(c, { start: T0 + 50 * DAY_MS })), []);
      });
    });
  });
}
