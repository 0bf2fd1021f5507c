// Idempotent create end to end THROUGH THE CLIENT LIBRARY (issue 11, "Idempotent create"), on an
// api-only server so jobs stay where the test puts them: a repeat replays the first answer with
// `Idempotent-Replayed: true`, another body is a 422, 20 racing creates with one key make one job, keys
// are per client, a day-old key starts afresh, refused requests record nothing, and bodies keep their
// exact shape.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Generation, Umbra } from '@umbra/sdk';
import { BadRequestError, UnprocessableEntityError } from '@umbra/sdk';
import { requestHash } from '../contract/idempotency.js';
import { NO_CAP, newGen } from '../store/testing/store.fixtures.js';
import { admitOutcome } from '../store/store.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const PARAMS = {
  prompt: 'a lighthouse at dusk',
  type: 'image',
  model: 'uni-1',
  aspect_ratio: '16:9',
} as const;
const DAY = 24 * 60 * 60 * 1000;

describe('Idempotency-Key on POST /v1/generations through the client library', () => {
  let s: TestServer;
  let team: Umbra;
  let teamKey = '';
  let teamId = '';

  const count = async (clientId: string): Promise<number> =>
    (
      await s.umbra.store.generations.list(clientId, {
        limit: 10_000,
        state: null,
        type: null,
        model: null,
        after: null,
      })
    ).length;
  const clientOf = async (g: Generation): Promise<string> =>
    (await s.umbra.store.generations.get(g.id))?.clientId ?? '';

  before(async () => {
    s = await startTestServer({ UMBRA_ROLE: 'api' });
    teamKey = await s.newKey({ client: 'idem-team', rpm: null, concurrency: null });
    team = s.clientFor(teamKey);
    teamId = await clientOf(await team.generations.create(PARAMS));
  });
  after(() => s.stop());

  it('replays the first answer: same id, same 201 body, Idempotent-Replayed: true', async () => {
    const key = `order-${randomUUID()}`;
    const first = await s.raw('POST', '/v1/generations', {
      body: PARAMS,
      headers: { 'idempotency-key': key },
    });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const body = (await first.json()) as Generation;
    // The same body with its keys in another order is the same request.
    const reordered = `{"aspect_ratio":"16:9","model":"uni-1","type":"image","prompt":"a lighthouse at dusk"}`;
    const again = await s.raw('POST', '/v1/generations', {
      body: reordered,
      headers: { 'idempotency-key': key },
    });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await again.json(), body);
    // Through the library, the same key gives the same job.
    const viaSdk = await s.client.generations.create(PARAMS, { idempotencyKey: key });
    assert.deepEqual(viaSdk, body);
  });

  it('replays the original answer, not the current state (GET gives that)', async () => {
    const key = randomUUID();
    const created = await team.generations.create(PARAMS, { idempotencyKey: key });
    // A worker's part, through the store port: claims take the oldest first, so drain up to ours.
    for (let row = null; row?.id !== created.id;) {
      row = await s.umbra.store.generations.claim('idem-test', Date.now(), 60_000);
      assert.ok(row);
    }
    const output = { type: 'image' as const, key: `outputs/${created.id}/0.png`, contentType: 'image/png' };
    assert.ok(await s.umbra.store.generations.complete(created.id, 'idem-test', [output], Date.now()));
    assert.deepEqual(await team.generations.create(PARAMS, { idempotencyKey: key }), created);
    assert.equal((await team.generations.get(created.id)).state, 'completed');
  });

  it('answers 422 when the key comes back with a different body, and creates nothing', async () => {
    const key = randomUUID();
    await team.generations.create(PARAMS, { idempotencyKey: key });
    const before = await count(teamId);
    await assert.rejects(
      team.generations.create({ ...PARAMS, prompt: 'a harbour' }, { idempotencyKey: key }),
      (e: unknown) =>
        e instanceof UnprocessableEntityError && /Idempotency-Key.*different request body/.test(e.message),
    );
    assert.equal(await count(teamId), before);
  });

  it('creates exactly one job for 20 concurrent requests with one key', async () => {
    const key = randomUUID();
    const before = await count(teamId);
    const got = await Promise.all(
      Array.from({ length: 20 }, () => team.generations.create(PARAMS, { idempotencyKey: key })),
    );
    assert.equal(new Set(got.map((g) => g.id)).size, 1);
    assert.equal(await count(teamId), before + 1);
  });

  it('scopes keys to the client: another client may use the same key for its own job', async () => {
    const key = `shared-${randomUUID()}`;
    const mine = await s.client.generations.create(PARAMS, { idempotencyKey: key });
    const theirs = await team.generations.create(PARAMS, { idempotencyKey: key });
    assert.notEqual(mine.id, theirs.id);
    assert.equal(await clientOf(theirs), teamId);
    assert.deepEqual(await team.generations.create(PARAMS, { idempotencyKey: key }), theirs);
  });

  it('starts afresh with a key older than 24 hours, and the sweep removes it', async () => {
    const key = randomUUID();
    // What a create made a day and a minute ago left behind, written through the store port.
    const old = newGen(teamId, { createdAt: Date.now() - DAY - 60_000 });
    const recorded = await s.umbra.store.generations.admit(old, NO_CAP, {
      key,
      requestHash: requestHash(PARAMS),
      liveSince: 0,
    });
    assert.equal(admitOutcome(recorded), 'admitted');
    const fresh = await s.raw('POST', '/v1/generations', {
      body: PARAMS,
      auth: teamKey,
      headers: { 'idempotency-key': key },
    });
    assert.equal(fresh.status, 201);
    assert.equal(fresh.headers.get('idempotent-replayed'), null);
    const g = (await fresh.json()) as Generation;
    assert.notEqual(g.id, old.id);
    assert.deepEqual(await team.generations.create(PARAMS, { idempotencyKey: key }), g);

    const stale = randomUUID();
    const older = newGen(teamId, { createdAt: Date.now() - DAY - 60_000 });
    await s.umbra.store.generations.admit(older, NO_CAP, { key: stale, requestHash: 'x', liveSince: 0 });
    assert.ok((await s.umbra.store.idempotency.sweep(Date.now() - DAY)) >= 1);
    assert.equal(await s.umbra.store.idempotency.find(teamId, stale, 0), null);
    assert.equal((await s.umbra.store.idempotency.find(teamId, key, 0))?.generationId, g.id);
  });

  it('records nothing for a request that fails validation, so a corrected retry may reuse the key', async () => {
    const key = randomUUID();
    await assert.rejects(
      team.generations.create({ ...PARAMS, aspect_ratio: '7:5' } as never, { idempotencyKey: key }),
      (e: unknown) => e instanceof BadRequestError || e instanceof UnprocessableEntityError,
    );
    assert.equal(await s.umbra.store.idempotency.find(teamId, key, 0), null);
    const fixed = await team.generations.create(PARAMS, { idempotencyKey: key });
    assert.deepEqual(await team.generations.create(PARAMS, { idempotencyKey: key }), fixed);
  });

  it('answers 400 with a detail for a key that is empty, too long or not printable ASCII', async () => {
    for (const bad of ['', 'k'.repeat(256), 'tab\there']) {
      const r = await s.raw('POST', '/v1/generations', { body: PARAMS, headers: { 'idempotency-key': bad } });
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(((await r.json()) as { detail: string }).detail, /Idempotency-Key/);
    }
    const longest = await s.raw('POST', '/v1/generations', {
      body: PARAMS,
      headers: { 'idempotency-key': '~'.repeat(255) },
    });
    assert.equal(longest.status, 201);
  });
});
