// GET /metrics end to end (issue 12, "what it must show" 1): a scrape before and after a mixed batch —
// completed, failed, rate-limited, canceled, a remote worker's retry, webhooks delivered and retried — and
// every family moves by exactly what the batch did. Each scrape parses with an independent Prometheus
// parser, and no label carries an id. UMBRA_METRICS_PORT moves the route to a port of its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WireJob } from '../contract/worker-protocol.js';
import { createWorkerToken } from '../policy/worker-tokens.js';
import { startFixtureServer, startTestServer, type TestServer } from '../testing/harness.js';
import type { Scrape } from '../testing/prom-text.js';
import { parseScrape } from '../testing/prom-text.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('GET /metrics', () => {
  let s: TestServer;
  let rx: { origin: string; close(): Promise<void> };
  const hits: string[] = [];
  let failedPathAnswered = 0;

  before(async () => {
    s = await startTestServer({
      UMBRA_EMULATOR: '1',
      UMBRA_TEST_ALLOW_LOOPBACK_FETCH: '1',
      UMBRA_WEBHOOK_RETRY_SCALE: '0.0001',
      // uni-1-max waits for a remote worker, so its queue can be seen; the rest renders here.
      UMBRA_ENGINES: 'uni-1-max=remote',
    });
    rx = await startFixtureServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const path = req.url ?? '';
        hits.push(path);
        // The failure endpoint refuses its first attempt, so one delivery is retried.
        const refuse = path === '/failed' && failedPathAnswered++ === 0;
        res.writeHead(refuse ? 500 : 200).end();
      });
    });
  });
  after(async () => {
    await rx.close();
    await s.stop();
  });

  const scrape = async (): Promise<{ text: string; metrics: Scrape }> => {
    const res = await s.raw('GET', '/metrics', { auth: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return { text, metrics: parseScrape(text) };
  };

  it('moves every family by what a mixed batch did, in text a Prometheus parser reads', async () => {
    const owner = s.client;
    await owner.webhookEndpoints.create({ url: `${rx.origin}/completed`, events: ['generation.completed'] });
    await owner.webhookEndpoints.create({ url: `${rx.origin}/failed`, events: ['generation.failed'] });
    const limitedKey = await s.newKey({ client: `limited-${Date.now()}`, rpm: 1 });
    const limited = s.clientFor(limitedKey);
    const token = (await createWorkerToken(s.umbra.store, { name: 'gpu', models: null }, Date.now())).token;
    const worker = (path: string, body: unknown): Promise<Response> =>
      s.raw('POST', `/v1/worker${path}`, { body, auth: token });

    const before = (await scrape()).metrics;

    // Rendered here: two complete, one fails as asked (emulator).
    const done = await Promise.all(
      ['a lighthouse', 'a harbour'].map((prompt) => owner.generations.createAndWait({ prompt })),
    );
    assert.deepEqual(
      done.map((g) => g.state),
      ['completed', 'completed'],
    );
    const moderated = await owner.generations.create(
      { prompt: 'x' },
      { headers: { 'x-umbra-fail': 'content_moderated' } },
    );
    await assert.rejects(owner.generations.wait(moderated.id), { code: 'content_moderated' });
    // A client with one request a minute: the first completes, the second is 429 and admits nothing.
    assert.equal((await limited.generations.createAndWait({ prompt: 'one' })).state, 'completed');
    const refused = await s.raw('POST', '/v1/generations', {
      body: { prompt: 'two' },
      auth: limitedKey,
    });
    assert.equal(refused.status, 429);

    // Routed to remote workers: three queue; one is canceled; the oldest is claimed and failed retryably.
    const remote = [];
    for (const prompt of ['r1', 'r2', 'r3']) {
      remote.push(await owner.generations.create({ prompt, model: 'uni-1-max' }));
      await sleep(5); // distinct creation times, so the claim order is known
    }
    await owner.generations.cancel(remote[2]!.id);
    await sleep(20);
    const queued = (await scrape()).metrics;
    assert.equal(queued.get('umbra_queue_depth', { model: 'uni-1-max' }), 2);
    assert.ok(queued.get('umbra_queue_oldest_age_seconds', { model: 'uni-1-max' }) >= 0.02);
    assert.equal(queued.get('umbra_jobs_running', { model: 'uni-1-max' }), 0);
    assert.equal(queued.get('umbra_remote_workers_connected'), 0);

    const claim = await worker('/claim', { protocol: 1, instance: 'box-1', wait_seconds: 0 });
    assert.equal(claim.status, 200);
    const job = ((await claim.json()) as { job: WireJob }).job;
    assert.equal(job.id, remote[0]!.id);
    const running = (await scrape()).metrics;
    assert.equal(running.get('umbra_jobs_running', { model: 'uni-1-max' }), 1);
    assert.equal(running.get('umbra_queue_depth', { model: 'uni-1-max' }), 1);
    assert.equal(running.get('umbra_remote_workers_connected'), 1);
    const fail = await worker(`/jobs/${job.id}/fail`, {
      attempt: job.attempt,
      lease: job.lease,
      failure_code: 'generation_failed',
      retryable: true,
    });
    assert.equal(fail.status, 200);

    // Webhooks: two completions on one endpoint; the failure and the cancel on the other, whose first
    // attempt is refused and retried.
    const m = await until('webhook attempts to be recorded', async () => {
      const now = (await scrape()).metrics;
      const d = (outcome: string): number =>
        now.get('umbra_webhook_attempts_total', { outcome }) -
        before.get('umbra_webhook_attempts_total', { outcome });
      return d('delivered') >= 4 && d('retrying') >= 1 ? now : null;
    });
    const { text } = await scrape();
    assert.doesNotMatch(text, UUID, 'no label carries an id');

    const moved = (name: string, labels: Record<string, string> = {}, part?: 'count' | 'sum'): number =>
      m.get(name, labels, part) - before.get(name, labels, part);
    const here = { model: 'uni-1', type: 'image', engine: 'reference' };
    const away = { model: 'uni-1-max', type: 'image', engine: 'remote' };

    // Requests, by route pattern and status (GETs depend on polling and are not counted here).
    const requests = (route: string, status: string, method = 'POST'): number =>
      moved('umbra_http_requests_total', { method, route, status });
    assert.equal(requests('/v1/generations', '201'), 7);
    assert.equal(requests('/v1/generations', '429'), 1);
    assert.equal(requests('/v1/generations/:id/cancel', '200'), 1);
    assert.equal(requests('/v1/worker/claim', '200'), 1);
    assert.equal(requests('/v1/worker/jobs/:id/fail', '200'), 1);
    assert.equal(requests('/v1/webhook_endpoints', '201'), 0, 'made before the first scrape');
    assert.equal(
      moved('umbra_http_request_duration_seconds', { method: 'POST', route: '/v1/generations' }, 'count'),
      8,
    );
    assert.ok(moved('umbra_http_request_duration_seconds', { route: '/v1/generations' }, 'sum') > 0);

    // Generations, by model, type and engine (and code for failures).
    assert.equal(moved('umbra_generations_admitted_total', here), 4);
    assert.equal(moved('umbra_generations_admitted_total', away), 3);
    assert.equal(moved('umbra_generations_completed_total', here), 3);
    assert.equal(moved('umbra_generations_completed_total', away), 0);
    assert.equal(moved('umbra_generations_failed_total', { ...here, code: 'content_moderated' }), 1);
    assert.equal(moved('umbra_generations_failed_total'), 1, 'the cancel and the retry are not failures');
    assert.equal(moved('umbra_generations_canceled_total', away), 1);
    assert.equal(moved('umbra_generations_retried_total', away), 1);
    assert.equal(moved('umbra_generations_retried_total', here), 0);
    assert.equal(moved('umbra_generation_render_seconds', { model: 'uni-1', type: 'image' }, 'count'), 3);
    assert.ok(moved('umbra_generation_render_seconds', { model: 'uni-1', type: 'image' }, 'sum') > 0);

    // Gauges read at scrape time: the failed attempt's job is queued again (backing off); none running.
    assert.equal(m.get('umbra_queue_depth', { model: 'uni-1-max' }), 2);
    assert.equal(m.get('umbra_queue_depth', { model: 'uni-1' }), 0);
    assert.equal(m.get('umbra_jobs_running'), 0);
    assert.equal(m.get('umbra_remote_workers_connected'), 1);

    // Webhook attempts by outcome: 2 completions + 2 failures delivered, one refused attempt retried.
    assert.equal(moved('umbra_webhook_attempts_total', { outcome: 'delivered' }), 4);
    assert.equal(moved('umbra_webhook_attempts_total', { outcome: 'retrying' }), 1);
    assert.equal(moved('umbra_webhook_attempts_total', { outcome: 'dead' }), 0);
    assert.equal(hits.filter((h) => h === '/completed').length, 2);
    assert.equal(hits.filter((h) => h === '/failed').length, 3);

    // And the process's own families come along.
    assert.ok(m.families.has('process_cpu_user_seconds_total'));
    assert.ok(m.families.has('nodejs_eventloop_lag_seconds'));
  });

  it('labels a request no route matched once, not by its URL', async () => {
    const before = (await scrape()).metrics;
    for (const path of ['/no/such/thing', '/wp-login.php', '/v1/nothing-here']) {
      assert.equal((await s.raw('GET', path, { auth: null })).status, 404);
    }
    const { text, metrics } = await scrape();
    const labels = { method: 'GET', route: 'unmatched', status: '404' };
    assert.equal(
      metrics.get('umbra_http_requests_total', labels) - before.get('umbra_http_requests_total', labels),
      3,
    );
    assert.doesNotMatch(text, /wp-login|no\/such/);
  });
});

describe('UMBRA_METRICS_PORT', () => {
  it('serves /metrics and the health pair there, and not /metrics on the API port', async () => {
    const s = await startTestServer({ UMBRA_METRICS_PORT: '0' });
    try {
      const ops = s.umbra.metricsUrl;
      assert.ok(ops !== null);
      assert.notEqual(new URL(ops).port, new URL(s.baseURL).port);
      assert.equal((await s.raw('GET', '/metrics', { auth: null })).status, 404);
      const res = await fetch(`${ops}/metrics`);
      assert.equal(res.status, 200);
      assert.ok(parseScrape(await res.text()).families.has('umbra_queue_depth'));
      assert.equal((await fetch(`${ops}/healthz`)).status, 200);
      assert.equal((await fetch(`${ops}/readyz`)).status, 200);
      // The API port keeps its probes for load balancers.
      assert.equal((await s.raw('GET', '/readyz', { auth: null })).status, 200);
    } finally {
      await s.stop();
    }
  });
});
