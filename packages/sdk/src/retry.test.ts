// The retry policy of contract §1.4 against a loopback server: which answers are retried, how often,
// and what the server's hints change. Servers answer `retry-after-ms: 5` so the suite stays fast.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './errors.js';
import { isRetryableStatus, retryDelay, shouldRetry } from './retry.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const FAST = { 'retry-after-ms': '5' };
const ID = '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11';

describe('retryDelay (pure)', () => {
  it('backs off 0.5 s · 2^n capped at 8 s, with jitter in (0.75, 1]', () => {
    const steps = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    steps.forEach((step, n) => {
      assert.equal(retryDelay(n, null, 0), step, 'rand 0 = the full step');
      const low = retryDelay(n, null, 0.999999);
      assert.ok(low > step * 0.75 && low < step, `n=${n}: ${low} within (0.75, 1] of ${step}`);
    });
    for (let i = 0; i < 200; i++) {
      const d = retryDelay(1, null);
      assert.ok(d > 750 && d <= 1000);
    }
  });

  it('honours retry-after-ms, then Retry-After in seconds (fractional) or as an HTTP-date', () => {
    assert.equal(retryDelay(0, new Headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(retryDelay(0, new Headers({ 'retry-after-ms': '7', 'retry-after': '30' })), 7);
    assert.equal(retryDelay(0, new Headers({ 'retry-after': '1.5' })), 1500);
    assert.equal(retryDelay(3, new Headers({ 'retry-after': '120' })), 120_000, 'any size (TS SDK)');
    const inFuture = new Date(Date.now() + 30_000).toUTCString();
    const d = retryDelay(0, new Headers({ 'retry-after': inFuture }));
    assert.ok(d > 20_000 && d <= 30_000, `HTTP-date → ${d}`);
    assert.equal(retryDelay(0, new Headers({ 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' })), 0);
    assert.equal(retryDelay(0, new Headers({ 'retry-after': 'soon' }), 0), 500, 'garbage → backoff');
    assert.equal(retryDelay(0, new Headers({ 'retry-after-ms': '-3' }), 0), 500);
  });

  it('retries 408, 409, 429 and 5xx; x-should-retry overrides', () => {
    for (const s of [408, 409, 429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(s), String(s));
    for (const s of [400, 401, 402, 403, 404, 413, 422]) assert.ok(!isRetryableStatus(s), String(s));
    assert.equal(shouldRetry(400, new Headers({ 'x-should-retry': 'true' })), true);
    assert.equal(shouldRetry(503, new Headers({ 'x-should-retry': 'false' })), false);
    assert.equal(shouldRetry(503, new Headers({ 'x-should-retry': 'maybe' })), true);
  });
});

describe('retries against a server', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-test', baseURL: srv.baseURL });
  });
  after(() => srv.close());

  for (const status of [408, 409, 429, 500, 502, 503]) {
    it(`retries ${status} and succeeds, counting attempts in x-stainless-retry-count`, async () => {
      srv.script(
        { status, body: { detail: 'busy' }, headers: FAST },
        { status: 200, body: generation('queued') },
      );
      const g = await client.generations.get(ID);
      assert.equal(g.state, 'queued');
      assert.deepEqual(
        srv.received.map((r) => r.headers['x-stainless-retry-count']),
        ['0', '1'],
      );
    });
  }

  const permanent: [number, new (...a: never[]) => APIError][] = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, APIError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [413, APIError],
    [422, UnprocessableEntityError],
  ];
  for (const [status, Cls] of permanent) {
    it(`does not retry ${status} (${Cls.name})`, async () => {
      srv.script({ status, body: { detail: `nope ${status}` }, headers: FAST });
      await assert.rejects(client.generations.create({ prompt: 'x' }), (e: unknown) => {
        assert.ok(e instanceof Cls);
        assert.equal(e.status, status);
        assert.equal(e.detail, `nope ${status}`);
        return true;
      });
      assert.equal(srv.received.length, 1);
    });
  }

  it('gives up after maxRetries (default 2 = 3 attempts) with the last error', async () => {
    srv.script({ status: 503, body: { detail: 'down' }, headers: FAST });
    await assert.rejects(client.generations.get(ID), InternalServerError);
    assert.equal(srv.received.length, 3);
    srv.script({ status: 429, body: { detail: 'Rate limit exceeded' }, headers: FAST });
    await assert.rejects(client.generations.get(ID, { maxRetries: 0 }), RateLimitError);
    assert.equal(srv.received.length, 1);
    srv.script({ status: 409, body: { detail: 'again' }, headers: FAST });
    await assert.rejects(client.generations.get(ID, { maxRetries: 4 }), ConflictError);
    assert.equal(srv.received.length, 5);
  });

  it('x-should-retry: false stops a 503; x-should-retry: true retries a 400', async () => {
    srv.script({ status: 503, body: { detail: 'final' }, headers: { ...FAST, 'x-should-retry': 'false' } });
    await assert.rejects(client.generations.get(ID), InternalServerError);
    assert.equal(srv.received.length, 1);
    srv.script(
      { status: 400, body: { detail: 'transient' }, headers: { ...FAST, 'x-should-retry': 'true' } },
      { status: 200, body: generation('processing') },
    );
    assert.equal((await client.generations.get(ID)).state, 'processing');
    assert.equal(srv.received.length, 2);
  });

  it('waits as long as Retry-After says (seconds or HTTP-date)', async () => {
    srv.script(
      { status: 429, body: { detail: 'slow down' }, headers: { 'retry-after': '0.01' } },
      { status: 503, body: { detail: 'x' }, headers: { 'retry-after': new Date(0).toUTCString() } },
      { status: 200, body: generation('queued') },
    );
    assert.equal((await client.generations.get(ID)).state, 'queued');
    assert.equal(srv.received.length, 3);
  });

  it('retries a dropped connection, then reports APIConnectionError with the cause', async () => {
    srv.script({ drop: true }, { status: 200, body: generation('queued') });
    assert.equal((await client.generations.get(ID)).state, 'queued');
    assert.equal(srv.received.length, 2);
    srv.script({ drop: true });
    await assert.rejects(client.generations.get(ID, { maxRetries: 0 }), (e: unknown) => {
      assert.ok(e instanceof APIConnectionError && !(e instanceof APITimeoutError));
      assert.ok(e.cause !== undefined);
      return true;
    });
    const closed = new Umbra({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
    await assert.rejects(closed.generations.get(ID), APIConnectionError);
  });

  it('times out each attempt (APITimeoutError), also while the body is still arriving', async () => {
    srv.script({ hang: true });
    await assert.rejects(client.generations.get(ID, { timeout: 30, maxRetries: 0 }), APITimeoutError);
    srv.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    await assert.rejects(client.generations.get(ID, { timeout: 50, maxRetries: 0 }), APITimeoutError);
    srv.script({ hang: true }, { status: 200, body: generation('queued') });
    const g = await client.generations.get(ID, { timeout: 30, maxRetries: 1 });
    assert.equal(g.state, 'queued', 'a timed-out attempt is retried');
    assert.equal(srv.received[1]?.headers['x-stainless-timeout'], '0');
  });

  it('stops at once when the caller aborts, in flight or between retries', async () => {
    srv.script({ hang: true });
    const ctl = new AbortController();
    const p = client.generations.get(ID, { signal: ctl.signal });
    await until(() => srv.received.length === 1);
    ctl.abort();
    await assert.rejects(p, APIUserAbortError);

    srv.script({ status: 503, body: { detail: 'x' }, headers: { 'retry-after-ms': '600000' } });
    const ctl2 = new AbortController();
    const p2 = client.generations.get(ID, { signal: ctl2.signal });
    await until(() => srv.received.length === 1);
    ctl2.abort();
    await assert.rejects(p2, APIUserAbortError);
    assert.equal(srv.received.length, 1);

    await assert.rejects(client.generations.get(ID, { signal: AbortSignal.abort() }), APIUserAbortError);
  });
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}
