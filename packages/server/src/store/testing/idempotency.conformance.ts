// The idempotency part of the one Store conformance suite (store.conformance.ts registers it): a key is
// recorded in the admission's own transaction, replays its job while live, is scoped to its client,
// admits exactly one of many racing creates, and neither replays nor blocks once expired and swept.
// node:test's describe/it return promises the runner awaits itself (as eslint.config.js allows in *.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { admitOutcome, type GenerationPage, type NewIdempotencyKey, type Store } from '../store.js';
import { NO_CAP, T0, newClient, newGen } from './store.fixtures.js';

const ALL: GenerationPage = { limit: 1000, state: null, type: null, model: null, after: null };
const DAY = 24 * 60 * 60 * 1000;

/** A fresh key with hash `h`, live for records created since T0 − 1 day. */
const idem = (key: string, h = 'hash-a', liveSince = T0 - DAY): NewIdempotencyKey => ({
  key,
  requestHash: h,
  liveSince,
});

const count = async (store: Store, clientId: string): Promise<number> =>
  (await store.generations.list(clientId, ALL)).length;

export function describeIdempotencyConformance(store: () => Store, openMore: () => Promise<Store>): void {
  describe('idempotency keys (issue 11)', () => {
    it('records the key with the job, then hands the record back instead of inserting again', async () => {
      const c = await newClient(store());
      const first = newGen(c.id);
      const key = `k-${randomUUID()}`;
      assert.equal(admitOutcome(await store().generations.admit(first, NO_CAP, idem(key))), 'admitted');
      const record = {
        clientId: c.id,
        key,
        requestHash: 'hash-a',
        generationId: first.id,
        createdAt: T0,
      };
      assert.deepEqual(await store().idempotency.find(c.id, key, T0 - DAY), record);
      // Same key, any body: the store answers with the record; comparing hashes is the caller's part.
      const again = await store().generations.admit(
        newGen(c.id, { createdAt: T0 + 5 }),
        NO_CAP,
        idem(key, 'hash-b'),
      );
      assert.deepEqual(again, { replayOf: record });
      assert.equal(await count(store(), c.id), 1);
      assert.equal(await store().idempotency.find(c.id, 'other-key', T0 - DAY), null);
    });

    it('scopes keys to their client', async () => {
      const a = await newClient(store());
      const b = await newClient(store());
      assert.equal(
        admitOutcome(await store().generations.admit(newGen(a.id), NO_CAP, idem('shared'))),
        'admitted',
      );
      assert.equal(
        admitOutcome(await store().generations.admit(newGen(b.id), NO_CAP, idem('shared'))),
        'admitted',
      );
      assert.equal(await count(store(), a.id), 1);
      assert.equal(await count(store(), b.id), 1);
      assert.notEqual(
        (await store().idempotency.find(a.id, 'shared', 0))?.generationId,
        (await store().idempotency.find(b.id, 'shared', 0))?.generationId,
      );
    });

    it('lets exactly one of 20 racing admissions with one key insert, from several stores', async () => {
      const c = await newClient(store());
      const stores = [store(), await openMore(), await openMore()];
      const gens = Array.from({ length: 20 }, () => newGen(c.id));
      const results = await Promise.all(
        gens.map((g, i) => stores[i % stores.length]!.generations.admit(g, NO_CAP, idem('race'))),
      );
      const winners = gens.filter((_, i) => admitOutcome(results[i]!) === 'admitted');
      assert.equal(winners.length, 1);
      for (const r of results) {
        if (admitOutcome(r) !== 'admitted')
          assert.equal(typeof r === 'object' && 'replayOf' in r && r.replayOf.generationId, winners[0]!.id);
      }
      assert.equal(await count(store(), c.id), 1);
    });

    it('records nothing when the admission is refused (cap or balance)', async () => {
      const c = await newClient(store(), { balanceMicros: 10 });
      const poor = newGen(c.id, { priceMicros: 11 });
      assert.equal(await store().generations.admit(poor, NO_CAP, idem('refused')), 'insufficient_balance');
      assert.equal(await store().idempotency.find(c.id, 'refused', 0), null);
      const capped = { concurrencyLimit: 0, activeSince: 0 };
      assert.equal(
        await store().generations.admit(newGen(c.id), capped, idem('refused')),
        'too_many_concurrent',
      );
      assert.equal(await store().idempotency.find(c.id, 'refused', 0), null);
      // The same key then admits a request that passes.
      assert.equal(
        admitOutcome(await store().generations.admit(newGen(c.id), NO_CAP, idem('refused'))),
        'admitted',
      );
    });

    it('neither replays nor blocks an expired key, and sweeps expired keys of every client', async () => {
      const c = await newClient(store());
      const old = newGen(c.id, { createdAt: T0 });
      assert.equal(admitOutcome(await store().generations.admit(old, NO_CAP, idem('day-old'))), 'admitted');
      const later = T0 + DAY + 1;
      const live = later - DAY;
      assert.equal(await store().idempotency.find(c.id, 'day-old', live), null);
      // Not yet swept: the new admission takes the key over.
      const fresh = newGen(c.id, { createdAt: later });
      assert.equal(
        admitOutcome(await store().generations.admit(fresh, NO_CAP, idem('day-old', 'hash-b', live))),
        'admitted',
      );
      assert.equal((await store().idempotency.find(c.id, 'day-old', live))?.generationId, fresh.id);

      const other = await newClient(store());
      assert.equal(
        admitOutcome(await store().generations.admit(newGen(other.id), NO_CAP, idem('swept'))),
        'admitted',
      );
      assert.ok((await store().idempotency.sweep(live)) >= 1);
      assert.equal(await store().idempotency.find(other.id, 'swept', 0), null);
      assert.equal((await store().idempotency.find(c.id, 'day-old', live))?.generationId, fresh.id);
      assert.equal(
        admitOutcome(await store().generations.admit(newGen(other.id), NO_CAP, idem('swept'))),
        'admitted',
      );
    });
  });
}
