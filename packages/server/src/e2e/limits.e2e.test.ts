// Rate limits, concurrency slots, balance and the emulator's deliberate failures (contract §3.4, §4.3,
// §2.9 order, §7 items 22, 23, 31).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GenerationFailedError, RateLimitError } from '@umbra/sdk';
import { FAILURES } from '../contract/failures.js';
import { FAILURE_CODES } from '../contract/wire.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

describe('emulator: every failure code on demand (contract §3.4)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ UMBRA_EMULATOR: '1' });
  });
  after(async () => s.stop());

  for (const code of FAILURE_CODES) {
    it(`X-Umbra-Fail: ${code} → failed with that code and its reason`, async () => {
      const g = await s.client.generations.create({ prompt: 'x' }, { headers: { 'x-umbra-fail': code } });
      assert.equal(g.state, 'queued');
      const err = await s.client.generations.wait(g.id, { pollInterval: 30, timeout: 20_000 }).then(
        () => assert.fail('should fail'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof GenerationFailedError);
      assert.equal(err.generation.failure_code, code);
      assert.equal(err.generation.failure_reason, FAILURES[code].reason);
      assert.deepEqual(err.generation.output, []);
    });
  }

  it('contract §7 item 31: a job that fails releases its concurrency slot', async () => {
    const key = await s.newKey({ client: 'conc-1', rpm: null, concurrency: 1 });
    const c = s.clientFor(key);
    const g = await c.generations.create({ prompt: 'a' }, { headers: { 'x-umbra-fail': 'corrupt_input' } });
    await c.generations.wait(g.id, { pollInterval: 30, timeout: 20_000 }).catch(() => undefined);
    assert.equal((await c.generations.get(g.id)).state, 'failed');
    assert.equal((await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: 'b' } })).status, 201);
  });

  it('an unknown code in X-Umbra-Fail → 400 naming the valid codes', async () => {
    const res = await s.raw('POST', '/v1/generations', {
      body: { prompt: 'x' },
      headers: { 'x-umbra-fail': 'nope' },
    });
    assert.equal(res.status, 400);
    assert.match(
      ((await res.json()) as { detail: string }).detail,
      /^X-Umbra-Fail: unknown failure code 'nope'/,
    );
  });

  it('video renders an MP4; video_edit chained off it renders an edit of the same length', async () => {
    const clip = await s.client.generations.createAndWait(
      { prompt: 'waves', model: 'ray-3.2', type: 'video', video: { resolution: '360p' } },
      { pollInterval: 50, timeout: 120_000 },
    );
    assert.equal(clip.output[0]?.type, 'video');
    const mp4 = await fetch(clip.output[0]?.url ?? '');
    assert.equal(mp4.headers.get('content-type'), 'video/mp4');
    assert.equal(
      Buffer.from(await mp4.arrayBuffer())
        .subarray(4, 8)
        .toString(),
      'ftyp',
    );
    const edit = await s.client.generations.createAndWait(
      {
        prompt: 'rain at night',
        type: 'video_edit',
        source: { generation_id: clip.id },
        video: { resolution: '360p', edit: { strength: 'flex_1' } },
      },
      { pollInterval: 50, timeout: 120_000 },
    );
    assert.equal(edit.state, 'completed');
    assert.equal(edit.output[0]?.type, 'video');
    const out = await fetch(edit.output[0]?.url ?? '');
    assert.equal(out.headers.get('content-type'), 'video/mp4');
  });
});

describe('without the emulator flag X-Umbra-Fail is ignored', () => {
  it('the job completes normally', async () => {
    const s = await startTestServer();
    try {
      const g = await s.client.generations.create(
        { prompt: 'x' },
        { headers: { 'x-umbra-fail': 'corrupt_input' } },
      );
      const done = await s.client.generations.wait(g.id, { pollInterval: 30, timeout: 30_000 });
      assert.equal(done.state, 'completed');
    } finally {
      await s.stop();
    }
  });
});

