// Tenants end to end (issue 12, "what it must show" 4): every `umbra clients set` option, run as a user runs
// it against the data directory of a live server, changes what that server answers on the client's very
// next request (with the key cache off; with it, within UMBRA_KEY_CACHE_MS); the admin API does the same over HTTP for keys of an admin client, and answers every
// documented refusal. Jobs stay queued (an api-only server), so concurrency slots stay taken.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { AdminClient } from '@umbra/sdk';
import { NotFoundError, PermissionDeniedError, UnprocessableEntityError } from '@umbra/sdk';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const IMAGE = { prompt: 'a lighthouse' };
const HDR_VIDEO = {
  prompt: 'surf',
  type: 'video',
  model: 'ray-3.2',
  video: { resolution: '720p', hdr: true },
};
/** uni-1 text → image (contract §5.2). */
const IMAGE_PRICE = 40_400;

describe('tenants: umbra clients set and the admin API', () => {
  let s: TestServer;
  before(async () => {
    // `umbra clients set` is another process, which a running server sees within UMBRA_KEY_CACHE_MS
    // (key-cache.e2e.test.ts tests that bound); read keys on every request so each change shows at once.
    s = await startTestServer({ UMBRA_ROLE: 'api', UMBRA_KEY_CACHE_MS: '0' });
  });
  after(() => s.stop());

  /** `umbra clients …` on the server's data directory: exit code, stdout and stderr. */
  const umbra = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, 'clients', ...args, '--data-dir', s.dataDir],
        { env: { ...process.env, UMBRA_LOG_LEVEL: 'silent', DATABASE_URL: '' } },
        (err, stdout, stderr) =>
          resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }),
      );
    });
  const set = async (name: string, ...flags: string[]): Promise<AdminClient> => {
    const r = await umbra('set', name, ...flags, '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as AdminClient;
  };
  const post = (key: string, body: object = IMAGE): Promise<Response> =>
    s.raw('POST', '/v1/generations', { body, auth: key });
  const detail = async (res: Response): Promise<string> => ((await res.json()) as { detail: string }).detail;

  describe('umbra clients set', () => {
    it('--status suspended and deactivated answer 403 on the next request; active lets it back in', async () => {
      const key = await s.newKey({ client: 'cli-status' });
      assert.equal((await s.raw('GET', '/v1/generations', { auth: key })).status, 200);
      assert.equal((await set('cli-status', '--status', 'suspended')).status, 'suspended');
      const suspended = await s.raw('GET', '/v1/generations', { auth: key });
      assert.deepEqual([suspended.status, await detail(suspended)], [403, 'API client is suspended']);
      assert.equal((await post(key)).status, 403);
      await set('cli-status', '--status', 'deactivated');
      const gone = await post(key);
      assert.deepEqual([gone.status, await detail(gone)], [403, 'API client is deactivated']);
      await set('cli-status', '--status', 'active');
      assert.equal((await post(key)).status, 201);
    });

    it('a lowered --rpm answers 429 sooner; --rpm 0 lifts the limit', async () => {
      const key = await s.newKey({ client: 'cli-rpm' });
      for (let i = 0; i < 3; i++) assert.equal((await post(key)).status, 201, 'within the default 30/min');
      assert.equal((await set('cli-rpm', '--rpm', '3')).rpm_limit, 3);
      const limited = await post(key);
      assert.deepEqual([limited.status, await detail(limited)], [429, 'Rate limit exceeded']);
      assert.equal(limited.headers.get('x-ratelimit-limit'), '3');
      assert.equal((await set('cli-rpm', '--rpm', '0')).rpm_limit, null);
      const free = await post(key);
      assert.equal(free.status, 201);
      assert.equal(free.headers.get('x-ratelimit-limit'), null, 'no limit, no rate-limit headers');
    });

    it('a lowered --concurrency answers 429 while the queued jobs hold their slots', async () => {
      const key = await s.newKey({ client: 'cli-conc' });
      assert.equal((await post(key)).status, 201);
      assert.equal((await post(key)).status, 201);
      await set('cli-conc', '--concurrency', '2');
      const full = await post(key);
      assert.deepEqual([full.status, await detail(full)], [429, 'Too many concurrent jobs']);
      assert.equal(full.headers.get('retry-after'), '60');
      await set('cli-conc', '--concurrency', '3');
      assert.equal((await post(key)).status, 201);
      await set('cli-conc', '--concurrency', '0');
      assert.equal((await post(key)).status, 201);
    });

    it('--balance and --add-balance: an empty balance is 402, a top-up ends it, unmetered never is', async () => {
      const key = await s.newKey({ client: 'cli-money', balanceMicros: 0 });
      assert.equal((await post(key)).status, 402);
      const topped = await set('cli-money', '--add-balance', '0.0404');
      assert.equal(topped.balance_micros, IMAGE_PRICE);
      assert.equal((await post(key)).status, 201, 'exactly one image');
      const empty = await post(key);
      assert.deepEqual(
        [empty.status, await detail(empty)],
        [402, 'Insufficient balance. Please add funds to continue.'],
      );
      assert.equal((await set('cli-money', '--balance', '1.00')).balance_micros, 1_000_000);
      assert.equal((await post(key)).status, 201);
      assert.equal(
        (await s.umbra.store.clients.findClientByName('cli-money'))?.balanceMicros,
        1_000_000 - IMAGE_PRICE,
      );
      const below = await umbra('set', 'cli-money', '--add-balance', '-5');
      assert.equal(below.code, 2);
      assert.match(below.stderr, /would take the balance below zero \(it is 0\.9596 USD\)/);
      assert.equal((await set('cli-money', '--balance', 'unmetered')).balance_micros, null);
      assert.equal((await post(key)).status, 201);
    });

    it('--hdr and --no-hdr open and close HDR requests', async () => {
      const key = await s.newKey({ client: 'cli-hdr' });
      const closed = await post(key, HDR_VIDEO);
      assert.deepEqual(
        [closed.status, await detail(closed)],
        [422, 'HDR access is not enabled for this client'],
      );
      assert.equal((await set('cli-hdr', '--hdr')).hdr_access, true);
      assert.equal((await post(key, HDR_VIDEO)).status, 201);
      await set('cli-hdr', '--no-hdr');
      assert.equal((await post(key, HDR_VIDEO)).status, 422);
    });

    it("--admin and --no-admin open and close the admin API to the client's keys", async () => {
      const key = await s.newKey({ client: 'cli-admin' });
      const denied = await s.raw('GET', '/v1/admin/clients', { auth: key });
      assert.deepEqual(
        [denied.status, await detail(denied)],
        [403, "Admin access required: this key's client is not an admin"],
      );
      assert.equal((await set('cli-admin', '--admin')).admin, true);
      assert.equal((await s.raw('GET', '/v1/admin/clients', { auth: key })).status, 200);
      await set('cli-admin', '--no-admin');
      assert.equal((await s.raw('GET', '/v1/admin/clients', { auth: key })).status, 403);
    });

    it('list and show print every client; refusals have their exit codes', async () => {
      await s.newKey({ client: 'cli-show', rpm: 7 });
      const list = await umbra('list');
      assert.equal(list.code, 0);
      assert.equal(
        list.stdout.split('\n')[0],
        'NAME\tSTATUS\tADMIN\tHDR\tRPM\tCONCURRENCY\tBALANCE_USD\tCREATED',
      );
      assert.match(list.stdout, /\ncli-show\tactive\tno\tno\t7\t10\tunmetered\t\d{4}-/);
      assert.match(list.stdout, /\ndefault\tactive\tno\tyes\tunlimited\tunlimited\tunmetered\t/);
      const show = await umbra('show', 'cli-show');
      assert.match(show.stdout, /^name {9}cli-show\nstatus {7}active\n/);
      assert.match(show.stdout, /\nrpm {10}7\n/);
      const missing = await umbra('show', 'nobody');
      assert.deepEqual(
        [missing.code, missing.stderr.trim()],
        [4, "umbra: no client named 'nobody' (`umbra keys create --client nobody` makes one)"],
      );
      assert.equal((await umbra('set', 'nobody', '--rpm', '1')).code, 4);
      assert.equal((await umbra('set', 'cli-show')).code, 2, 'nothing to change');
      assert.equal((await umbra('set', 'cli-show', '--balance', 'lots')).code, 2);
      assert.equal((await umbra('set', 'cli-show', '--status', 'paused')).code, 2);
      assert.equal((await umbra('set', 'cli-show', '--balance', '1', '--add-balance', '1')).code, 2);
      const unmetered = await umbra('set', 'cli-show', '--add-balance', '1');
      assert.equal(unmetered.code, 2);
      assert.match(unmetered.stderr, /client 'cli-show' is unmetered; set balance_micros first/);
    });
  });

  describe('the admin API', () => {
    let adminKey = '';
    before(async () => {
      adminKey = await s.newKey({ client: 'ops' });
      await s.umbra.store.clients.updateClient(
        (await s.umbra.store.clients.findClientByName('ops'))?.id ?? '',
        { admin: true },
      );
    });
    const admin = () => s.clientFor(adminKey).admin.clients;

    it('has the powers of clients set, and each change shows on the next request', async () => {
      const key = await s.newKey({ client: 'api-acme', balanceMicros: 0 });
      assert.equal((await post(key)).status, 402);
      const topped = await admin().update('api-acme', { add_balance_micros: IMAGE_PRICE, hdr_access: true });
      assert.deepEqual([topped.balance_micros, topped.hdr_access], [IMAGE_PRICE, true]);
      assert.equal(
        (await post(key, { ...HDR_VIDEO, video: { resolution: '720p' } })).status,
        402,
        'a video costs more',
      );
      assert.equal((await post(key)).status, 201);
      // Three requests so far this minute (402s count too, contract §7 item 22).
      await admin().update('api-acme', { balance_micros: null, rpm_limit: 5, concurrency_limit: 5 });
      assert.equal((await post(key, HDR_VIDEO)).status, 201, 'HDR now, and unmetered');
      assert.equal((await post(key)).status, 201);
      assert.equal((await post(key)).status, 429, 'the sixth request of the minute');
      await admin().update('api-acme', { rpm_limit: null, concurrency_limit: 3 });
      assert.equal((await post(key)).status, 429, 'three jobs are queued');
      await admin().update('api-acme', { concurrency_limit: null, status: 'suspended' });
      assert.equal((await post(key)).status, 403);
      await admin().update('api-acme', { status: 'active', admin: true });
      assert.equal((await post(key)).status, 201);
      assert.equal((await s.raw('GET', '/v1/admin/clients', { auth: key })).status, 200);
      const shown = await admin().get('api-acme');
      assert.deepEqual(
        [shown.status, shown.admin, shown.rpm_limit, shown.concurrency_limit, shown.balance_micros],
        ['active', true, null, null, null],
      );
      assert.ok((await admin().list()).data.some((c) => c.name === 'api-acme' && c.admin));
    });

    it('reads any client’s usage', async () => {
      const key = await s.newKey({ client: 'api-usage' });
      assert.equal((await post(key, { ...IMAGE, user_id: 'u-1' })).status, 201);
      const usage = await admin().usage('api-usage', { group_by: 'user_id' });
      assert.deepEqual(
        usage.data.map((g) => [g.key, g.generations.queued, g.reserved_micros]),
        [['u-1', 1, IMAGE_PRICE]],
      );
      const own = await s.clientFor(key).usage.get();
      assert.deepEqual(own.total, usage.total, 'the same figures the client sees of itself');
      const args = [
        'usage',
        '--client',
        'api-usage',
        '--json',
        '--base-url',
        s.baseURL,
        '--api-key',
        adminKey,
      ];
      const { stdout: printed } = await promisify(execFile)(process.execPath, [CLI, ...args]);
      assert.deepEqual(
        (JSON.parse(printed) as { total: unknown }).total,
        usage.total,
        'umbra usage --client',
      );
    });

    it('answers 401, 403, 404, 400 and 422 as documented', async () => {
      const key = await s.newKey({ client: 'api-plain' });
      const none = await s.raw('GET', '/v1/admin/clients', { auth: null });
      assert.deepEqual([none.status, await detail(none)], [401, 'Missing or invalid API key']);
      await assert.rejects(s.clientFor(key).admin.clients.list(), PermissionDeniedError);
      await assert.rejects(
        s.clientFor(key).admin.clients.update('api-plain', { rpm_limit: 1 }),
        PermissionDeniedError,
      );
      await assert.rejects(
        admin().get('nobody'),
        (e: unknown) => e instanceof NotFoundError && e.detail === 'Client not found',
      );
      await assert.rejects(admin().update('nobody', { rpm_limit: 1 }), NotFoundError);
      await assert.rejects(admin().usage('nobody'), NotFoundError);
      const notObject = await s.raw('PATCH', '/v1/admin/clients/api-plain', { body: '[1]', auth: adminKey });
      assert.deepEqual(
        [notObject.status, await detail(notObject)],
        [400, 'Request body must be a JSON object'],
      );
      const typo = await s.raw('PATCH', '/v1/admin/clients/api-plain', { body: { rpm: 1 }, auth: adminKey });
      assert.equal(typo.status, 422);
      assert.match(await detail(typo), /^unknown field 'rpm'/);
      await assert.rejects(
        admin().update('api-plain', { add_balance_micros: 5 }),
        (e: unknown) =>
          e instanceof UnprocessableEntityError &&
          e.detail === "add_balance_micros: client 'api-plain' is unmetered; set balance_micros first",
      );
      await assert.rejects(
        admin().update('ops', { status: 'suspended' }),
        (e: unknown) =>
          e instanceof UnprocessableEntityError &&
          e.detail === 'an admin client cannot take its own admin access away or suspend itself',
      );
      await assert.rejects(admin().update('ops', { admin: false }), UnprocessableEntityError);
      await assert.rejects(admin().usage('api-plain', { start: 'soon' }), UnprocessableEntityError);
      assert.equal((await admin().get('ops')).admin, true, 'nothing changed');
    });

    it('GET /v1/usage: 401 without a key, 422 for a bad query, the request id and version on every answer', async () => {
      const none = await s.raw('GET', '/v1/usage?group_by=model', { auth: null });
      assert.equal(none.status, 401);
      const bad = await s.raw('GET', '/v1/usage?group_by=week', { headers: { 'x-request-id': 'req-7' } });
      assert.deepEqual(
        [bad.status, await detail(bad)],
        [422, 'group_by: must be one of: model, type, user_id, day'],
      );
      assert.equal(bad.headers.get('x-request-id'), 'req-7');
      assert.equal(bad.headers.get('x-api-version'), '2026-04-01');
      const late = await s.raw('GET', '/v1/usage?start=2026-05-01&end=2026-04-01');
      assert.deepEqual([late.status, await detail(late)], [422, 'start: must be before end']);
    });
  });
});
