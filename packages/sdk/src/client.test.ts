// Client construction, the headers of contract §1.5, and the fields of typed errors (§1.6).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { DEFAULT_BASE_URL, Umbra, parseCustomHeaders } from './client.js';
import { APIError, UmbraError, UnprocessableEntityError } from './errors.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const ENV = ['LUMA_AGENTS_API_KEY', 'LUMA_BASE_URL', 'LUMA_CUSTOM_HEADERS'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

describe('Umbra client', () => {
  let srv: ScriptedServer;
  before(async () => {
    srv = await startScriptedServer();
  });
  after(() => srv.close());
  afterEach(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('reads LUMA_AGENTS_API_KEY and LUMA_BASE_URL; defaults to the hosted API; needs a key', async () => {
    delete process.env.LUMA_AGENTS_API_KEY;
    delete process.env.LUMA_BASE_URL;
    assert.throws(() => new Umbra(), UmbraError);
    process.env.LUMA_AGENTS_API_KEY = 'luma-api-from-env';
    assert.equal(new Umbra().baseURL, DEFAULT_BASE_URL);
    process.env.LUMA_BASE_URL = `${srv.baseURL}/`;
    const client = new Umbra();
    assert.equal(client.baseURL, srv.baseURL, 'trailing slash dropped');
    srv.script({ status: 201, body: generation('queued') });
    await client.generations.create({ prompt: 'a fox', aspect_ratio: '16:9' });
    const [req] = srv.received;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/v1/generations');
    assert.equal(req?.headers.authorization, 'Bearer luma-api-from-env');
    assert.deepEqual(JSON.parse(req?.body ?? ''), { prompt: 'a fox', aspect_ratio: '16:9' });
    assert.throws(() => new Umbra({ apiKey: 'k', timeout: -1 }), UmbraError);
  });

  it('sends the headers of contract §1.5, LUMA_CUSTOM_HEADERS, defaultHeaders and per-call headers', async () => {
    process.env.LUMA_CUSTOM_HEADERS = 'X-Team: blue\nX-Trace: env\r\nnot a header\n';
    const client = new Umbra({
      apiKey: 'luma-api-k',
      baseURL: srv.baseURL,
      timeout: 12_500,
      defaultHeaders: { 'x-trace': 'option' },
    });
    srv.script({ status: 200, body: generation('queued') });
    await client.generations.get('a b', { headers: { 'X-Request-Id': 'req-42' } });
    const h = srv.received[0]?.headers ?? {};
    assert.equal(srv.received[0]?.url, '/v1/generations/a%20b');
    assert.equal(h.accept, 'application/json');
    assert.equal(h['content-type'], undefined, 'no body, no content-type');
    assert.equal(h['x-team'], 'blue');
    assert.equal(h['x-trace'], 'option', 'defaultHeaders win over the environment');
    assert.equal(h['x-request-id'], 'req-42');
    assert.equal(h['x-stainless-lang'], 'js');
    assert.equal(h['x-stainless-retry-count'], '0');
    assert.equal(h['x-stainless-timeout'], '12');
    assert.match(h['user-agent'] ?? '', /^Umbra\/JS /);
    assert.deepEqual(parseCustomHeaders('A: 1\n: x\nB:two:three'), { A: '1', B: 'two:three' });
  });

  it('maps an error answer to a typed error with status, detail, headers, body and request id', async () => {
    const client = new Umbra({ apiKey: 'k', baseURL: srv.baseURL });
    srv.script({
      status: 422,
      body: { detail: 'source: invalid base64 data' },
      headers: { 'x-request-id': 'rid-1', 'x-api-version': '2026-04-01' },
    });
    const err = await client.generations.create({ prompt: 'x' }).catch((e: unknown) => e);
    assert.ok(
      err instanceof UnprocessableEntityError && err instanceof APIError && err instanceof UmbraError,
    );
    assert.equal(err.status, 422);
    assert.equal(err.detail, 'source: invalid base64 data');
    assert.equal(err.requestId, 'rid-1');
    assert.equal(err.headers.get('x-api-version'), '2026-04-01');
    assert.deepEqual(err.body, { detail: 'source: invalid base64 data' });
    assert.equal(err.message, '422 source: invalid base64 data');
    assert.equal(err.name, 'UnprocessableEntityError');

    srv.script({ status: 402, body: 'Payment Required', headers: { 'content-type': 'text/plain' } });
    const plain = await client.generations.create({ prompt: 'x' }).catch((e: unknown) => e);
    assert.ok(plain instanceof APIError);
    assert.equal(plain.constructor, APIError, '402 has no subclass (contract §1.6)');
    assert.equal(plain.detail, 'Payment Required');
    assert.equal(plain.requestId, null);

    srv.script({ status: 400, body: { error: { message: 'other shape' } } });
    const other = await client.generations.create({ prompt: 'x' }).catch((e: unknown) => e);
    assert.ok(other instanceof APIError);
    assert.equal(other.detail, '{"error":{"message":"other shape"}}');
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const client = new Umbra({
      apiKey: 'k',
      baseURL: 'https://example.invalid/v1',
      fetch: (input) => {
        seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        return Promise.resolve(Response.json(generation('completed')));
      },
    });
    assert.equal((await client.generations.get('id-1')).state, 'completed');
    assert.deepEqual(seen, ['https://example.invalid/v1/generations/id-1']);
  });
});
