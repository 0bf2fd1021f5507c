// The webhooks part of the one Store conformance suite (store.conformance.ts registers it): endpoints,
// the fan-out trigger of migration 7 (a delivery per subscribed live endpoint of the event's client, in
// the transaction of the change), leased claims, attempts recorded with the delivery's outcome, retries
// and the sweep. node:test's describe/it return promises the runner awaits itself.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { WebhookEventType } from '../../contract/webhook.wire.js';
import type { Store, WebhookDeliveryRecord, WebhookEndpointRecord } from '../store.js';
import { T0, admitted, claimed, newClient, newGen } from './store.fixtures.js';

const ALL: WebhookEventType[] = ['generation.processing', 'generation.completed', 'generation.failed'];
const OUTCOMES: WebhookEventType[] = ['generation.completed', 'generation.failed'];

/** Leases every delivery other tests left due, far into the future, so claims here see only their own. */
const FAR = 4e15;
const drain = async (s: Store): Promise<void> => {
  while ((await s.webhooks.claimDue('drain', FAR, FAR, 1000)).length > 0);
};

function endpoint(
  s: Store,
  clientId: string,
  events: WebhookEventType[] = OUTCOMES,
  createdAt = T0,
): Promise<WebhookEndpointRecord> {
  return s.webhooks.createEndpoint({
    id: randomUUID(),
    clientId,
    url: `https://hooks.example.com/${randomUUID()}`,
    events,
    secret: `whsec_${randomUUID()}`,
    createdAt,
  });
}

/** All deliveries of an endpoint, oldest first. */
async function deliveriesOf(s: Store, endpointId: string): Promise<WebhookDeliveryRecord[]> {
  const page = await s.webhooks.listDeliveries(endpointId, { limit: 1000, state: null, after: null });
  return page.reverse();
}

/** A generation of the client, claimed at `at` and then completed (or failed) at `at + 10`. */
async function finished(s: Store, clientId: string, how: 'completed' | 'failed', at = T0): Promise<string> {
  const g = await admitted(s, newGen(clientId, { createdAt: at }));
  await claimed(s, g.id, 'w1', at);
  const ok =
    how === 'completed'
      ? await s.generations.complete(g.id, 'w1', [], at + 10)
      : await s.generations.fail(g.id, 'w1', 'generation_failed', 'x', at + 10);
  assert.ok(ok);
  return g.id;
}

const result = (at: number, statusCode: number | null, error: string | null = null) => ({
  at,
  statusCode,
  error,
  durationMs: 7,
});

