// End to end through the real client and raw HTTP: transport, auth, presentation and signed files
// (contract §1.2, §2.1, §2.2, §3.1, §3.3, §4.1).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthenticationError, NotFoundError, PermissionDeniedError } from '@umbra/sdk';
import { API_VERSION } from '../contract/wire.js';
import { SHOWN_PREFIX_LENGTH } from '../policy/api-keys.js';
import type { TestServer } from '../testing/harness.js';
import { GENERATION_KEYS, OWNER_KEY, startTestServer } from '../testing/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('API end to end (SQLite, reference engine)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s.stop());

  it('contract §2.1/§3.1: POST → 201 queued with exactly the documented keys, then completes with one PNG', async () => {
    const res = await s.raw('POST', '/v1/generations', { body: { prompt: 'mountains at sunset' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type')?.startsWith('application/json'), true);
    const g = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(g), GENERATION_KEYS);
    assert.match(String(g.id), UUID);
    assert.equal(g.state, 'queued');
    assert.equal(g.type, 'image');
    assert.equal(g.model, 'uni-1');
    assert.match(String(g.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(g.output, []);
    assert.equal(g.failure_reason, null);
    assert.equal(g.failure_code, null);

    const done = await s.client.generations.wait(String(g.id), { pollInterval: 50, timeout: 60_000 });
    assert.equal(done.state, 'completed');
    assert.equal(done.output.length, 1);
    assert.equal(done.output[0]?.type, 'image');
    const file = await fetch(done.output[0]?.url ?? '');
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.equal(file.headers.get('accept-ranges'), 'bytes');
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.equal(Number(file.headers.get('content-length')), bytes.length);
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    // contract §7 item 18: null ratio → 16:9 at 2048 long edge.
    assert.equal(bytes.readUInt32BE(16), 2048);
    assert.equal(bytes.readUInt32BE(20), 1152);
  });

  it('contract §4.1: X-Request-Id echoed (or generated) and X-API-Version on success and error, both endpoints', async () => {
    const echoed = await s.raw('GET', '/v1/generations/nope', {
      headers: { 'x-request-id': 'myapp-user42-batch7-req003' },
    });
    assert.equal(echoed.headers.get('x-request-id'), 'myapp-user42-batch7-req003');
    assert.equal(echoed.headers.get('x-api-version'), API_VERSION);
    const generated = await s.raw('POST', '/v1/generations', { body: { prompt: '' } });
    assert.equal(generated.status, 400);
    assert.match(generated.headers.get('x-request-id') ?? '', UUID);
    assert.equal(generated.headers.get('x-api-version'), API_VERSION);
    const unauth = await s.raw('POST', '/v1/generations', { body: { prompt: 'x' }, auth: null });
    assert.equal(unauth.headers.get('x-api-version'), API_VERSION);
    assert.ok(unauth.headers.get('x-request-id'));
  });

  it('contract §2.2: unknown, malformed and foreign ids → 404 Generation not found, identically', async () => {
    const other = await s.newKey({ client: 'other-team' });
    const mine = await s.client.generations.create({ prompt: 'a red lantern' });
    for (const [id, key] of [
      ['00000000-0000-4000-8000-000000000000', OWNER_KEY],
      ['not-a-uuid', OWNER_KEY],
      ['../../etc/passwd', OWNER_KEY],
      [mine.id, other],
    ] as const) {
      const res = await s.raw('GET', `/v1/generations/${encodeURIComponent(id)}`, { auth: key });
      assert.equal(res.status, 404, id);
      assert.deepEqual(await res.json(), { detail: 'Generation not found' });
      assert.equal(res.headers.get('x-ratelimit-limit'), null);
    }
    await assert.rejects(s.clientFor(other).generations.get(mine.id), NotFoundError);
  });

  it('contract §1.2/§4.2: the four 401 details, scheme case-sensitive', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'Missing or invalid API key'],
      [{ authorization: `bearer ${OWNER_KEY}` }, 'Missing or invalid API key'],
      [{ authorization: `Basic ${OWNER_KEY}` }, 'Missing or invalid API key'],
      [{ authorization: 'Bearer sk-not-a-luma-key' }, 'Missing or invalid API key'],
      [{ authorization: `Bearer  ${OWNER_KEY}` }, 'Missing or invalid API key'],
      [{ authorization: `Bearer ${OWNER_KEY} ${OWNER_KEY}` }, 'Missing or invalid API key'],
      [{ authorization: `Bearer ${OWNER_KEY}\textra` }, 'Missing or invalid API key'],
      [{ authorization: 'Bearer luma-api-unknown-key-123456' }, 'Invalid API key'],
    ];
    for (const [headers, detail] of cases) {
      for (const [method, path] of [
        ['POST', '/v1/generations'],
        ['GET', '/v1/generations/00000000-0000-4000-8000-000000000000'],
      ] as const) {
        const res = await s.raw(method, path, {
          auth: null,
          headers,
          body: method === 'POST' ? { prompt: 'x' } : undefined,
        });
        assert.equal(res.status, 401, `${method} ${JSON.stringify(headers)}`);
        assert.deepEqual(await res.json(), { detail });
      }
    }
    const revoked = await s.newKey({ client: 'revoker' });
    await s.umbra.store.clients.revokeKeys(revoked.slice(0, SHOWN_PREFIX_LENGTH), Date.now());
    await assert.rejects(s.clientFor(revoked).generations.create({ prompt: 'x' }), (e: unknown) => {
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.detail, 'API key has been revoked');
      return true;
    });
    const expired = await s.newKey({ client: 'expirer', expiresAt: Date.now() - 1000 });
    await assert.rejects(s.clientFor(expired).generations.get('x'), (e: unknown) => {
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.detail, 'API key has expired');
      return true;
    });
  });

  it('contract §1.2: suspended and deactivated clients → 403', async () => {
    for (const status of ['suspended', 'deactivated'] as const) {
      const key = await s.newKey({ client: `acct-${status}` });
      const client = await s.umbra.store.clients.findClientByName(`acct-${status}`);
      assert.ok(client);
      await s.umbra.store.clients.updateClient(client.id, { status });
      await assert.rejects(s.clientFor(key).generations.create({ prompt: 'x' }), (e: unknown) => {
        assert.ok(e instanceof PermissionDeniedError);
        assert.equal(e.detail, `API client is ${status}`);
        return true;
      });
    }
  });

  it('contract §7 item 5: HDR needs the client HDR access flag (422 otherwise); the owner has it', async () => {
    const body = { prompt: 'x', model: 'ray-3.2', type: 'video', video: { hdr: true, resolution: '1080p' } };
    const plain = await s.newKey({ client: 'no-hdr' });
    const denied = await s.raw('POST', '/v1/generations', { auth: plain, body });
    assert.equal(denied.status, 422);
    assert.deepEqual(await denied.json(), { detail: 'HDR access is not enabled for this client' });
    const hdr = await s.newKey({ client: 'with-hdr', hdr: true });
    assert.equal((await s.raw('POST', '/v1/generations', { auth: hdr, body })).status, 201);
    assert.equal((await s.raw('POST', '/v1/generations', { body })).status, 201);
  });

  it('contract §1.2: keys of one client share generations', async () => {
    const k1 = await s.newKey({ client: 'shared-team' });
    const k2 = await s.newKey({ client: 'shared-team' });
    const g = await s.clientFor(k1).generations.create({ prompt: 'forest in fog' });
    assert.equal((await s.clientFor(k2).generations.get(g.id)).id, g.id);
  });

  it('contract §2.9: malformed JSON and wrong JSON types → 400 with a string detail', async () => {
    for (const body of ['{"prompt": ', 'not json', '[1,2]', '"just a string"', '42', 'null']) {
      const res = await s.raw('POST', '/v1/generations', { body });
      assert.equal(res.status, 400, body);
      const j = (await res.json()) as { detail: unknown };
      assert.equal(typeof j.detail, 'string', body);
    }
    const noType = await s.raw('POST', '/v1/generations', {
      body: '{"prompt":"x"}',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(noType.status, 201);
    const wrongType = await s.raw('POST', '/v1/generations', { body: { prompt: 42 } });
    assert.equal(wrongType.status, 400);
    assert.equal(typeof ((await wrongType.json()) as { detail: unknown }).detail, 'string');
  });

  it('CORS: a browser page may call the API with a bearer key and read the response headers', async () => {
    const pre = await s.raw('OPTIONS', '/v1/generations', {
      auth: null,
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-retry-count',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(
      pre.headers.get('access-control-allow-methods') ?? '',
      /DELETE/,
      'files and webhook endpoints are deleted from browsers too',
    );
    const res = await s.raw('POST', '/v1/generations', {
      body: { prompt: 'x' },
      headers: { origin: 'http://localhost:3000' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /x-request-id/);
  });

  it('contract §1.5: unknown body fields and SDK telemetry headers are ignored', async () => {
    const res = await s.raw('POST', '/v1/generations', {
      body: { prompt: 'quiet lake', some_future_field: { a: 1 }, source_video_id: 'x' },
      headers: { 'x-stainless-lang': 'js', 'x-stainless-retry-count': '0', 'idempotency-key': 'abc' },
    });
    assert.equal(res.status, 201);
  });

  it('contract §3.3: output URLs are fresh on every GET; tampered → 403; Range → 206', async () => {
    const g = await s.client.generations.createAndWait({ prompt: 'city at night' }, { pollInterval: 50 });
    await new Promise((r) => setTimeout(r, 1100));
    const again = await s.client.generations.get(g.id);
    assert.notEqual(again.output[0]?.url, g.output[0]?.url, 'a later GET signs a later expiry');
    const url = new URL(again.output[0]?.url ?? '');
    assert.equal(url.origin, new URL(s.baseURL).origin, 'absolute URL on this server');
    const exp = Number(url.searchParams.get('expires'));
    assert.ok(Math.abs(exp - (Date.now() / 1000 + 3600)) < 5, 'valid one hour');

    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(exp + 100));
    assert.equal((await fetch(tampered)).status, 403);
    const badSig = new URL(url);
    badSig.searchParams.set('signature', '0'.repeat(64));
    assert.equal((await fetch(badSig)).status, 403);
    const otherPath = new URL(url);
    otherPath.pathname = otherPath.pathname.replace('output.png', 'output.jpeg');
    assert.equal((await fetch(otherPath)).status, 403);

    const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
    const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${whole.length}`);
    assert.equal(part.headers.get('content-length'), '10');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), whole.subarray(10, 20));
    const tail = await fetch(url, { headers: { range: 'bytes=-5' } });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), whole.subarray(whole.length - 5));
    const bad = await fetch(url, { headers: { range: `bytes=${whole.length + 10}-` } });
    assert.equal(bad.status, 416);
  });
});

describe('signed URL expiry (contract §3.3)', () => {
  it('an expired URL → 403', async () => {
    const s = await startTestServer({ UMBRA_URL_TTL_SECONDS: '1' });
    try {
      const g = await s.client.generations.createAndWait({ prompt: 'desert dunes' }, { pollInterval: 50 });
      const url = g.output[0]?.url ?? '';
      assert.equal((await fetch(url)).status, 200);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await fetch(url);
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), { detail: 'URL has expired' });
      const fresh = await s.client.generations.get(g.id);
      assert.equal((await fetch(fresh.output[0]?.url ?? '')).status, 200, 'a new GET signs a working URL');
    } finally {
      await s.stop();
    }
  });
});
