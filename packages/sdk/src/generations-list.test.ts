// generations.list / listAll against a loopback server: the exact request of each call (only the given
// filters, in a stable order), paging to the last page, a stop on a page without a cursor, typed errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import { AuthenticationError, UnprocessableEntityError } from './errors.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const g = (n: number): object => generation('queued', { id: `id-${n}` });

describe('generations.list', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-list', baseURL: srv.baseURL, maxRetries: 0 });
  });
  after(() => srv.close());

  it('sends only the given filters and returns the page as it came', async () => {
    const page = { data: [g(1)], has_more: true, next_cursor: 'k1' };
    srv.script({ status: 200, body: page });
    assert.deepEqual(await client.generations.list(), page);
    await client.generations.list({
      limit: 10,
      state: 'failed',
      type: 'video',
      model: 'ray-3.2',
      cursor: 'c/1',
    });
    await client.generations.list({ state: null, type: undefined, model: 'uni-1' });
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url}`),
      [
        'GET /v1/generations',
        'GET /v1/generations?cursor=c%2F1&limit=10&state=failed&type=video&model=ray-3.2',
        'GET /v1/generations?model=uni-1',
      ],
    );
    assert.equal(srv.received[0]?.headers.authorization, 'Bearer luma-api-list');
  });

  it('listAll follows next_cursor to the last page with the same filters', async () => {
    srv.script(
      { status: 200, body: { data: [g(1), g(2)], has_more: true, next_cursor: 'k2' } },
      { status: 200, body: { data: [g(3)], has_more: true, next_cursor: 'k3' } },
      { status: 200, body: { data: [g(4)], has_more: false, next_cursor: null } },
    );
    const ids: string[] = [];
    for await (const x of client.generations.listAll({ type: 'image', limit: 2 })) ids.push(x.id);
    assert.deepEqual(ids, ['id-1', 'id-2', 'id-3', 'id-4']);
    assert.deepEqual(
      srv.received.map((r) => r.url),
      [
        '/v1/generations?limit=2&type=image',
        '/v1/generations?cursor=k2&limit=2&type=image',
        '/v1/generations?cursor=k3&limit=2&type=image',
      ],
    );
  });

  it('listAll stops on a page that claims more but gives no cursor', async () => {
    srv.script({ status: 200, body: { data: [g(5)], has_more: true } });
    const once: string[] = [];
    for await (const x of client.generations.listAll()) once.push(x.id);
    assert.deepEqual(once, ['id-5']);
    assert.equal(srv.received.length, 1);
  });

  it('a bad query value is an UnprocessableEntityError with the detail; no key is an AuthenticationError', async () => {
    srv.script({ status: 422, body: { detail: 'cursor: is not a valid cursor' } });
    const err = await client.generations.list({ cursor: 'x' }).catch((e: unknown) => e);
    assert.ok(err instanceof UnprocessableEntityError);
    assert.equal(err.detail, 'cursor: is not a valid cursor');
    srv.script({ status: 401, body: { detail: 'Invalid API key' } });
    const it = client.generations.listAll();
    await assert.rejects(it.next(), AuthenticationError);
  });
});