export function describeWebhookConformance(store: () => Store, openMore: () => Promise<Store>): void {
  describe('webhooks (issue 11)', () => {
    it('creates endpoints, reads and lists the live ones newest first, soft-deletes them', async () => {
      const s = store();
      const c = await newClient(s);
      const other = await newClient(s);
      const a = await endpoint(s, c.id, ALL, T0);
      const b = await endpoint(s, c.id, ['generation.failed'], T0 + 1);
      const d = await endpoint(s, c.id, OUTCOMES, T0 + 2);
      assert.deepEqual(a.events, ALL);
      assert.equal(a.deletedAt, null);
      assert.deepEqual(await s.webhooks.getEndpoint(c.id, b.id), b);
      assert.equal(await s.webhooks.getEndpoint(other.id, b.id), null, "another client's");
      const page1 = await s.webhooks.listEndpoints(c.id, { limit: 2, after: null });
      assert.deepEqual(
        page1.map((e) => e.id),
        [d.id, b.id],
      );
      const page2 = await s.webhooks.listEndpoints(c.id, {
        limit: 2,
        after: { createdAt: b.createdAt, id: b.id },
      });
      assert.deepEqual(
        page2.map((e) => e.id),
        [a.id],
      );
      assert.equal(await s.webhooks.deleteEndpoint(other.id, b.id, T0 + 5), false, "not another client's");
      assert.equal(await s.webhooks.deleteEndpoint(c.id, b.id, T0 + 5), true);
      assert.equal(await s.webhooks.deleteEndpoint(c.id, b.id, T0 + 6), false, 'once');
      assert.equal(await s.webhooks.getEndpoint(c.id, b.id), null);
      assert.deepEqual(
        (await s.webhooks.listEndpoints(c.id, { limit: 10, after: null })).map((e) => e.id),
        [d.id, a.id],
      );
    });

    it('fans each event out to the subscribed live endpoints of its client only', async () => {
      const s = store();
      const c = await newClient(s);
      const other = await newClient(s);
      const outcomes = await endpoint(s, c.id);
      const processing = await endpoint(s, c.id, ['generation.processing']);
      const failedOnly = await endpoint(s, c.id, ['generation.failed']);
      const deleted = await endpoint(s, c.id, ALL);
      await s.webhooks.deleteEndpoint(c.id, deleted.id, T0);
      const foreign = await endpoint(s, other.id, ALL);

      const ok = await finished(s, c.id, 'completed', T0 + 100);
      const bad = await finished(s, c.id, 'failed', T0 + 200);
      const events = [
        ...(await s.events.ofGeneration(ok, 0, 100)),
        ...(await s.events.ofGeneration(bad, 0, 100)),
      ];
      const seqOf = (id: string, kind: string): number => {
        const e = events.find((x) => x.generationId === id && x.kind === kind);
        assert.ok(e, `${kind} event of ${id}`);
        return e.seq;
      };

      const got = await deliveriesOf(s, outcomes.id);
      assert.deepEqual(
        got.map((d) => [d.generationId, d.eventType]),
        [
          [ok, 'generation.completed'],
          [bad, 'generation.failed'],
        ],
      );
      const [first] = got;
      assert.ok(first);
      assert.deepEqual(first, {
        id: `msg_${seqOf(ok, 'completed')}_${outcomes.id}`,
        endpointId: outcomes.id,
        clientId: c.id,
        generationId: ok,
        eventSeq: seqOf(ok, 'completed'),
        eventType: 'generation.completed',
        eventAt: T0 + 110,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 110,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastStatusCode: null,
        lastError: null,
        createdAt: T0 + 110,
        updatedAt: T0 + 110,
      });
      assert.deepEqual(
        (await deliveriesOf(s, processing.id)).map((d) => [d.generationId, d.eventType, d.eventAt]),
        [
          [ok, 'generation.processing', T0 + 100],
          [bad, 'generation.processing', T0 + 200],
        ],
      );
      assert.deepEqual(
        (await deliveriesOf(s, failedOnly.id)).map((d) => d.eventType),
        ['generation.failed'],
      );
      assert.deepEqual(await deliveriesOf(s, deleted.id), [], 'a deleted endpoint gets nothing');
      assert.deepEqual(await deliveriesOf(s, foreign.id), [], "another client's endpoint gets nothing");
    });

    it('queues nothing for an event whose transaction rolled back', async () => {
      const s = store();
      const c = await newClient(s, { balanceMicros: 10 });
      const e = await endpoint(s, c.id, ALL);
      const poor = newGen(c.id, { priceMicros: 100 });
      assert.equal(
        await s.generations.admit(poor, { concurrencyLimit: null, activeSince: 0 }),
        'insufficient_balance',
      );
      assert.deepEqual(await deliveriesOf(s, e.id), []);
    });

    it('claims due deliveries with a lease, with their endpoint, earliest due first, at most `limit`', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      const e = await endpoint(s, c.id);
      const g1 = await finished(s, c.id, 'completed', T0);
      const g2 = await finished(s, c.id, 'failed', T0 + 100);
      assert.deepEqual(await s.webhooks.claimDue('s1', T0 + 9, 1000, 10), [], 'nothing due yet');
      const [one, ...none] = await s.webhooks.claimDue('s1', T0 + 500, 1000, 1);
      assert.deepEqual(none, []);
      assert.ok(one);
      assert.equal(one.delivery.generationId, g1);
      assert.equal(one.delivery.leaseOwner, 's1');
      assert.equal(one.delivery.leaseExpiresAt, T0 + 1500);
      assert.equal(one.url, e.url);
      assert.equal(one.secret, e.secret);
      const [two] = await s.webhooks.claimDue('s2', T0 + 500, 1000, 10);
      assert.equal(two?.delivery.generationId, g2, 'the leased one is skipped');
      assert.deepEqual(await s.webhooks.claimDue('s3', T0 + 1500, 1000, 10), [], 'leases hold to their end');
      const again = await s.webhooks.claimDue('s3', T0 + 1501, 1000, 10);
      assert.deepEqual(
        again.map((d) => [d.delivery.generationId, d.delivery.leaseOwner]),
        [
          [g1, 's3'],
          [g2, 's3'],
        ],
        'a lapsed lease (a crashed sender) is claimed again',
      );
    });

    it('never leases one delivery to two racing claimers', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      await endpoint(s, c.id, ALL);
      for (let i = 0; i < 10; i++) await finished(s, c.id, 'completed', T0 + i * 20);
      const claimers = [s, ...(await Promise.all([0, 1, 2].map(() => openMore())))];
      const got = await Promise.all(
        claimers.map(async (x, i) => {
          const mine: string[] = [];
          for (let batch = await x.webhooks.claimDue(`c${i}`, T0 + 10_000, 60_000, 3); batch.length > 0;) {
            mine.push(...batch.map((d) => d.delivery.id));
            batch = await x.webhooks.claimDue(`c${i}`, T0 + 10_000, 60_000, 3);
          }
          return mine;
        }),
      );
      const all = got.flat();
      assert.equal(all.length, 20, 'processing and completed of each of the ten');
      assert.equal(new Set(all).size, 20);
    });

    it('records attempts with the outcome, only for the lease holder of a pending delivery', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      const e = await endpoint(s, c.id);
      await finished(s, c.id, 'completed', T0);
      const [due] = await s.webhooks.claimDue('s1', T0 + 20, 1000, 10);
      assert.ok(due);
      const id = due.delivery.id;
      assert.equal(
        await s.webhooks.recordAttempt(id, 'intruder', result(T0 + 30, 500), { state: 'dead' }),
        false,
      );
      assert.equal(
        await s.webhooks.recordAttempt(id, 's1', result(T0 + 30, 500), {
          state: 'pending',
          nextAttemptAt: T0 + 90,
        }),
        true,
      );
      assert.equal(
        await s.webhooks.recordAttempt(id, 's1', result(T0 + 31, 200), { state: 'delivered' }),
        false,
        'the lease ended with the record',
      );
      const retried = await s.webhooks.getDelivery(e.id, id);
      assert.deepEqual(
        [
          retried?.state,
          retried?.attempts,
          retried?.nextAttemptAt,
          retried?.leaseOwner,
          retried?.lastStatusCode,
        ],
        ['pending', 1, T0 + 90, null, 500],
      );
      assert.deepEqual(await s.webhooks.claimDue('s2', T0 + 89, 1000, 10), [], 'not before its next attempt');
      const [next] = await s.webhooks.claimDue('s2', T0 + 90, 1000, 10);
      assert.equal(next?.delivery.id, id);
      assert.equal(
        await s.webhooks.recordAttempt(id, 's2', result(T0 + 95, null, 'timeout'), {
          state: 'pending',
          nextAttemptAt: T0 + 100,
        }),
        true,
      );
      await s.webhooks.claimDue('s3', T0 + 100, 1000, 10);
      assert.equal(
        await s.webhooks.recordAttempt(id, 's3', result(T0 + 101, 204), { state: 'delivered' }),
        true,
      );
      const done = await s.webhooks.getDelivery(e.id, id);
      assert.deepEqual(
        [done?.state, done?.attempts, done?.lastStatusCode, done?.lastError, done?.updatedAt],
        ['delivered', 3, 204, null, T0 + 101],
      );
      assert.deepEqual(await s.webhooks.attemptsOf([id]), [
        { deliveryId: id, attempt: 1, at: T0 + 30, statusCode: 500, error: null, durationMs: 7 },
        { deliveryId: id, attempt: 2, at: T0 + 95, statusCode: null, error: 'timeout', durationMs: 7 },
        { deliveryId: id, attempt: 3, at: T0 + 101, statusCode: 204, error: null, durationMs: 7 },
      ]);
      assert.deepEqual(await s.webhooks.attemptsOf([]), []);
      assert.deepEqual(await s.webhooks.claimDue('s4', FAR - 1, 1000, 10), [], 'delivered is never due');
    });

    it('gives a lease back without an attempt', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      await endpoint(s, c.id);
      await finished(s, c.id, 'completed', T0);
      const [due] = await s.webhooks.claimDue('s1', T0 + 20, 60_000, 10);
      assert.ok(due);
      await s.webhooks.release(due.delivery.id, 'someone else');
      assert.deepEqual(await s.webhooks.claimDue('s2', T0 + 21, 1000, 10), []);
      await s.webhooks.release(due.delivery.id, 's1');
      const [again] = await s.webhooks.claimDue('s2', T0 + 21, 1000, 10);
      assert.deepEqual([again?.delivery.id, again?.delivery.attempts], [due.delivery.id, 0]);
    });

    it('retries a dead or delivered delivery now, refuses one on the wire, keeps its attempts', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      const e = await endpoint(s, c.id);
      const other = await endpoint(s, c.id, ['generation.failed']);
      await finished(s, c.id, 'completed', T0);
      const [due] = await s.webhooks.claimDue('s1', T0 + 20, 1000, 10);
      assert.ok(due);
      const id = due.delivery.id;
      assert.equal(await s.webhooks.retry(e.id, id, T0 + 21), 'in_flight');
      await s.webhooks.recordAttempt(id, 's1', result(T0 + 30, 410), { state: 'dead' });
      assert.equal((await s.webhooks.getDelivery(e.id, id))?.state, 'dead');
      assert.equal(await s.webhooks.retry(other.id, id, T0 + 40), null, "not the other endpoint's");
      assert.equal(await s.webhooks.retry(e.id, `msg_0_${e.id}`, T0 + 40), null);
      const r = await s.webhooks.retry(e.id, id, T0 + 40);
      assert.ok(r !== null && r !== 'in_flight');
      assert.deepEqual(
        [r.delivery.state, r.delivery.nextAttemptAt, r.delivery.attempts, r.delivery.lastStatusCode],
        ['pending', T0 + 40, 1, 410],
      );
      const [back] = await s.webhooks.claimDue('s2', T0 + 40, 1000, 10);
      assert.equal(back?.delivery.id, id);
      await s.webhooks.recordAttempt(id, 's2', result(T0 + 41, 200), { state: 'delivered' });
      const r2 = await s.webhooks.retry(e.id, id, T0 + 50);
      assert.ok(r2 !== null && r2 !== 'in_flight', 'a delivered one may be sent again');
      assert.equal(r2.delivery.state, 'pending');
      assert.deepEqual(
        (await s.webhooks.attemptsOf([id])).map((a) => a.attempt),
        [1, 2],
      );
    });

    it('kills the pending deliveries of a deleted endpoint and claims none of them', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      const e = await endpoint(s, c.id, ALL);
      await finished(s, c.id, 'completed', T0);
      const [first] = await s.webhooks.claimDue('s1', T0 + 5, 60_000, 1);
      assert.ok(first);
      await s.webhooks.recordAttempt(first.delivery.id, 's1', result(T0 + 6, 200), { state: 'delivered' });
      const [inFlight] = await s.webhooks.claimDue('s1', T0 + 20, 60_000, 1);
      assert.ok(inFlight);
      assert.equal(await s.webhooks.deleteEndpoint(c.id, e.id, T0 + 30), true);
      const states = (await deliveriesOf(s, e.id)).map((d) => [d.state, d.lastError]);
      assert.deepEqual(states, [
        ['delivered', null],
        ['dead', 'endpoint deleted'],
      ]);
      assert.equal(
        await s.webhooks.recordAttempt(inFlight.delivery.id, 's1', result(T0 + 31, 200), {
          state: 'delivered',
        }),
        false,
        'the attempt on the wire is fenced out',
      );
      assert.deepEqual(await s.webhooks.claimDue('s2', FAR - 1, 1000, 10), []);
    });

    it('lists deliveries newest first, by state, a page at a time', async () => {
      const s = store();
      const c = await newClient(s);
      const e = await endpoint(s, c.id, ALL);
      for (let i = 0; i < 3; i++) await finished(s, c.id, 'completed', T0 + i * 100);
      const all = await s.webhooks.listDeliveries(e.id, { limit: 10, state: null, after: null });
      assert.equal(all.length, 6);
      assert.ok(all.every((d, i) => i === 0 || d.createdAt <= all[i - 1]!.createdAt));
      assert.equal(all[0]?.eventType, 'generation.completed');
      const p1 = await s.webhooks.listDeliveries(e.id, { limit: 4, state: null, after: null });
      const last = p1.at(-1);
      assert.ok(last);
      const p2 = await s.webhooks.listDeliveries(e.id, {
        limit: 4,
        state: null,
        after: { createdAt: last.createdAt, id: last.id },
      });
      assert.deepEqual(
        [...p1, ...p2].map((d) => d.id),
        all.map((d) => d.id),
      );
      assert.deepEqual(await s.webhooks.listDeliveries(e.id, { limit: 10, state: 'dead', after: null }), []);
      assert.equal(
        (await s.webhooks.listDeliveries(e.id, { limit: 10, state: 'pending', after: null })).length,
        6,
      );
      const newest = all[0];
      assert.ok(newest);
      assert.equal(await s.webhooks.getDelivery(randomUUID(), newest.id), null, "another endpoint's");
    });

    it('sweeps settled deliveries with their attempts and keeps pending ones', async () => {
      const s = store();
      await drain(s);
      const c = await newClient(s);
      const e = await endpoint(s, c.id, ALL);
      await finished(s, c.id, 'completed', T0);
      const [p, d] = await s.webhooks.claimDue('s1', T0 + 20, 60_000, 2);
      assert.ok(p && d);
      await s.webhooks.recordAttempt(d.delivery.id, 's1', result(T0 + 30, 200), { state: 'delivered' });
      await s.webhooks.release(p.delivery.id, 's1');
      assert.ok((await s.webhooks.sweep(T0 + 31, T0 + 40)) >= 1);
      assert.deepEqual(
        (await deliveriesOf(s, e.id)).map((x) => x.id),
        [p.delivery.id],
      );
      assert.deepEqual(await s.webhooks.attemptsOf([d.delivery.id]), []);
      assert.equal(await s.webhooks.sweep(T0 + 31, T0 + 40), 0, 'pending ones stay');
    });
  });
}
