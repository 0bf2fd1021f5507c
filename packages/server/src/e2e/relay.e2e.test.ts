// The relay engine end to end (issue 9): a gateway Umbra whose models are routed to `relay`, in front of an
// upstream Umbra on the reference engine, both real servers on loopback.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { GenerationFailedError } from '@umbra/sdk';
import type { Generation, GenerationCreateParams } from '@umbra/sdk';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';

const WAIT = { pollInterval: 50, timeout: 120_000 };

/** `stop` that a test may call before `after` does. */
const once = (s: TestServer): (() => Promise<void>) => {
  let stopped: Promise<void> | null = null;
  return () => (stopped ??= s.stop());
};

const startGateway = (upstream: TestServer, env: Record<string, string> = {}): Promise<TestServer> =>
  startTestServer({
    UMBRA_ENGINES: 'uni-1=relay,uni-1-max=relay,ray-3.2=relay',
    UMBRA_RELAY_URL: upstream.baseURL,
    UMBRA_RELAY_API_KEY: OWNER_KEY,
    UMBRA_RELAY_POLL_MS: '25',
    UMBRA_RELAY_RETRY_SECONDS: '1',
    ...env,
  });

const bytesAt = async (url: string): Promise<Buffer> => {
  // Not kept alive: a server closed right after a download otherwise waits out its keep-alive timeout.
  const res = await fetch(url, { headers: { connection: 'close' } });
  assert.equal(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
};

/** The upstream id the gateway kept with a completed relayed generation. */
const upstreamIdOf = async (gateway: TestServer, id: string): Promise<string> => {
  const row = await gateway.umbra.store.generations.get(id);
  assert.ok(row?.upstreamId, `gateway row ${id} has no upstream id`);
  return row.upstreamId;
};

/** Runs `params` through the gateway; returns the gateway's and the upstream's completed generations. */
async function relayed(
  gateway: TestServer,
  upstream: TestServer,
  params: GenerationCreateParams,
): Promise<{ mine: Generation; theirs: Generation }> {
  const mine = await gateway.client.generations.createAndWait(params, WAIT);
  const theirs = await upstream.client.generations.get(await upstreamIdOf(gateway, mine.id));
  assert.equal(theirs.state, 'completed');
  return { mine, theirs };
}

const failureOf = async (c: TestServer, params: GenerationCreateParams): Promise<Generation> => {
  const g = await c.client.generations.create(params);
  for (;;) {
    const now = await c.client.generations.get(g.id);
    if (now.state === 'failed' || now.state === 'completed') return now;
    await sleep(50);
  }
};

describe('relay engine: a gateway in front of another Umbra', () => {
  let upstream: TestServer;
  let gateway: TestServer;
  let stopUpstream: () => Promise<void>;
  /** Outputs relayed while the upstream was up: gateway id → bytes. */
  const kept = new Map<string, Buffer>();
  before(async () => {
    upstream = await startTestServer();
    stopUpstream = once(upstream);
    // Inputs over 1000 bytes go upstream through its Files API (g).
    gateway = await startGateway(upstream, { UMBRA_RELAY_INLINE_MAX_BYTES: '1000' });
  });
  after(async () => {
    await gateway.stop();
    await stopUpstream();
  });

  it('(a) an image through the gateway completes with the upstream bytes', async () => {
    const { mine, theirs } = await relayed(gateway, upstream, {
      prompt: 'a red lighthouse on a cliff at dusk',
      aspect_ratio: '1:1',
    });
    assert.deepEqual([mine.type, mine.model, mine.output.length], ['image', 'uni-1', 1]);
    assert.notEqual(mine.id, theirs.id);
    const ours = await bytesAt(mine.output[0]?.url ?? '');
    assert.deepEqual(ours, await bytesAt(theirs.output[0]?.url ?? ''));
    // Served by the gateway itself, not a redirect to the upstream.
    assert.ok(mine.output[0]?.url.startsWith(gateway.baseURL.replace(/\/v1$/, '')));
    kept.set(mine.id, ours);
  });

  it('(b) an edit chained on a relayed output reaches the upstream as its own generation_id', async () => {
    const [first] = [...kept.keys()];
    assert.ok(first);
    const { mine, theirs } = await relayed(gateway, upstream, {
      prompt: 'the same lighthouse in snow',
      type: 'image_edit',
      source: { generation_id: first },
    });
    assert.equal(mine.state, 'completed');
    const row = await upstream.umbra.store.generations.get(theirs.id);
    assert.deepEqual(
      row?.inputs.map((i) => [i.slot, i.generationId]),
      [['source', await upstreamIdOf(gateway, first)]],
    );
    assert.equal(row?.request.source?.data ?? null, null);
    assert.deepEqual(await bytesAt(mine.output[0]?.url ?? ''), await bytesAt(theirs.output[0]?.url ?? ''));
  });

  it('(c) a 360p video', async () => {
    const { mine, theirs } = await relayed(gateway, upstream, {
      prompt: 'waves rolling onto a beach',
      model: 'ray-3.2',
      type: 'video',
      aspect_ratio: '16:9',
      video: { resolution: '360p' },
    });
    assert.deepEqual(
      mine.output.map((o) => o.type),
      ['video'],
    );
    const ours = await bytesAt(mine.output[0]?.url ?? '');
    assert.equal(ours.toString('latin1', 4, 8), 'ftyp');
    assert.deepEqual(ours, await bytesAt(theirs.output[0]?.url ?? ''));
    kept.set(mine.id, ours);
  });

  it("(d) a corrupt input fails with the upstream's own code and reason", async () => {
    const params: GenerationCreateParams = {
      prompt: 'fix this',
      type: 'image_edit',
      // A PNG cut right after its signature.
      source: { data: 'iVBORw0KGgo=', media_type: 'image/png' },
    };
    const direct = await failureOf(upstream, params);
    assert.equal(direct.failure_code, 'corrupt_input');
    const viaGateway = await failureOf(gateway, params);
    assert.deepEqual(
      [viaGateway.state, viaGateway.failure_code, viaGateway.failure_reason],
      ['failed', direct.failure_code, direct.failure_reason],
    );
  });

  it('(g) a large local input reaches the upstream as a file of its Files API, sent as file_id', async () => {
    const [first] = [...kept.values()];
    assert.ok(first && first.length > 1000);
    const { mine, theirs } = await relayed(gateway, upstream, {
      prompt: 'the lighthouse in fog',
      type: 'image_edit',
      source: { data: first.toString('base64'), media_type: 'image/png' },
    });
    assert.equal(mine.state, 'completed');
    const row = await upstream.umbra.store.generations.get(theirs.id);
    const fileId = row?.request.source?.file_id ?? '';
    assert.ok(fileId !== '', 'the upstream got a file_id, not base64 bytes');
    assert.equal(row?.request.source?.data ?? null, null);
    const file = await upstream.client.files.get(fileId);
    assert.deepEqual([file.state, file.purpose, file.size_bytes], ['ready', 'input', first.length]);
    assert.ok(Date.parse(file.expires_at ?? '') > Date.now(), 'it expires: the upstream cleans it up');
  });

  it('(f) relayed outputs still download from the gateway after the upstream is gone', async () => {
    await stopUpstream();
    assert.equal(kept.size, 2);
    for (const [id, bytes] of kept) {
      const g = await gateway.client.generations.get(id);
      assert.deepEqual(await bytesAt(g.output[0]?.url ?? ''), bytes);
    }
  });
});

describe('relay engine: the upstream goes away mid-job', () => {
  let upstream: TestServer;
  let gateway: TestServer;
  let stopUpstream: () => Promise<void>;
  before(async () => {
    upstream = await startTestServer({ UMBRA_EMULATOR: '1', UMBRA_EMULATE_LATENCY_MS: '3000' });
    stopUpstream = once(upstream);
    // A short lease makes heartbeats (which carry the progress we wait for) frequent.
    gateway = await startGateway(upstream, { UMBRA_LEASE_MS: '600' });
  });
  after(async () => {
    await gateway.stop();
    await stopUpstream();
  });

  it('(e) fails generation_failed after its retries, naming the upstream; the gateway keeps serving', async () => {
    const origin = upstream.baseURL.replace(/\/v1$/, '');
    const g = await gateway.client.generations.create({ prompt: 'a slow harbour at night' });
    // Progress 0.1 is reported once the upstream has accepted the job.
    for (;;) {
      const row = await gateway.umbra.store.generations.get(g.id);
      if ((row?.progress ?? 0) >= 0.1) break;
      assert.equal(row?.state === 'failed' || row?.state === 'completed', false, 'ended too early');
      await sleep(20);
    }
    await stopUpstream();
    const started = Date.now();
    const failed = await gateway.client.generations.wait(g.id, WAIT).catch((e: unknown) => e);
    assert.ok(failed instanceof GenerationFailedError, String(failed));
    const { generation } = failed;
    assert.equal(generation.failure_code, 'generation_failed');
    assert.ok(
      generation.failure_reason?.startsWith(`upstream ${origin} unreachable: `),
      generation.failure_reason ?? '',
    );
    assert.ok(Date.now() - started < 30_000);
    // The upstream job it had started is kept with the failed job (issue 9: "kept with the job").
    assert.ok((await gateway.umbra.store.generations.get(g.id))?.upstreamId, 'upstream id kept on failure');

    const health = await gateway.raw('GET', '/healthz', { auth: null });
    assert.equal(health.status, 200);
    const next = await failureOf(gateway, { prompt: 'another one' });
    assert.equal(next.failure_code, 'generation_failed');
    assert.match(next.failure_reason ?? '', /^upstream http:\/\/127\.0\.0\.1:\d+ unreachable: /);
  });
});
