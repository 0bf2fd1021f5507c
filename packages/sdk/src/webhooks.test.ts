// client.webhookEndpoints against a loopback server: the exact request of each call (method, path, query,
// JSON body), 204 deletes, paging, and typed errors with the server's detail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import { ConflictError, NotFoundError, UnprocessableEntityError } from './errors.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { startScriptedServer } from './testing/scripted-server.js';
import type { CreatedWebhookEndpoint, WebhookDelivery, WebhookEndpoint } from './webhook-types.js';

const ID = '0f1e2d3c-4b5a-4697-8877-665544332211';
const endpoint = (id = ID): WebhookEndpoint => ({
  id,
  url: 'https://hooks.example.com/umbra',
  events: ['generation.completed', 'generation.failed'],
  created_at: '2026-04-08T12:00:00Z',
});
const delivery: WebhookDelivery = {
  id: `msg_12_${ID}`,
  endpoint_id: ID,
  generation_id: '11111111-2222-4333-8444-555555555555',
  type: 'generation.completed',
  state: 'pending',
  created_at: '2026-04-08T12:00:01.250Z',
  next_attempt_at: '2026-04-08T12:00:06.250Z',
  attempts: [
    {
      attempt: 1,
      at: '2026-04-08T12:00:01.300Z',
      status: 'failed',
      status_code: 500,
      error: null,
      duration_ms: 12,
    },
  ],
};

describe('webhookEndpoints', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-hooks', baseURL: srv.baseURL, maxRetries: 0 });
  });
  after(() => srv.close());

  it('create posts the params as JSON and returns the endpoint with its secret', async () => {
    const created: CreatedWebhookEndpoint = { ...endpoint(), secret: 'whsec_c2VjcmV0' };
    srv.script({ status: 201, body: created });
    const r = await client.webhookEndpoints.create({
      url: 'https://hooks.example.com/umbra',
      events: ['generation.completed', 'generation.failed'],
    });
    assert.deepEqual(r, created);
    const [req] = srv.received;
    assert.equal(`${req?.method} ${req?.url}`, 'POST /v1/webhook_endpoints');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.headers.authorization, 'Bearer luma-api-hooks');
    assert.deepEqual(JSON.parse(req?.body ?? ''), {
      url: 'https://hooks.example.com/umbra',
      events: ['generation.completed', 'generation.failed'],
    });
  });

  it('list, listAll, get and delete call their routes', async () => {
    srv.script(
      { status: 200, body: { data: [endpoint()], has_more: true, next_cursor: 'k/2' } },
      { status: 200, body: { data: [endpoint('a')], has_more: false, next_cursor: null } },
      { status: 200, body: endpoint() },
      { status: 204 },
    );
    const ids: string[] = [];
    for await (const e of client.webhookEndpoints.listAll({ limit: 1 })) ids.push(e.id);
    assert.deepEqual(ids, [ID, 'a']);
    assert.deepEqual(await client.webhookEndpoints.get(ID), endpoint());
    assert.equal(await client.webhookEndpoints.delete(ID), undefined);
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url}`),
      [
        'GET /v1/webhook_endpoints?limit=1',
        'GET /v1/webhook_endpoints?cursor=k%2F2&limit=1',
        `GET /v1/webhook_endpoints/${ID}`,
        `DELETE /v1/webhook_endpoints/${ID}`,
      ],
    );
  });

  it('deliveries sends only the given query, retry posts to the delivery', async () => {
    srv.script(
      { status: 200, body: { data: [delivery], has_more: false, next_cursor: null } },
      { status: 200, body: { data: [], has_more: false, next_cursor: null } },
      { status: 202, body: delivery },
    );
    assert.deepEqual((await client.webhookEndpoints.deliveries(ID)).data, [delivery]);
    await client.webhookEndpoints.deliveries(ID, { state: 'dead', limit: 5, cursor: null });
    assert.deepEqual(await client.webhookEndpoints.retry(ID, delivery.id), delivery);
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url}`),
      [
        `GET /v1/webhook_endpoints/${ID}/deliveries`,
        `GET /v1/webhook_endpoints/${ID}/deliveries?limit=5&state=dead`,
        `POST /v1/webhook_endpoints/${ID}/deliveries/msg_12_${ID}/retry`,
      ],
    );
  });

  it("throws the typed error with the server's detail", async () => {
    srv.script(
      { status: 422, body: { detail: 'url: must resolve to public addresses only' } },
      { status: 404, body: { detail: 'Webhook endpoint not found' } },
      {
        status: 409,
        body: { detail: 'Webhook delivery is being attempted now; retry it once that attempt ends' },
      },
    );
    await assert.rejects(client.webhookEndpoints.create({ url: 'https://10.0.0.1/' }), (e: unknown) => {
      assert.ok(e instanceof UnprocessableEntityError);
      assert.equal(e.detail, 'url: must resolve to public addresses only');
      return true;
    });
    await assert.rejects(client.webhookEndpoints.deliveries('nope'), NotFoundError);
    await assert.rejects(client.webhookEndpoints.retry(ID, 'msg_1'), ConflictError);
  });
});