describe('limits on POST (contract §4.3)', () => {
  let s: TestServer;
  before(async () => {
    // Long emulated latency keeps jobs non-terminal, so concurrency slots stay taken during the test.
    s = await startTestServer({
      UMBRA_EMULATOR: '1',
      UMBRA_EMULATE_LATENCY_MS: '60000',
      UMBRA_CONCURRENCY: '1',
    });
  });
  after(async () => s.stop());

  it('RPM: 201s carry X-RateLimit-*, the request past the limit gets 429 with Retry-After and reset', async () => {
    const key = await s.newKey({ client: 'rpm-3', rpm: 3, concurrency: null });
    const t0 = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 3; i++) {
      const res = await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: `p${i}` } });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('x-ratelimit-limit'), '3');
      assert.equal(res.headers.get('x-ratelimit-remaining'), String(2 - i));
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      assert.ok(reset >= t0 + 60 && reset <= t0 + 62, 'reset = now + 60 on a 201 (contract §7 item 23)');
      assert.equal(res.headers.get('retry-after'), null);
    }
    const res = await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: 'p3' } });
    assert.equal(res.status, 429);
    assert.deepEqual(await res.json(), { detail: 'Rate limit exceeded' });
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.equal(res.headers.get('x-ratelimit-limit'), '3');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(Number(res.headers.get('x-ratelimit-reset')) >= t0 + 59);
    // GET is outside the RPM bucket and carries no rate-limit headers (contract §2.2).
    const get = await s.raw('GET', '/v1/generations/00000000-0000-4000-8000-000000000000', { auth: key });
    assert.equal(get.headers.get('x-ratelimit-limit'), null);
  });

  it('§7 item 22: a 400 does not count toward RPM; a request rejected later (422) does', async () => {
    const key = await s.newKey({ client: 'rpm-2', rpm: 2, concurrency: null });
    for (let i = 0; i < 5; i++) {
      assert.equal((await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: '' } })).status, 400);
    }
    const bad = {
      prompt: 'x',
      type: 'image_edit',
      source: { generation_id: '00000000-0000-4000-8000-000000000000' },
    };
    assert.equal((await s.raw('POST', '/v1/generations', { auth: key, body: bad })).status, 422);
    assert.equal((await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: 'ok' } })).status, 201);
    assert.equal((await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: 'ok' } })).status, 429);
  });

  it('concurrency: the job past the cap → 429 Too many concurrent jobs, Retry-After 60, no X-RateLimit-*', async () => {
    const key = await s.newKey({ client: 'conc-2', rpm: null, concurrency: 2 });
    const c = s.clientFor(key);
    await c.generations.create({ prompt: 'a' });
    await c.generations.create({ prompt: 'b' });
    const res = await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: 'c' } });
    assert.equal(res.status, 429);
    assert.deepEqual(await res.json(), { detail: 'Too many concurrent jobs' });
    assert.equal(res.headers.get('retry-after'), '60');
    assert.equal(res.headers.get('x-ratelimit-limit'), null);
    await assert.rejects(c.generations.create({ prompt: 'd' }), RateLimitError);
  });

  it('contract §4.2: 402 when the balance cannot cover the price; nothing is queued', async () => {
    // uni-1 text-to-image costs 0.0404 USD (contract §5.2).
    const key = await s.newKey({ client: 'poor', rpm: null, concurrency: null, balanceMicros: 50_000 });
    const c = s.clientFor(key);
    await c.generations.create({ prompt: 'first fits' });
    const res = await s.raw('POST', '/v1/generations', { auth: key, body: { prompt: 'second does not' } });
    assert.equal(res.status, 402);
    assert.deepEqual(await res.json(), { detail: 'Insufficient balance. Please add funds to continue.' });
    const client = await s.umbra.store.clients.findClientByName('poor');
    assert.equal(client?.balanceMicros, 50_000 - 40_400);
  });
});
