// Webhooks end to end (issue 11): endpoints managed through the client library against a booted server,
// receivers on 127.0.0.1, the contract's conventions on every route (401, 404 for another client's, 400/422
// with a detail), each event delivered once per subscribed endpoint and signed, a receiver that fails twice
// retried into the delivery log, a hanging receiver that delays no job, and private addresses refused.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Generation, Umbra, WebhookDelivery, WebhookEvent } from '@umbra/sdk';
import { ConflictError, NotFoundError, UnprocessableEntityError } from '@umbra/sdk';
import { startFixtureServer, startTestServer, type TestServer } from '../testing/harness.js';

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Verifies a delivery the Standard Webhooks way (the recipe of docs/webhooks.md, written again here). */
function verified(secret: string, h: Hit): boolean {
  const id = String(h.headers['webhook-id']);
  const ts = String(h.headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${ts}.${h.body}`).digest('base64');
  return String(h.headers['webhook-signature']).split(' ').includes(`v1,${mac}`);
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('webhooks end to end', () => {
  let srv: TestServer;
  let rx: { origin: string; close(): Promise<void> };
  const hits: Hit[] = [];
  const hanging: ServerResponse[] = [];
  /** Answers per path: a list is played in order (its last entry repeats); `hang` never answers. */
  const script = new Map<string, Array<number | 'hang'>>();

  before(async () => {
    srv = await startTestServer({
      UMBRA_TEST_ALLOW_LOOPBACK_FETCH: '1',
      UMBRA_EMULATOR: '1',
      UMBRA_WEBHOOK_RETRY_SCALE: '0.0001',
      // Long enough that a job made while an attempt hangs ends before that attempt times out.
      // Long enough that a whole job (a second or two; several on a loaded machine) runs while one hangs.
      UMBRA_WEBHOOK_TIMEOUT_MS: '10000',
    });
    rx = await startFixtureServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        hits.push({ path, headers: req.headers, body });
        const steps = script.get(path) ?? [200];
        const step = steps.length > 1 ? steps.shift() : steps[0];
        if (step === 'hang') hanging.push(res);
        else res.writeHead(step ?? 200).end();
      });
    });
  });
  after(async () => {
    for (const r of hanging) r.destroy();
    await rx.close();
    await srv.stop();
  });

  const client = async (name: string): Promise<Umbra> =>
    srv.clientFor(await srv.newKey({ client: `${name}-${Date.now()}-${Math.random()}` }));
  const hitsAt = (path: string): Hit[] => hits.filter((h) => h.path === path);
  const eventOf = (h: Hit): WebhookEvent => JSON.parse(h.body) as WebhookEvent;

  it('manages endpoints with the contract conventions: auth, details, 404 for another client', async () => {
    const owner = await client('owner');
    const created = await owner.webhookEndpoints.create({ url: `${rx.origin}/managed` });
    assert.deepEqual(Object.keys(created), ['id', 'url', 'events', 'secret', 'created_at']);
    assert.deepEqual(created.events, ['generation.completed', 'generation.failed']);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(created.url, `${rx.origin}/managed`);
    const second = await owner.webhookEndpoints.create({
      url: `${rx.origin}/managed-2`,
      events: ['generation.failed', 'generation.processing', 'generation.failed'],
    });
    assert.deepEqual(second.events, ['generation.processing', 'generation.failed'], 'deduplicated, in order');
    const page = await owner.webhookEndpoints.list({ limit: 1 });
    assert.deepEqual(
      page.data.map((e) => e.id),
      [second.id],
    );
    assert.equal(page.has_more, true);
    assert.ok(!('secret' in (page.data[0] ?? {})), 'the secret is shown at create only');
    const rest = await owner.webhookEndpoints.list({ cursor: page.next_cursor ?? null });
    assert.deepEqual(
      rest.data.map((e) => e.id),
      [created.id],
    );
    assert.deepEqual(await owner.webhookEndpoints.get(created.id), {
      id: created.id,
      url: created.url,
      events: created.events,
      created_at: created.created_at,
    });

    // Another client sees none of it, exactly as if it did not exist.
    const stranger = await client('stranger');
    await assert.rejects(stranger.webhookEndpoints.get(created.id), NotFoundError);
    await assert.rejects(stranger.webhookEndpoints.delete(created.id), NotFoundError);
    await assert.rejects(stranger.webhookEndpoints.deliveries(created.id), NotFoundError);
    await assert.rejects(stranger.webhookEndpoints.retry(created.id, `msg_1_${created.id}`), NotFoundError);
    assert.deepEqual((await stranger.webhookEndpoints.list()).data, []);

    await owner.webhookEndpoints.delete(created.id);
    await assert.rejects(owner.webhookEndpoints.get(created.id), NotFoundError);
    await assert.rejects(owner.webhookEndpoints.delete(created.id), NotFoundError);
    assert.deepEqual(
      (await owner.webhookEndpoints.list()).data.map((e) => e.id),
      [second.id],
    );

    // Raw HTTP: the headers of every answer, and the statuses and details of refusals.
    const noAuth = await srv.raw('POST', '/v1/webhook_endpoints', { body: { url: rx.origin }, auth: null });
    assert.equal(noAuth.status, 401);
    assert.deepEqual(await noAuth.json(), { detail: 'Missing or invalid API key' });
    assert.ok(noAuth.headers.get('x-request-id'));
    assert.ok(noAuth.headers.get('x-api-version'));
    const refusals: Array<[unknown, number, string]> = [
      ['[1]', 400, 'Request body must be a JSON object'],
      ['{', 400, 'Request body is not valid JSON'],
      [{}, 422, 'url is required'],
      [{ url: 7 }, 422, 'url: must be a string'],
      [{ url: 'hooks.example.com/x' }, 422, 'url: must be an absolute URL'],
      [{ url: 'ftp://hooks.example.com/x' }, 422, 'url: must be an https URL'],
      [{ url: 'http://93.184.216.34/x' }, 422, 'url: must be an https URL'],
      [{ url: `https://${'a'.repeat(2050)}.com/` }, 422, 'url: must be at most 2048 characters'],
      [{ url: 'https://user:pw@hooks.example.com/' }, 422, 'url: must not contain credentials'],
      [{ url: rx.origin, events: 'generation.failed' }, 422, 'events: must be an array of event types'],
      [{ url: rx.origin, events: [] }, 422, 'events: must name at least one event type'],
      [
        { url: rx.origin, events: ['generation.completed', 'generation.queued'] },
        422,
        'events[1]: must be one of: generation.processing, generation.completed, generation.failed',
      ],
    ];
    for (const [body, status, detail] of refusals) {
      const r = await srv.raw('POST', '/v1/webhook_endpoints', { body });
      assert.equal(r.status, status, JSON.stringify(body));
      assert.deepEqual(await r.json(), { detail });
    }
    for (const [query, detail] of [
      ['limit=0', 'limit: must be an integer between 1 and 100'],
      ['cursor=nope', 'cursor: is not a valid cursor'],
    ]) {
      const r = await srv.raw('GET', `/v1/webhook_endpoints?${query}`);
      assert.deepEqual([r.status, await r.json()], [422, { detail }]);
    }
    const own = await srv.raw('POST', '/v1/webhook_endpoints', { body: { url: `${rx.origin}/own` } });
    const { id } = (await own.json()) as { id: string };
    const badState = await srv.raw('GET', `/v1/webhook_endpoints/${id}/deliveries?state=lost`);
    assert.deepEqual(await badState.json(), { detail: 'state: must be one of: pending, delivered, dead' });
    const unknown = await srv.raw('POST', `/v1/webhook_endpoints/${id}/deliveries/msg_1_${id}/retry`);
    assert.deepEqual([unknown.status, await unknown.json()], [404, { detail: 'Webhook delivery not found' }]);
    const malformed = await srv.raw('GET', '/v1/webhook_endpoints/not-an-id');
    assert.deepEqual(
      [malformed.status, await malformed.json()],
      [404, { detail: 'Webhook endpoint not found' }],
    );
  });

  it('refuses receivers at private addresses at create', async () => {
    const c = await client('private');
    for (const url of ['https://10.0.0.1/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/']) {
      await assert.rejects(c.webhookEndpoints.create({ url }), (e: unknown) => {
        assert.ok(e instanceof UnprocessableEntityError, url);
        assert.equal(e.detail, 'url: must resolve to public addresses only');
        return true;
      });
    }
    assert.deepEqual((await c.webhookEndpoints.list()).data, []);
  });

  it('delivers completed and failed events once per subscribed endpoint, signed, with the generation as GET shows it', async () => {
    const a = await client('events');
    const outcomes = await a.webhookEndpoints.create({ url: `${rx.origin}/a-outcomes` });
    const everything = await a.webhookEndpoints.create({
      url: `${rx.origin}/a-all`,
      events: ['generation.processing', 'generation.completed', 'generation.failed'],
    });
    const b = await client('others');
    await b.webhookEndpoints.create({ url: `${rx.origin}/b` });

    const ok = await a.generations.createAndWait(
      { prompt: 'a lighthouse', model: 'uni-1' },
      { pollInterval: 50 },
    );
    const bad = await a.generations
      .create({ prompt: 'a storm', model: 'uni-1' }, { headers: { 'x-umbra-fail': 'content_moderated' } })
      .then((g) => a.generations.wait(g.id, { pollInterval: 50 }).catch(() => a.generations.get(g.id)));
    assert.equal(ok.state, 'completed');
    assert.equal(bad.state, 'failed');

    await until('every delivery', () =>
      hitsAt('/a-outcomes').length >= 2 && hitsAt('/a-all').length >= 4 ? true : null,
    );
    await sleep(300); // a duplicate would have arrived by now
    const got = (path: string): string[] =>
      hitsAt(path)
        .map(eventOf)
        .map((e) => `${e.data.id === ok.id ? 'ok' : 'bad'} ${e.type}`)
        .sort();
    assert.deepEqual(got('/a-outcomes'), ['bad generation.failed', 'ok generation.completed']);
    assert.deepEqual(got('/a-all'), [
      'bad generation.failed',
      'bad generation.processing',
      'ok generation.completed',
      'ok generation.processing',
    ]);
    assert.deepEqual(hitsAt('/b'), [], "another client's endpoint hears nothing");
    const ids = [...hitsAt('/a-outcomes'), ...hitsAt('/a-all')].map((h) => h.headers['webhook-id']);
    assert.equal(new Set(ids).size, 6, 'one delivery per event and endpoint');

    for (const h of hitsAt('/a-outcomes')) assert.ok(verified(outcomes.secret, h));
    for (const h of hitsAt('/a-all')) {
      assert.ok(verified(everything.secret, h));
      assert.ok(!verified(outcomes.secret, h), "signed with its own endpoint's secret");
    }
    const withoutUrls = (g: Generation) => ({ ...g, output: g.output.map((o) => ({ type: o.type })) });
    const completed = hitsAt('/a-outcomes')
      .map(eventOf)
      .find((e) => e.type === 'generation.completed');
    assert.deepEqual(withoutUrls(completed?.data ?? ok), withoutUrls(await a.generations.get(ok.id)));
    assert.equal((await fetch(completed?.data.output[0]?.url ?? '')).status, 200, 'its output URL works');
    const failed = hitsAt('/a-outcomes')
      .map(eventOf)
      .find((e) => e.type === 'generation.failed');
    assert.deepEqual(failed?.data, await a.generations.get(bad.id));
    const processing = hitsAt('/a-all')
      .map(eventOf)
      .find((e) => e.type === 'generation.processing');
    assert.deepEqual(
      [processing?.data.state, processing?.data.output, processing?.data.failure_code],
      ['processing', [], null],
      'as it was at the event',
    );

    const log = await a.webhookEndpoints.deliveries(outcomes.id);
    assert.equal(log.data.length, 2);
    for (const d of log.data) {
      assert.deepEqual(
        [
          d.state,
          d.endpoint_id,
          d.next_attempt_at,
          d.attempts.map((x) => [x.attempt, x.status, x.status_code]),
        ],
        ['delivered', outcomes.id, null, [[1, 'succeeded', 200]]],
      );
    }
    assert.deepEqual(
      log.data.map((d) => d.type),
      ['generation.failed', 'generation.completed'],
      'newest first',
    );
  });

  it('retries a receiver that answers 500 twice, then 200: three attempts in the delivery log', async () => {
    const c = await client('flaky');
    script.set('/flaky', [500, 500, 200]);
    const e = await c.webhookEndpoints.create({ url: `${rx.origin}/flaky` });
    const g = await c.generations.createAndWait(
      { prompt: 'a harbour', model: 'uni-1' },
      { pollInterval: 50 },
    );
    const d = await until('delivered', async () => {
      const [x] = (await c.webhookEndpoints.deliveries(e.id)).data;
      return x?.state === 'delivered' ? x : null;
    });
    assert.equal(d.generation_id, g.id);
    assert.deepEqual(
      d.attempts.map((x) => [x.attempt, x.status, x.status_code, x.error]),
      [
        [1, 'failed', 500, null],
        [2, 'failed', 500, null],
        [3, 'succeeded', 200, null],
      ],
    );
    const times = d.attempts.map((x) => Date.parse(x.at));
    assert.ok(
      times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0)),
      'in order',
    );
    assert.equal(new Set(hitsAt('/flaky').map((h) => h.headers['webhook-id'])).size, 1, 'one webhook-id');

    // A retry sends it once more, with the same id; the log keeps counting.
    const again: WebhookDelivery = await c.webhookEndpoints.retry(e.id, d.id);
    assert.deepEqual([again.state, again.attempts.length], ['pending', 3]);
    const resent = await until('the resend', async () => {
      const [x] = (await c.webhookEndpoints.deliveries(e.id)).data;
      return x?.state === 'delivered' && x.attempts.length === 4 ? x : null;
    });
    assert.equal(resent.attempts[3]?.status_code, 200);
    assert.equal(hitsAt('/flaky').length, 4);
    const dead = await c.webhookEndpoints.deliveries(e.id, { state: 'dead' });
    assert.deepEqual(dead.data, []);
  });

  it('lets a hanging receiver delay no job, and records its attempts as timeouts', async () => {
    const c = await client('hanging');
    script.set('/hang', ['hang']);
    const e = await c.webhookEndpoints.create({
      url: `${rx.origin}/hang`,
      events: ['generation.processing', 'generation.completed', 'generation.failed'],
    });
    const first = await c.generations.createAndWait(
      { prompt: 'a quiet bay', model: 'uni-1' },
      { pollInterval: 20 },
    );
    assert.equal(first.state, 'completed');
    const isFirstCompleted = (h: Hit): boolean => {
      const ev = eventOf(h);
      return ev.type === 'generation.completed' && ev.data.id === first.id;
    };
    await until('the hanging attempt', () => (hitsAt('/hang').some(isFirstCompleted) ? true : null));
    // While the receiver holds that attempt, a job runs start to end: nothing waits on the receiver.
    const t = Date.now();
    const second = await c.generations.createAndWait(
      { prompt: 'a quiet bay', model: 'uni-1' },
      { pollInterval: 20 },
    );
    const elapsed = Date.now() - t;
    assert.equal(second.state, 'completed');
    const log = await c.webhookEndpoints.deliveries(e.id);
    const held = log.data.find((d) => d.generation_id === first.id && d.type === 'generation.completed');
    assert.deepEqual(
      held?.attempts,
      [],
      `still on the wire when the next job completed (${elapsed} ms later)`,
    );
    const timedOut = await until('a timed-out attempt', async () => {
      const all = (await c.webhookEndpoints.deliveries(e.id)).data.flatMap((d) => d.attempts);
      return all.find((a) => a.error === 'timeout') ?? null;
    });
    assert.deepEqual([timedOut.status, timedOut.status_code], ['failed', null]);
    assert.ok(timedOut.duration_ms >= 9900, `${timedOut.duration_ms} ms`);
    // An attempt on the wire cannot be retried over itself.
    const inFlight = await until('an attempt on the wire', async () => {
      const log = await c.webhookEndpoints.deliveries(e.id, { state: 'pending' });
      for (const d of log.data) {
        const r = await c.webhookEndpoints.retry(e.id, d.id).then(
          () => null,
          (err: unknown) => (err instanceof ConflictError ? err : null),
        );
        if (r !== null) return r;
      }
      return null;
    });
    assert.equal(inFlight.detail, 'Webhook delivery is being attempted now; retry it once that attempt ends');
    await c.webhookEndpoints.delete(e.id);
  });
});

describe('webhooks without the test-only loopback setting', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.stop());

  it('refuses http and loopback receivers', async () => {
    for (const [url, detail] of [
      ['http://127.0.0.1:9/hook', 'url: must be an https URL'],
      ['https://127.0.0.1:9/hook', 'url: must resolve to public addresses only'],
      ['https://[::1]/hook', 'url: must resolve to public addresses only'],
      ['https://192.168.1.20/hook', 'url: must resolve to public addresses only'],
    ] as const) {
      const r = await srv.raw('POST', '/v1/webhook_endpoints', { body: { url } });
      assert.deepEqual([r.status, await r.json()], [422, { detail }], url);
    }
  });
});
