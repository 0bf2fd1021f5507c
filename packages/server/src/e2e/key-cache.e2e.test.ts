// The key cache through the HTTP API (issue 15): a change made through this server applies on the very
// next request; one made by another process on the same database applies within UMBRA_KEY_CACHE_MS. The
// other process is a second connection to the server's SQLite file, as `umbra keys` and `umbra clients`
// open it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqlite/sqlite.store.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

/** The bound under test, short so the test is quick; the default is 5000. */
const BOUND_MS = 500;
/** Slack on top of the bound, for scheduling; the test waits, it never asserts how fast. */
const MARGIN_MS = 500;
/** uni-1 text → image (contract §5.2). */
const IMAGE_PRICE = 40_400;

describe('the key cache over HTTP', () => {
  let s: TestServer;
  let other: Store;
  before(async () => {
    s = await startTestServer({ UMBRA_ROLE: 'api', UMBRA_KEY_CACHE_MS: String(BOUND_MS) });
    other = openSqliteStore(join(s.dataDir, 'umbra.db'));
  });
  after(async () => {
    await other.close();
    await s.stop();
  });

  const answer = async (key: string, method = 'GET', path = '/v1/generations'): Promise<string> => {
    const res = await s.raw(method, path, {
      auth: key,
      ...(method === 'POST' ? { body: { prompt: 'a lighthouse' } } : {}),
    });
    const body = (await res.json()) as { detail?: string };
    return res.ok ? String(res.status) : `${res.status} ${body.detail}`;
  };
  const idOf = async (name: string): Promise<string> =>
    (await s.umbra.store.clients.findClientByName(name))?.id ?? assert.fail(`no client ${name}`);

  it('a key revoked through this server is refused on the very next request', async () => {
    const key = await s.newKey({ client: 'here' });
    assert.equal(await answer(key), '200');
    assert.equal(await s.umbra.store.clients.revokeKeys(key.slice(0, 17), Date.now()), 1);
    assert.equal(await answer(key), '401 API key has been revoked');
  });

  it('a client suspended through the admin API is refused on the very next request', async () => {
    const adminKey = await s.newKey({ client: 'ops' });
    await s.umbra.store.clients.updateClient(await idOf('ops'), { admin: true });
    const key = await s.newKey({ client: 'tenant' });
    assert.equal(await answer(key), '200');
    const patched = await s.raw('PATCH', '/v1/admin/clients/tenant', {
      auth: adminKey,
      body: { status: 'suspended' },
    });
    assert.equal(patched.status, 200);
    assert.equal(await answer(key), '403 API client is suspended');
  });

  it('a key revoked by another process stops working within UMBRA_KEY_CACHE_MS', async () => {
    const key = await s.newKey({ client: 'elsewhere' });
    assert.equal(await answer(key), '200');
    assert.equal(await other.clients.revokeKeys(key.slice(0, 17), Date.now()), 1);
    await sleep(BOUND_MS + MARGIN_MS);
    assert.equal(await answer(key), '401 API key has been revoked');
  });

  it('a wrong key is refused every time and a right one still works after it', async () => {
    const key = await s.newKey({ client: 'typo' });
    const wrong = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    for (let i = 0; i < 3; i++) assert.equal(await answer(wrong), '401 Invalid API key');
    assert.equal(await answer(key), '200');
    assert.equal(await answer(wrong), '401 Invalid API key');
  });

  it('a balance topped up by another process is honoured at once: a refusal reads the balance afresh', async () => {
    const key = await s.newKey({ client: 'money', balanceMicros: 0 });
    assert.equal(await answer(key, 'POST'), '402 Insufficient balance. Please add funds to continue.');
    await other.clients.updateClient(await idOf('money'), { addBalanceMicros: IMAGE_PRICE });
    assert.equal(await answer(key, 'POST'), '201');
  });
});
