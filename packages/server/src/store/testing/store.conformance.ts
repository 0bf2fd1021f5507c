// The one behavioural contract of the Store port: every adapter runs this suite against a real database.
// node:test's describe/it return promises the runner awaits itself (as eslint.config.js allows in *.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { describeEventConformance } from './events.conformance.js';
import { describeFileConformance } from './files.conformance.js';
import { describeGenerationListConformance } from './generations-list.conformance.js';
import { describeIdempotencyConformance } from './idempotency.conformance.js';
import { describeWebhookConformance } from './webhooks.conformance.js';
import { describeUsageConformance } from './usage.conformance.js';
import { admitOutcome, type Store } from '../store.js';
import { NO_CAP, T0, admitted, balance, claimed, newClient, newGen, row } from './store.fixtures.js';

/**
 * Registers the conformance suite. `open` must return a new, migrated Store on the same database each
 * time it is called (the suite opens several to race them); the suite closes them all.
 */
export function runStoreConformance(name: string, open: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    const opened: Store[] = [];
    const openMore = async (): Promise<Store> => {
      const s = await open();
      opened.push(s);
      return s;
    };
    let store!: Store;

    before(async () => {
      store = await openMore();
    });
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });
    // claim() takes the oldest due row of the whole table: settle every leftover so tests stay independent.
    beforeEach(async () => {
      await store.generations.expireStale(Number.MAX_SAFE_INTEGER, T0);
    });

    describe('schema', () => {
      it('migrates again, also from several stores at once, without touching data', async () => {
        const c = await newClient(store);
        await store.migrate();
        const [a, b] = await Promise.all([openMore(), openMore()]);
        await Promise.all([store.migrate(), a.migrate(), b.migrate()]);
        assert.deepEqual(await a.clients.getClient(c.id), c);
      });
    });

    describe('clients and keys', () => {
      it('creates, reads, finds by name, lists and patches clients', async () => {
        const c = await newClient(store, {
          hdrAccess: true,
          rpmLimit: 60,
          concurrencyLimit: 4,
          balanceMicros: 5e6,
        });
        assert.equal(c.status, 'active');
        assert.equal(c.hdrAccess, true);
        assert.equal(c.balanceMicros, 5_000_000);
        assert.deepEqual(await store.clients.getClient(c.id), c);
        assert.deepEqual(await store.clients.findClientByName(c.name), c);
        assert.equal(await store.clients.getClient(randomUUID()), null);
        assert.equal(await store.clients.findClientByName(randomUUID()), null);
        assert.ok((await store.clients.listClients()).some((x) => x.id === c.id));

        const patched = await store.clients.updateClient(c.id, {
          status: 'suspended',
          hdrAccess: false,
          rpmLimit: null,
          balanceMicros: 0,
        });
        assert.deepEqual(patched, {
          ...c,
          status: 'suspended',
          hdrAccess: false,
          rpmLimit: null,
          balanceMicros: 0,
        });
        assert.deepEqual(await store.clients.updateClient(c.id, {}), patched);
        assert.equal(await store.clients.updateClient(randomUUID(), { status: 'active' }), null);
      });

      it('stores keys with expiry, finds them by hash with their client, lists them', async () => {
        const c = await newClient(store);
        const r = randomUUID().slice(0, 8);
        const key = await store.clients.createKey({
          id: randomUUID(),
          clientId: c.id,
          prefix: `luma-api-${r}`,
          hash: `hash-${r}`,
          createdAt: T0,
          expiresAt: T0 + 86_400_000,
        });
        assert.equal(key.revokedAt, null);
        assert.equal(key.expiresAt, T0 + 86_400_000);
        assert.deepEqual(await store.clients.findKeyByHash(`hash-${r}`), { key, client: c });
        assert.equal(await store.clients.findKeyByHash('no-such-hash'), null);
        const listed = (await store.clients.listKeys()).find((k) => k.id === key.id);
        assert.deepEqual(listed, { ...key, clientName: c.name });
        const dup = { ...key, id: randomUUID() };
        await assert.rejects(store.clients.createKey({ ...dup, prefix: `other-${r}` }), 'hash is unique');
        await assert.rejects(store.clients.createKey({ ...dup, hash: `other-${r}` }), 'prefix is unique');
      });

      it('revokes the live keys whose prefix starts with the given text, literally', async () => {
        const c = await newClient(store);
        const r = randomUUID().slice(0, 8);
        const mk = (prefix: string, expiresAt: number | null = null) =>
          store.clients.createKey({
            id: randomUUID(),
            clientId: c.id,
            prefix,
            hash: `h-${prefix}`,
            createdAt: T0,
            expiresAt,
          });
        await mk(`${r}_a1`);
        await mk(`${r}_a2`);
        await mk(`${r}_b1`);
        await mk(`${r}xa1`); // `_` must not act as a LIKE wildcard
        await mk(`${r}_a3`, T0 - 1); // already expired: not live
        assert.equal(await store.clients.revokeKeys(`${r}_a`, T0), 2);
        assert.equal(await store.clients.revokeKeys(`${r}_a`, T0 + 1), 0);
        assert.equal((await store.clients.findKeyByHash(`h-${r}_a1`))?.key.revokedAt, T0);
        assert.equal((await store.clients.findKeyByHash(`h-${r}_b1`))?.key.revokedAt, null);
        assert.equal((await store.clients.findKeyByHash(`h-${r}xa1`))?.key.revokedAt, null);
      });
    });

    describe('admission', () => {
      it('inserts a due queued row holding the request and inputs', async () => {
        const c = await newClient(store);
        const g = await admitted(
          store,
          newGen(c.id, { priceMicros: 250, emulateFailure: 'content_moderated' }),
        );
        assert.deepEqual(await row(store, g.id), {
          ...g,
          state: 'queued',
          updatedAt: g.createdAt,
          attempts: 0,
          runAfter: g.createdAt,
          leaseOwner: null,
          leaseExpiresAt: null,
          progress: 0,
          outputs: [],
          failureCode: null,
          failureReason: null,
          completedAt: null,
          upstreamId: null,
        });
        assert.equal(await store.generations.get(randomUUID()), null);
      });

      it('enforces the concurrency cap on active rows created since activeSince', async () => {
        const c = await newClient(store);
        const cap = { concurrencyLimit: 2, activeSince: T0 };
        assert.equal(admitOutcome(await store.generations.admit(newGen(c.id), cap)), 'admitted');
        assert.equal(admitOutcome(await store.generations.admit(newGen(c.id), cap)), 'admitted');
        const refused = newGen(c.id);
        assert.equal(await store.generations.admit(refused, cap), 'too_many_concurrent');
        assert.equal(await store.generations.get(refused.id), null);
        assert.equal(await store.generations.countActive(c.id, T0), 2);
        // Rows created before activeSince no longer count (the 1-hour TTL window).
        const later = newGen(c.id, { createdAt: T0 + 10 });
        assert.equal(
          admitOutcome(await store.generations.admit(later, { concurrencyLimit: 2, activeSince: T0 + 5 })),
          'admitted',
        );
        assert.equal(await store.generations.countActive(c.id, T0 + 5), 1);
        // A finished row frees its slot.
        const r = await store.generations.claim('w1', T0, 1000);
        assert.ok(r);
        assert.equal(await store.generations.complete(r.id, 'w1', [], T0 + 1), true);
        assert.equal(await store.generations.countActive(c.id, T0), 2);
        // Three were active before the completion, so a cap of 3 only admits because the slot was freed.
        assert.equal(
          admitOutcome(await store.generations.admit(newGen(c.id), { ...cap, concurrencyLimit: 3 })),
          'admitted',
        );
      });

      it('lets exactly `limit` of many racing admissions in', async () => {
        const c = await newClient(store);
        const stores = [store, await openMore()];
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            stores[i % 2]!.generations.admit(newGen(c.id), { concurrencyLimit: 3, activeSince: 0 }),
          ),
        );
        assert.equal(results.filter((r) => admitOutcome(r) === 'admitted').length, 3);
        assert.equal(await store.generations.countActive(c.id, 0), 3);
      });

      it('reserves the price from a metered balance and refunds it when the job fails', async () => {
        const c = await newClient(store, { balanceMicros: 1000 });
        const g = await admitted(store, newGen(c.id, { priceMicros: 600 }));
        assert.equal(await balance(store, c.id), 400);
        const poor = newGen(c.id, { priceMicros: 600 });
        assert.equal(await store.generations.admit(poor, NO_CAP), 'insufficient_balance');
        assert.equal(await store.generations.get(poor.id), null);
        assert.equal(await balance(store, c.id), 400);
        await admitted(store, newGen(c.id, { priceMicros: 400, createdAt: T0 + 1 })); // exactly enough
        assert.equal(await balance(store, c.id), 0);
        await claimed(store, g.id, 'w1');
        assert.equal(await store.generations.fail(g.id, 'w1', 'content_moderated', 'flagged', T0 + 5), true);
        assert.equal(await balance(store, c.id), 600);
        assert.equal(await store.generations.fail(g.id, 'w1', 'content_moderated', 'flagged', T0 + 6), false);
        assert.equal(await balance(store, c.id), 600, 'refunds once');
      });

      it('neither reserves nor refunds for an unmetered client', async () => {
        const c = await newClient(store);
        const g = await admitted(store, newGen(c.id, { priceMicros: 600 }));
        await claimed(store, g.id, 'w1');
        await store.generations.fail(g.id, 'w1', 'generation_failed', 'boom', T0);
        assert.equal(await balance(store, c.id), null);
      });
    });

    describe('worker tokens and instances (issue 9)', () => {
      const token = (name: string, models: Array<'uni-1' | 'ray-3.2'> | null = null) => ({
        id: randomUUID(),
        name,
        prefix: `umbra-wkr-${randomUUID().slice(0, 8)}`,
        hash: `wh-${randomUUID()}`,
        models,
        createdAt: T0,
      });

      it('stores tokens by hash with their models; one live token per name; revoke by name', async () => {
        const name = `gpu-${randomUUID().slice(0, 6)}`;
        const t = token(name, ['uni-1', 'ray-3.2']);
        assert.deepEqual(await store.workers.createToken(t), { ...t, revokedAt: null });
        assert.deepEqual(await store.workers.findTokenByHash(t.hash), { ...t, revokedAt: null });
        assert.equal(await store.workers.findTokenByHash('nope'), null);
        await assert.rejects(store.workers.createToken(token(name)), 'a second live token of that name');
        assert.equal(await store.workers.revokeToken(name, T0 + 5), true);
        assert.equal((await store.workers.findTokenByHash(t.hash))?.revokedAt, T0 + 5);
        assert.equal(await store.workers.revokeToken(name, T0 + 6), false, 'nothing live left');
        const again = await store.workers.createToken(token(name));
        assert.equal(again.models, null, 'the name is free again once revoked');
        const listed = (await store.workers.listTokens()).filter((x) => x.name === name);
        assert.deepEqual(
          listed.map((x) => x.revokedAt === null),
          [false, true],
        );
      });

      it('lists instances seen since a time, with the jobs each holds a lease on', async () => {
        const t = await store.workers.createToken(token(`fleet-${randomUUID().slice(0, 6)}`));
        await store.workers.seen(t.id, 'box-a', ['uni-1/image'], T0 + 100);
        await store.workers.seen(t.id, 'box-a', ['uni-1/image', 'uni-1/image_edit'], T0 + 200);
        await store.workers.seen(t.id, 'box-b', ['ray-3.2/video'], T0 + 50);
        const c = await newClient(store);
        const g = await admitted(store, newGen(c.id));
        await claimed(store, g.id, `r:${t.id}:box-a:${randomUUID()}`);
        const seen = (await store.workers.listSeen(T0 + 60)).filter((w) => w.tokenId === t.id);
        assert.deepEqual(seen, [
          {
            tokenId: t.id,
            tokenName: t.name,
            instance: 'box-a',
            kinds: ['uni-1/image', 'uni-1/image_edit'],
            lastSeenAt: T0 + 200,
            running: 1,
          },
        ]);
      });
    });

    describe('queue', () => {
      it('claims the oldest due row first and leases it', async () => {
        const c = await newClient(store);
        const [a, b, d] = [T0 + 2, T0, T0 + 1].map((t) => newGen(c.id, { createdAt: t }));
        for (const g of [a!, b!, d!]) await admitted(store, g);
        const first = await claimed(store, b!.id, 'w1', T0 + 10, 5000);
        assert.equal(first.state, 'processing');
        assert.equal(first.leaseOwner, 'w1');
        assert.equal(first.leaseExpiresAt, T0 + 10 + 5000);
        assert.equal(first.attempts, 1);
        await claimed(store, d!.id, 'w1', T0 + 10);
        await claimed(store, a!.id, 'w1', T0 + 10);
        assert.equal(await store.generations.claim('w1', T0 + 10, 5000), null);
      });

      it('does not claim before runAfter, and orders by runAfter before createdAt', async () => {
        const c = await newClient(store);
        const early = await admitted(store, newGen(c.id, { createdAt: T0 }));
        await claimed(store, early.id, 'w1', T0);
        assert.equal(await store.generations.requeue(early.id, 'w1', T0 + 100, T0 + 1), true);
        const late = await admitted(store, newGen(c.id, { createdAt: T0 + 50 }));
        assert.equal(await store.generations.claim('w2', T0 + 49, 1000), null);
        await claimed(store, late.id, 'w2', T0 + 99);
        assert.equal(await store.generations.claim('w2', T0 + 99, 1000), null);
        const again = await claimed(store, early.id, 'w2', T0 + 100);
        assert.equal(again.attempts, 2);
      });

      it('claims only the model/type kinds a worker serves (issue 9: claim filtered by kind)', async () => {
        const c = await newClient(store);
        const img = await admitted(store, newGen(c.id, { createdAt: T0 }));
        const max = await admitted(store, newGen(c.id, { createdAt: T0 + 1, model: 'uni-1-max' }));
        assert.equal(await store.generations.claim('w1', T0 + 10, 1000, []), null, 'no kinds: nothing');
        assert.equal(await store.generations.claim('w1', T0 + 10, 1000, ['ray-3.2/video']), null);
        const got = await store.generations.claim('w1', T0 + 10, 1000, ['uni-1-max/image', 'ray-3.2/video']);
        assert.equal(got?.id, max.id, 'the older uni-1 row is skipped: not this worker’s kind');
        assert.equal((await row(store, img.id)).state, 'queued');
        assert.equal((await store.generations.claim('w2', T0 + 10, 1000, ['uni-1/image']))?.id, img.id);
      });

      it('keeps the upstream id given at completion (relay)', async () => {
        const c = await newClient(store);
        const g = await admitted(store, newGen(c.id));
        await claimed(store, g.id, 'w1');
        assert.equal(
          await store.generations.complete(g.id, 'w1', [], T0 + 1, { upstreamId: 'up-123' }),
          true,
        );
        assert.equal((await row(store, g.id)).upstreamId, 'up-123');
      });

      it('keeps the upstream id given at failure (relay), and a failure without one keeps none', async () => {
        const c = await newClient(store);
        const g = await admitted(store, newGen(c.id));
        await claimed(store, g.id, 'w1');
        const gone = { upstreamId: 'up-9' };
        assert.equal(
          await store.generations.fail(g.id, 'w1', 'generation_failed', 'gone', T0 + 1, gone),
          true,
        );
        const failed = await row(store, g.id);
        assert.deepEqual([failed.state, failed.upstreamId], ['failed', 'up-9']);
        const h = await admitted(store, newGen(c.id));
        await claimed(store, h.id, 'w1');
        await store.generations.fail(h.id, 'w1', 'generation_failed', 'x', T0 + 1);
        assert.equal((await row(store, h.id)).upstreamId, null);
      });

      it('never hands one row to two concurrent claimers', async () => {
        const c = await newClient(store);
        const ids = new Set<string>();
        for (let i = 0; i < 50; i++) ids.add((await admitted(store, newGen(c.id, { createdAt: T0 + i }))).id);
        const claimers = await Promise.all([0, 1, 2, 3].map(() => openMore()));
        const got = await Promise.all(
          claimers.map(async (s, w) => {
            const mine: string[] = [];
            for (let r = await s.generations.claim(`w${w}`, T0 + 100, 60_000); r;) {
              mine.push(r.id);
              r = await s.generations.claim(`w${w}`, T0 + 100, 60_000);
            }
            return mine;
          }),
        );
        const all = got.flat();
        assert.equal(all.length, 50, 'every row claimed once');
        assert.deepEqual(new Set(all), ids);
        for (const [w, mine] of got.entries()) {
          for (const id of mine) assert.equal((await row(store, id)).leaseOwner, `w${w}`);
        }
      });

      it('lets only the lease holder heartbeat, complete, fail or requeue a processing row', async () => {
        const c = await newClient(store);
        const queued = await admitted(store, newGen(c.id, { createdAt: T0 + 1 }));
        const g = await admitted(store, newGen(c.id));
        await claimed(store, g.id, 'w1');
        const gens = store.generations;
        const out = [{ type: 'image' as const, key: 'out/1.png', contentType: 'image/png' }];
        for (const [id, w] of [
          [g.id, 'w2'],
          [queued.id, 'w1'],
        ] as const) {
          assert.equal(await gens.heartbeat(id, w, T0 + 1, 1000, 0.5), false);
          assert.equal(await gens.complete(id, w, out, T0 + 1), false);
          assert.equal(await gens.fail(id, w, 'generation_failed', 'x', T0 + 1), false);
          assert.equal(await gens.requeue(id, w, T0 + 1, T0 + 1), false);
        }
        assert.equal((await row(store, g.id)).leaseOwner, 'w1');
        assert.equal((await row(store, queued.id)).state, 'queued');

        assert.equal(await gens.heartbeat(g.id, 'w1', T0 + 10, 1000, 0.5), true);
        const beat = await row(store, g.id);
        assert.equal(beat.leaseExpiresAt, T0 + 1010);
        assert.equal(beat.progress, 0.5);
        assert.equal(await gens.complete(g.id, 'w1', out, T0 + 20), true);
        const done = await row(store, g.id);
        assert.deepEqual(
          { ...done, request: null },
          {
            ...beat,
            request: null,
            state: 'completed',
            outputs: out,
            completedAt: T0 + 20,
            updatedAt: T0 + 20,
            leaseOwner: null,
            leaseExpiresAt: null,
            progress: 1,
          },
        );
        // Terminal: nothing applies any more, not even for the former holder.
        assert.equal(await gens.heartbeat(g.id, 'w1', T0 + 30, 1000, 0.9), false);
        assert.equal(await gens.complete(g.id, 'w1', [], T0 + 30), false);
        assert.equal(await gens.fail(g.id, 'w1', 'generation_failed', 'x', T0 + 30), false);
        assert.equal(await gens.requeue(g.id, 'w1', T0 + 30, T0 + 30), false);
        assert.deepEqual(await row(store, g.id), done);
      });

      it('releases a held row back to the queue without spending its attempt', async () => {
        const c = await newClient(store, { balanceMicros: 1000 });
        const g = await admitted(store, newGen(c.id, { maxAttempts: 1, priceMicros: 100 }));
        const held = await claimed(store, g.id, 'w1', T0);
        assert.equal(await store.generations.heartbeat(g.id, 'w1', T0 + 1, 1000, 0.4), true);
        // Only the lease holder may hand it back.
        assert.equal(await store.generations.release(g.id, 'w2', T0 + 2, T0 + 2), false);
        assert.equal(await store.generations.release(g.id, 'w1', T0 + 50, T0 + 2), true);
        const back = await row(store, g.id);
        assert.deepEqual(
          { ...back, request: null },
          {
            ...held,
            request: null,
            state: 'queued',
            runAfter: T0 + 50,
            leaseOwner: null,
            leaseExpiresAt: null,
            progress: 0,
            updatedAt: T0 + 2,
            // The attempt stays counted (it fences that attempt's late calls); one more is allowed instead.
            attempts: 1,
            maxAttempts: 2,
          },
        );
        assert.equal(await balance(store, c.id), 900, 'the reservation stays with the queued job');
        // The former holder is fenced off; a second release of the same lease is refused.
        assert.equal(await store.generations.release(g.id, 'w1', T0 + 3, T0 + 3), false);
        assert.equal(await store.generations.heartbeat(g.id, 'w1', T0 + 3, 1000, 0.5), false);
        assert.equal(await store.generations.claim('w2', T0 + 49, 1000), null, 'not before runAfter');
        const again = await claimed(store, g.id, 'w2', T0 + 50, 1000);
        assert.equal(again.attempts, 2);
        // Its last attempt: a lapsed lease now fails it, as with any job out of attempts.
        assert.deepEqual(await store.generations.reapExpired(T0 + 2000), {
          requeued: [],
          failed: [{ id: g.id, model: g.model, type: g.type }],
        });
        assert.equal(await store.generations.release(g.id, 'w2', T0 + 2001, T0 + 2001), false);
      });

      it('records the failure code and reason, and frees the concurrency slot', async () => {
        const c = await newClient(store);
        const g = await admitted(store, newGen(c.id));
        await claimed(store, g.id, 'w1');
        assert.equal(
          await store.generations.fail(g.id, 'w1', 'unsupported_format', 'bad input', T0 + 7),
          true,
        );
        const r = await row(store, g.id);
        assert.equal(r.state, 'failed');
        assert.equal(r.failureCode, 'unsupported_format');
        assert.equal(r.failureReason, 'bad input');
        assert.equal(r.leaseOwner, null);
        assert.equal(r.completedAt, T0 + 7);
        assert.equal(await store.generations.countActive(c.id, 0), 0);
      });

      it('reaps expired leases back to the queue, then fails them after maxAttempts with a refund', async () => {
        const c = await newClient(store, { balanceMicros: 1000 });
        const g = await admitted(store, newGen(c.id, { maxAttempts: 2, priceMicros: 300 }));
        await claimed(store, g.id, 'w1', T0, 1000);
        const job = { id: g.id, model: g.model, type: g.type };
        assert.deepEqual(await store.generations.reapExpired(T0 + 1000), { requeued: [], failed: [] });
        assert.deepEqual(await store.generations.reapExpired(T0 + 1001), { requeued: [job], failed: [] });
        const back = await row(store, g.id);
        assert.equal(back.state, 'queued');
        assert.equal(back.leaseOwner, null);
        assert.equal(back.runAfter, T0 + 1001);
        await claimed(store, g.id, 'w2', T0 + 1001, 1000);
        assert.equal(
          await store.generations.heartbeat(g.id, 'w1', T0 + 1002, 1000, 0.1),
          false,
          'old holder',
        );
        assert.deepEqual(await store.generations.reapExpired(T0 + 2002), { requeued: [], failed: [job] });
        const dead = await row(store, g.id);
        assert.equal(dead.state, 'failed');
        assert.equal(dead.failureCode, 'generation_failed');
        assert.equal(dead.failureReason, 'Generation failed');
        assert.equal(dead.attempts, 2);
        assert.equal(await balance(store, c.id), 1000);
      });

      it('expires rows still active that were created before the cutoff, with a refund', async () => {
        const c = await newClient(store, { balanceMicros: 1000 });
        const oldQueued = await admitted(store, newGen(c.id, { priceMicros: 100 }));
        const oldProcessing = await admitted(store, newGen(c.id, { priceMicros: 100, createdAt: T0 + 1 }));
        const oldDone = await admitted(store, newGen(c.id, { priceMicros: 100, createdAt: T0 + 2 }));
        const fresh = await admitted(store, newGen(c.id, { priceMicros: 100, createdAt: T0 + 10_000 }));
        await claimed(store, oldQueued.id, 'w1', T0 + 3);
        assert.equal(await store.generations.requeue(oldQueued.id, 'w1', T0 + 9_999_999, T0 + 3), true);
        await claimed(store, oldProcessing.id, 'w1', T0 + 3);
        await claimed(store, oldDone.id, 'w1', T0 + 3);
        await store.generations.complete(oldDone.id, 'w1', [], T0 + 4);
        const expired = await store.generations.expireStale(T0 + 5000, T0 + 6000);
        assert.deepEqual(expired.map((j) => j.id).sort(), [oldQueued.id, oldProcessing.id].sort());
        assert.deepEqual(
          expired.map((j) => `${j.model}/${j.type}`),
          ['uni-1/image', 'uni-1/image'],
        );
        for (const id of [oldQueued.id, oldProcessing.id]) {
          const r = await row(store, id);
          assert.equal(r.state, 'failed');
          assert.equal(r.failureCode, 'generation_failed');
          assert.equal(r.completedAt, T0 + 6000);
        }
        assert.equal((await row(store, oldDone.id)).state, 'completed');
        assert.equal((await row(store, fresh.id)).state, 'queued');
        assert.equal(await balance(store, c.id), 1000 - 200);
      });
    });

    describe('queue stats and ping', () => {
      it('counts queued and processing rows per model, with the earliest run_after of the queue', async () => {
        assert.deepEqual(await store.generations.queueStats(), [], 'nothing active');
        const c = await newClient(store);
        const [a, b, done] = [
          await admitted(store, newGen(c.id, { createdAt: T0 + 10 })),
          await admitted(store, newGen(c.id, { createdAt: T0 + 20 })),
          await admitted(store, newGen(c.id, { createdAt: T0 + 30 })),
        ];
        await admitted(store, newGen(c.id, { createdAt: T0 + 40, model: 'ray-3.2', type: 'video' }));
        await admitted(store, newGen(c.id, { createdAt: T0 + 50 }));
        await claimed(store, a.id, 'w1', T0 + 100);
        await claimed(store, b.id, 'w1', T0 + 100);
        assert.equal(await store.generations.requeue(b.id, 'w1', T0 + 99_999, T0 + 101), true);
        await claimed(store, done.id, 'w1', T0 + 102);
        assert.equal(await store.generations.complete(done.id, 'w1', [], T0 + 103), true);
        // uni-1: a processing; the last one due since T0 + 50, b backing off; terminal rows left out.
        assert.deepEqual(await store.generations.queueStats(), [
          { model: 'ray-3.2', queued: 1, oldestRunAfter: T0 + 40, processing: 0 },
          { model: 'uni-1', queued: 2, oldestRunAfter: T0 + 50, processing: 1 },
        ]);
      });

      it('answers a ping while the database takes writes', async () => {
        await store.ping();
      });
    });

    describeGenerationListConformance(() => store);
    describeIdempotencyConformance(() => store, openMore);
    describeFileConformance(() => store, openMore);
    describeEventConformance(() => store, openMore);
    describeWebhookConformance(() => store, openMore);
    describeUsageConformance(() => store, openMore);

    describe('rate limiter', () => {
      it('counts hits in a sliding window and lets old hits age out', async () => {
        const client = randomUUID();
        const hit = (at: number) => store.rate.hit(client, at, 1000, 3);
        assert.deepEqual(await hit(T0), { allowed: true, count: 1, oldest: T0 });
        assert.deepEqual(await hit(T0 + 100), { allowed: true, count: 2, oldest: T0 });
        assert.deepEqual(await hit(T0 + 200), { allowed: true, count: 3, oldest: T0 });
        assert.deepEqual(await hit(T0 + 300), { allowed: false, count: 3, oldest: T0 });
        assert.deepEqual(await hit(T0 + 1000), { allowed: false, count: 3, oldest: T0 }, 'T0 is still in');
        assert.deepEqual(await hit(T0 + 1001), { allowed: true, count: 3, oldest: T0 + 100 });
        assert.deepEqual(await store.rate.hit(randomUUID(), T0 + 300, 1000, 3), {
          allowed: true,
          count: 1,
          oldest: T0 + 300,
        });
      });

      it('prune drops old hits of every client, idle ones included', async () => {
        const [a, b] = [randomUUID(), randomUUID()];
        const T = T0 + 50_000_000;
        await store.rate.hit(a, T, 1_000_000, 10);
        await store.rate.hit(b, T, 1_000_000, 10);
        await store.rate.hit(a, T + 500, 1_000_000, 10);
        assert.ok((await store.rate.prune(T + 1)) >= 2);
        assert.deepEqual(await store.rate.hit(a, T + 600, 1_000_000, 10), {
          allowed: true,
          count: 2,
          oldest: T + 500,
        });
        assert.deepEqual(await store.rate.hit(b, T + 600, 1_000_000, 10), {
          allowed: true,
          count: 1,
          oldest: T + 600,
        });
      });

      it('is atomic per client under racing hits', async () => {
        const client = randomUUID();
        const stores = [store, await openMore()];
        const hits = await Promise.all(
          Array.from({ length: 12 }, (_, i) => stores[i % 2]!.rate.hit(client, T0 + i, 60_000, 5)),
        );
        assert.equal(hits.filter((h) => h.allowed).length, 5);
      });
    });
  });
}
