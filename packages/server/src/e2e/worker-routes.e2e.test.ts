// The worker routes driven by hand, as any remote worker would (docs/worker-protocol.md), against a real
// server whose models are all routed to remote workers: credentials, model limits, lease fencing, upload
// caps and sniffing (issue 9, "what it must show" 4).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GenerationCreateParams } from '@umbra/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { UrlSigner } from '../blobs/url-signer.js';
import { FAILURES } from '../contract/failures.js';
import type { WireJob } from '../contract/worker-protocol.js';
import { heartbeatEveryMs } from '../contract/worker-protocol.js';
import { png } from '../inputs/testing/image-fixtures.js';
import { quadClip } from '../inputs/testing/video-fixtures.js';
import { createWorkerToken } from '../policy/worker-tokens.js';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';

const ALL_REMOTE = 'uni-1=remote,uni-1-max=remote,ray-3.2=remote';

describe('worker routes (protocol 1)', () => {
  let s: TestServer;
  let token = '';
  let uniOnly = '';
  const worker = (path: string, body: unknown, auth: string | null = token): Promise<Response> =>
    s.raw('POST', `/v1/worker${path}`, { body, auth });
  const claim = async (auth = token, extra: object = {}): Promise<WireJob | null> => {
    const res = await worker('/claim', { protocol: 1, instance: 'test-1', wait_seconds: 0, ...extra }, auth);
    if (res.status === 204) return null;
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { job: WireJob }).job;
  };
  const put = (url: string, body: Buffer | string, type = 'image/png'): Promise<Response> =>
    fetch(url, { method: 'PUT', body, headers: { 'content-type': type } });
  const submit = async (body: GenerationCreateParams = { prompt: 'a harbour' }): Promise<string> =>
    (await s.client.generations.create(body)).id;
  /**
   * Claims until the job `id` comes up (earlier tests may have left others queued); each claim waits up to
   * `waitSeconds` for a job to come.
   */
  const claimJob = async (id: string, auth = token, waitSeconds = 0): Promise<WireJob> => {
    for (let i = 0; i < 20; i++) {
      const job = await claim(auth, { wait_seconds: waitSeconds });
      if (job?.id === id) return job;
      if (job)
        await worker(
          `/jobs/${job.id}/fail`,
          { attempt: job.attempt, lease: job.lease, failure_code: 'generation_failed' },
          auth,
        );
    }
    throw new Error(`job ${id} was never claimed`);
  };

  before(async () => {
    s = await startTestServer({
      UMBRA_ENGINES: ALL_REMOTE,
      UMBRA_MAX_UPLOAD_BYTES: '65536',
      UMBRA_LEASE_MS: '1000',
      UMBRA_RETRY_BASE_MS: '0',
    });
    token = (await createWorkerToken(s.umbra.store, { name: 'any', models: null }, Date.now())).token;
    uniOnly = (await createWorkerToken(s.umbra.store, { name: 'uni', models: ['uni-1'] }, Date.now())).token;
  });
  after(() => s.stop());

  it('answers every call with the protocol version; refuses a claim in another version', async () => {
    const res = await worker('/claim', { protocol: 2, instance: 'x' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('umbra-worker-protocol'), '1');
    assert.match(((await res.json()) as { detail: string }).detail, /worker protocol 1, got 2/);
  });

  it('an API key on a worker route and a worker token on the public API are both 401', async () => {
    const withKey = await worker('/claim', { protocol: 1, instance: 'x', wait_seconds: 0 }, OWNER_KEY);
    assert.equal(withKey.status, 401);
    assert.match(((await withKey.json()) as { detail: string }).detail, /worker token/);
    assert.equal((await worker('/claim', { protocol: 1, instance: 'x' }, null)).status, 401);
    const onApi = await s.raw('POST', '/v1/generations', { body: { prompt: 'x' }, auth: token });
    assert.equal(onApi.status, 401);
    assert.equal((await s.raw('GET', `/v1/generations/${await submit()}`, { auth: token })).status, 401);
  });

  it('a token for one model claims nothing of another; the right token gets the job with its inputs and targets', async () => {
    const id = await submit({
      prompt: 'max',
      model: 'uni-1-max',
      aspect_ratio: '1:1',
      image_ref: [{ data: png(8, 8).toString('base64'), media_type: 'image/png' }],
    });
    for (let job = await claim(uniOnly); job !== null; job = await claim(uniOnly)) {
      assert.equal(job.model, 'uni-1', 'a uni-1 token never sees uni-1-max jobs');
      await worker(
        `/jobs/${job.id}/fail`,
        { attempt: job.attempt, lease: job.lease, failure_code: 'generation_failed' },
        uniOnly,
      );
    }
    assert.equal(await claim(token, { models: ['ray-3.2'] }), null, 'nor does a claim for other models');
    const job = await claimJob(id);
    assert.equal(job.model, 'uni-1-max');
    assert.equal(job.heartbeat_ms, heartbeatEveryMs(job.lease_ms), 'the cadence travels with the job');
    assert.ok(job.heartbeat_ms <= 500, 'progress and cancels reach the server at least every half-second');
    assert.equal(job.request.prompt, 'max');
    assert.deepEqual(
      job.outputs.map((o) => [o.type, o.content_type, o.width, o.height, o.method]),
      [['image', 'image/png', 2048, 2048, 'PUT']],
    );
    const input = await fetch(job.inputs[0]?.url ?? '');
    assert.equal(input.status, 200);
    assert.deepEqual(Buffer.from(await input.arrayBuffer()), png(8, 8), 'the input bytes reach the worker');
    const done = await worker(`/jobs/${id}/fail`, {
      attempt: job.attempt,
      lease: job.lease,
      failure_code: 'content_moderated',
    });
    assert.deepEqual(await done.json(), { state: 'failed' });
    const row = await s.client.generations.get(id);
    assert.deepEqual(
      [row.state, row.failure_code, row.failure_reason],
      ['failed', 'content_moderated', FAILURES.content_moderated.reason],
    );
  });

  it('completes with an uploaded PNG; the client downloads exactly those bytes', async () => {
    const id = await submit();
    const job = await claimJob(id);
    const hb = await worker(`/jobs/${id}/heartbeat`, {
      attempt: job.attempt,
      lease: job.lease,
      progress: 0.5,
    });
    assert.equal(hb.status, 200);
    assert.equal((await s.umbra.store.generations.get(id))?.progress, 0.5);
    const bytes = png(16, 9);
    const up = await put(job.outputs[0]?.url ?? '', bytes);
    assert.equal(up.status, 200, await up.clone().text());
    assert.deepEqual(await up.json(), { size: bytes.length });
    assert.deepEqual(job.outputs[0]?.headers, { 'content-type': 'image/png' });
    const ok = await worker(`/jobs/${id}/complete`, { attempt: job.attempt, lease: job.lease });
    assert.deepEqual(await ok.json(), { state: 'completed' });
    const g = await s.client.generations.get(id);
    assert.equal(g.state, 'completed');
    assert.deepEqual(Buffer.from(await (await fetch(g.output[0]?.url ?? '')).arrayBuffer()), bytes);
  });

  it('a reframe is charged by the source_seconds its worker measured; a bad value is 400 (issue 12)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-wr-'));
    try {
      const clip = join(dir, 'clip.mp4');
      await quadClip(clip, { width: 64, height: 36, seconds: 1, fps: 24 });
      const bytes = await readFile(clip);
      const key = await s.newKey({ client: 'metered-remote', balanceMicros: 5_000_000 });
      const reserved = 30 * 30_000; // 360p, priced at the 30 s longest source (contract §5.3, §2.8 F34)
      const g = await s.clientFor(key).generations.create({
        prompt: 'wider',
        model: 'ray-3.2',
        type: 'video_reframe',
        aspect_ratio: '9:16',
        source: { data: bytes.toString('base64'), media_type: 'video/mp4' },
        video: { resolution: '360p' },
      });
      const balance = async (): Promise<number | null> =>
        (await s.umbra.store.clients.findClientByName('metered-remote'))?.balanceMicros ?? null;
      assert.equal(await balance(), 5_000_000 - reserved);
      const job = await claimJob(g.id);
      assert.equal((await put(job.outputs[0]?.url ?? '', bytes, 'video/mp4')).status, 200);
      for (const bad of [-1, 'six', 1e9]) {
        const res = await worker(`/jobs/${g.id}/complete`, {
          attempt: job.attempt,
          lease: job.lease,
          source_seconds: bad,
        });
        assert.equal(res.status, 400, `source_seconds ${String(bad)}`);
        assert.match(((await res.json()) as { detail: string }).detail, /^source_seconds: must be a number/);
      }
      const ok = await worker(`/jobs/${g.id}/complete`, {
        attempt: job.attempt,
        lease: job.lease,
        source_seconds: 6.04,
      });
      assert.deepEqual(await ok.json(), { state: 'completed' });
      // Six started seconds at $0.03 (a frame of container overshoot is forgiven); the rest is refunded.
      assert.equal((await s.umbra.store.generations.get(g.id))?.priceMicros, 6 * 30_000);
      assert.equal(await balance(), 5_000_000 - 6 * 30_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('complete before every output is uploaded is 422; a tampered, GET-signed or widened upload URL is 403', async () => {
    const id = await submit();
    const job = await claimJob(id);
    const early = await worker(`/jobs/${id}/complete`, { attempt: job.attempt, lease: job.lease });
    assert.equal(early.status, 422);
    assert.match(((await early.json()) as { detail: string }).detail, /output 'image' was not uploaded/);
    const url = job.outputs[0]?.url ?? '';
    assert.equal((await put(url.replace(/signature=[0-9a-f]{4}/, 'signature=0000'), png(2, 2))).status, 403);
    // The signature covers the method, the declared type and the size cap: a download signature of the
    // same key does not authorise an upload, nor does the upload URL with another type or a larger cap.
    const target = new URL(url);
    const key = decodeURIComponent(target.pathname.replace('/uploads/', ''));
    assert.ok(key.startsWith(`generations/${id}/a${job.attempt}/`));
    const signer = new UrlSigner((await readFile(join(s.dataDir, 'signing-secret'), 'utf8')).trim());
    const expires = target.searchParams.get('expires') ?? '';
    assert.equal(target.searchParams.get('max'), '65536');
    target.searchParams.set('signature', signer.sign(key, Number(expires)));
    assert.equal((await put(target.toString(), png(2, 2))).status, 403);
    assert.equal((await put(url, png(2, 2), 'image/jpeg')).status, 403, 'another Content-Type');
    assert.equal((await put(url.replace('max=65536', 'max=99999'), png(2, 2))).status, 403, 'a wider cap');
    const grant = { contentType: 'image/png', maxBytes: 65536 };
    target.searchParams.set('signature', signer.sign(key, Number(expires), grant));
    assert.equal((await put(target.toString(), png(2, 2))).status, 200, 'the PUT signature does');
    await worker(`/jobs/${id}/fail`, {
      attempt: job.attempt,
      lease: job.lease,
      failure_code: 'generation_failed',
    });
  });

  it('an oversized upload is 413 and nothing is kept', async () => {
    const id = await submit();
    const job = await claimJob(id);
    const big = Buffer.concat([png(4, 4), Buffer.alloc(70_000)]);
    const res = await put(job.outputs[0]?.url ?? '', big);
    assert.equal(res.status, 413);
    assert.match(((await res.json()) as { detail: string }).detail, /65536-byte limit/);
    const after = await worker(`/jobs/${id}/complete`, { attempt: job.attempt, lease: job.lease });
    assert.equal(after.status, 422, 'nothing of the refused upload was stored');
    await worker(`/jobs/${id}/fail`, {
      attempt: job.attempt,
      lease: job.lease,
      failure_code: 'generation_failed',
    });
  });

  it('bytes of the wrong media type are taken by the upload, refused by complete (422), and the job fails', async () => {
    const id = await submit();
    const job = await claimJob(id);
    // The store only checks what a bucket would (signature, declared type, size); `complete` sniffs.
    assert.equal((await put(job.outputs[0]?.url ?? '', '<html>not a png</html>')).status, 200);
    const res = await worker(`/jobs/${id}/complete`, { attempt: job.attempt, lease: job.lease });
    assert.equal(res.status, 422);
    assert.match(((await res.json()) as { detail: string }).detail, /not image\/png; the job has failed/);
    const g = await s.client.generations.get(id);
    assert.deepEqual([g.state, g.failure_code], ['failed', 'generation_failed']);
    await assert.rejects(stat(join(s.dataDir, 'blobs', 'generations', id, `a${job.attempt}`, 'output.png')));
  });

  it("a stale attempt's heartbeat, complete and fail are 409 and nothing of it is kept", async () => {
    const id = await submit();
    const stale = await claimJob(id);
    // The lease (1000 ms) runs out and the reaper, which looks once a lease, puts the job back: the long
    // poll is answered when it does.
    await sleep(1000);
    const fresh = await claimJob(id, token, 5);
    assert.equal(fresh.attempt, stale.attempt + 1);
    const lease = { attempt: stale.attempt, lease: stale.lease };
    assert.equal((await worker(`/jobs/${id}/heartbeat`, { ...lease, progress: 0.9 })).status, 409);
    // Its upload target still takes bytes (an object store knows nothing of leases), but its completion is
    // refused and the current attempt's completion sweeps them away.
    assert.equal((await put(stale.outputs[0]?.url ?? '', png(3, 3))).status, 200);
    assert.equal((await worker(`/jobs/${id}/complete`, lease)).status, 409);
    assert.equal(
      (await worker(`/jobs/${id}/fail`, { ...lease, failure_code: 'content_moderated' })).status,
      409,
    );
    // The new attempt completes with its own bytes.
    const mine = png(5, 5);
    assert.equal((await put(fresh.outputs[0]?.url ?? '', mine)).status, 200);
    assert.equal(
      (await worker(`/jobs/${id}/complete`, { attempt: fresh.attempt, lease: fresh.lease })).status,
      200,
    );
    const row = await s.umbra.store.generations.get(id);
    assert.equal(row?.outputs.length, 1, 'exactly one output set');
    assert.match(row?.outputs[0]?.key ?? '', new RegExp(`/a${fresh.attempt}/`));
    await assert.rejects(
      stat(join(s.dataDir, 'blobs', 'generations', id, `a${stale.attempt}`, 'output.png')),
    );
  });

  it('release hands the job back at once without spending an attempt, and fences the old lease', async () => {
    const id = await submit();
    const first = await claimJob(id);
    const lease = { attempt: first.attempt, lease: first.lease };
    assert.equal((await worker(`/jobs/${id}/release`, { ...lease, delay_ms: -1 })).status, 400);
    assert.equal((await worker(`/jobs/${id}/release`, { ...lease, delay_ms: 0.5 })).status, 400);
    const other = (await createWorkerToken(s.umbra.store, { name: 'other-r', models: null }, Date.now()))
      .token;
    assert.equal((await worker(`/jobs/${id}/release`, lease, other)).status, 409);
    const before = await s.umbra.store.generations.get(id);
    const res = await worker(`/jobs/${id}/release`, lease);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { state: 'queued' });
    const back = await s.umbra.store.generations.get(id);
    assert.equal(back?.state, 'queued');
    assert.equal(back?.attempts, first.attempt, 'the attempt still fences the old lease');
    assert.equal(back?.maxAttempts, (before?.maxAttempts ?? 0) + 1, 'one more attempt allowed instead');
    // Claimable at once (well before the lease would have run out); the old lease is fenced off.
    const again = await claimJob(id);
    assert.equal(again.attempt, first.attempt + 1);
    assert.equal((await worker(`/jobs/${id}/release`, lease)).status, 409);
    assert.equal((await worker(`/jobs/${id}/heartbeat`, { ...lease, progress: 0.5 })).status, 409);
    // A delayed release keeps the job out of claims until the delay has passed.
    const later = { attempt: again.attempt, lease: again.lease, delay_ms: 60_000 };
    assert.equal((await worker(`/jobs/${id}/release`, later)).status, 200);
    assert.ok(((await s.umbra.store.generations.get(id))?.runAfter ?? 0) > Date.now() + 50_000);
    const next = await claim();
    assert.notEqual(next?.id, id);
    if (next)
      await worker(`/jobs/${next.id}/fail`, {
        attempt: next.attempt,
        lease: next.lease,
        failure_code: 'generation_failed',
      });
    await s.umbra.store.generations.cancel(back?.clientId ?? '', id, 'done', Date.now());
  });

  it('another token cannot use a lease it was not given', async () => {
    const id = await submit();
    const job = await claimJob(id);
    const other = (await createWorkerToken(s.umbra.store, { name: 'other', models: null }, Date.now())).token;
    const res = await worker(`/jobs/${id}/complete`, { attempt: job.attempt, lease: job.lease }, other);
    assert.equal(res.status, 409);
    await worker(`/jobs/${id}/fail`, {
      attempt: job.attempt,
      lease: job.lease,
      failure_code: 'generation_failed',
    });
  });

  it('a revoked token gets 401 on its next call', async () => {
    const t = await createWorkerToken(s.umbra.store, { name: 'short-lived', models: null }, Date.now());
    assert.equal(
      (await worker('/claim', { protocol: 1, instance: 'a', wait_seconds: 0 }, t.token)).status,
      204,
    );
    assert.equal(await s.umbra.store.workers.revokeToken('short-lived', Date.now()), true);
    const res = await worker('/claim', { protocol: 1, instance: 'a', wait_seconds: 0 }, t.token);
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { detail: string }).detail, /revoked/);
  });

  it('a waiting claim is answered within about 100 ms of admission (long poll)', async () => {
    const waiting = worker('/claim', { protocol: 1, instance: 'poller', wait_seconds: 10 });
    await sleep(200);
    const t0 = Date.now();
    const id = await submit();
    const res = await waiting;
    const ms = Date.now() - t0;
    assert.equal(res.status, 200);
    const { job } = (await res.json()) as { job: WireJob };
    assert.equal(job.id, id);
    assert.ok(ms < 1000, `claimed ${ms} ms after the POST`);
    await worker(`/jobs/${id}/fail`, {
      attempt: job.attempt,
      lease: job.lease,
      failure_code: 'generation_failed',
    });
    const seen = await s.umbra.store.workers.listSeen(0);
    assert.ok(seen.some((w) => w.tokenName === 'any' && w.instance === 'poller'));
  });
});

describe('stopping the api with claims waiting', () => {
  it('answers the waiting long polls with 204 at once instead of holding the stop for their wait', async () => {
    const s = await startTestServer({ UMBRA_ENGINES: ALL_REMOTE });
    const { token } = await createWorkerToken(s.umbra.store, { name: 'idle', models: null }, Date.now());
    const waiting = s.raw('POST', '/v1/worker/claim', {
      body: { protocol: 1, instance: 'idle-1', wait_seconds: 25 },
      auth: token,
    });
    await sleep(200);
    const t0 = Date.now();
    await s.stop();
    assert.equal((await waiting).status, 204);
    assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
  });
});
