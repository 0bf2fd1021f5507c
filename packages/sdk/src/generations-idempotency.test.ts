// generations.create with an idempotency key: the header goes out on the first attempt and, unchanged, on
// every automatic retry, which is what makes a retried POST safe.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const busy = { status: 503, body: { detail: 'busy' }, headers: { 'retry-after-ms': '1' } };
const created = { status: 201, body: generation('queued') };
const params = { prompt: 'a lighthouse', model: 'uni-1' } as const;

describe('generations.create idempotencyKey', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'k', baseURL: srv.baseURL, maxRetries: 2 });
  });
  after(() => srv.close());

  const keys = (): Array<string | string[] | undefined> =>
    srv.received.map((r) => r.headers['idempotency-key']);

  it('sends the given key on the first attempt and on every retry', async () => {
    srv.script(busy, busy, created);
    await client.generations.create(params, { idempotencyKey: 'order-42' });
    assert.deepEqual(keys(), ['order-42', 'order-42', 'order-42']);
  });

  it("makes one random key per call with 'auto', kept across that call's retries", async () => {
    srv.script(busy, created, created);
    await client.generations.create(params, { idempotencyKey: 'auto' });
    await client.generations.create(params, { idempotencyKey: 'auto' });
    const [a, b, c] = keys();
    assert.match(String(a), /^[0-9a-f-]{36}$/);
    assert.equal(a, b);
    assert.notEqual(b, c);
  });

  it('sends no key unless asked, and createAndWait passes the key on', async () => {
    srv.script(created);
    await client.generations.create(params);
    assert.deepEqual(keys(), [undefined]);
    srv.script(created, { status: 200, body: generation('completed') });
    await client.generations.createAndWait(params, { idempotencyKey: 'w-1', pollInterval: 1 });
    assert.equal(srv.received[0]?.headers['idempotency-key'], 'w-1');
  });
});
