// usage.get and admin.clients.* against a loopback server: the exact request of each call, and a top-up
// that is never retried behind the caller's back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import { InternalServerError, PermissionDeniedError } from './errors.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { startScriptedServer } from './testing/scripted-server.js';

describe('usage and admin', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-admin', baseURL: srv.baseURL, maxRetries: 2, timeout: 5000 });
  });
  after(() => srv.close());

  it('usage.get sends only the given parameters, in a stable order', async () => {
    srv.script({ status: 200, body: { data: [] } });
    await client.usage.get();
    await client.usage.get({ group_by: 'day', user_id: 'team a', start: '2026-04-01', end: null });
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url}`),
      ['GET /v1/usage', 'GET /v1/usage?start=2026-04-01&group_by=day&user_id=team+a'],
    );
  });

  it('admin.clients: list, get, update and usage address clients by (escaped) name', async () => {
    srv.script({ status: 200, body: {} });
    await client.admin.clients.list();
    await client.admin.clients.get('acme/eu');
    await client.admin.clients.update('acme', { rpm_limit: 5, status: 'suspended' });
    await client.admin.clients.usage('acme', { group_by: 'model' });
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url} ${r.body}`),
      [
        'GET /v1/admin/clients ',
        'GET /v1/admin/clients/acme%2Feu ',
        'PATCH /v1/admin/clients/acme {"rpm_limit":5,"status":"suspended"}',
        'GET /v1/admin/clients/acme/usage?group_by=model ',
      ],
    );
  });

  it('a 403 is PermissionDeniedError', async () => {
    srv.script({ status: 403, body: { detail: "Admin access required: this key's client is not an admin" } });
    await assert.rejects(client.admin.clients.list(), PermissionDeniedError);
  });

  it('a top-up is sent once (a retry could add it twice); a plain change is retried as usual', async () => {
    srv.script({ status: 503, body: { detail: 'down' } }, { status: 200, body: {} });
    await assert.rejects(client.admin.clients.update('acme', { add_balance_micros: 5 }), InternalServerError);
    assert.equal(srv.received.length, 1);
    srv.script({ status: 503, body: { detail: 'down' } }, { status: 200, body: { name: 'acme' } });
    assert.deepEqual(await client.admin.clients.update('acme', { rpm_limit: 5 }, { maxRetries: 1 }), {
      name: 'acme',
    });
    assert.equal(srv.received.length, 2);
  });
});
