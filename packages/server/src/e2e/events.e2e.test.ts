// Live progress end to end (issue 11; docs/live-progress.md), on SQLite with the reference engine:
// `GET /v1/generations/{id}/events` over raw HTTP and through the client library, resuming with
// Last-Event-ID, the headers GET adds to its unchanged body, and every answer before a stream starts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GenerationStreamEvent, WaitProgress } from '@umbra/sdk';
import { API_VERSION } from '../contract/wire.js';
import type { TestServer } from '../testing/harness.js';
import { GENERATION_KEYS, startTestServer } from '../testing/harness.js';
import type { RawFrame } from '../testing/sse.js';
import { dataOf, readFrames } from '../testing/sse.js';

/** uni-1-max renders for about a second: a job still running when the stream opens. */
const SLOW_IMAGE = { prompt: 'a harbour at dusk with boats', model: 'uni-1-max' as const };
/**
 * A 10 s video renders for several seconds even on a fast machine, so the worker's half-second heartbeats
 * carry several progress steps (an image, at about a second, may carry only two).
 */
const LONG_VIDEO = {
  type: 'video',
  model: 'ray-3.2',
  prompt: 'a harbour at dusk with boats',
  video: { resolution: '540p', duration: '10s' },
};

const events = (frames: RawFrame[]): RawFrame[] => frames.filter((f) => f.id !== undefined);
const types = (frames: RawFrame[]): string[] => events(frames).map((f) => f.event ?? '');

// A client leaving mid-write must not surface anywhere in the process.
const stray: unknown[] = [];
const onStray = (err: unknown): number => stray.push(err);

describe('live progress end to end (SQLite, reference engine)', () => {
  let s: TestServer;
  before(async () => {
    process.on('unhandledRejection', onStray).on('uncaughtException', onStray);
    // The default lease: heartbeats come every 500 ms whatever the lease, and carry the progress. (A short
    // lease would make a loaded machine's late heartbeat a lost lease and a retry.)
    s = await startTestServer({ UMBRA_CONCURRENCY: '1', UMBRA_EMULATOR: '1' });
  });
  after(async () => {
    await s.stop();
    process.off('unhandledRejection', onStray).off('uncaughtException', onStray);
    assert.deepEqual(stray, []);
  });

  const create = async (body: object = SLOW_IMAGE, headers: Record<string, string> = {}): Promise<string> => {
    const res = await s.raw('POST', '/v1/generations', { body, headers });
    assert.equal(res.status, 201);
    return String(((await res.json()) as { id: string }).id);
  };
  const open = (id: string, headers: Record<string, string> = {}, query = ''): Promise<Response> =>
    s.raw('GET', `/v1/generations/${id}/events${query}`, { headers });

  it('a stream sees queued → processing → progress → completed, each event the generation as it was', async () => {
    const id = await create(LONG_VIDEO);
    const res = await open(id, { 'x-request-id': 'sse-e2e-1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-accel-buffering'), 'no');
    assert.equal(res.headers.get('x-request-id'), 'sse-e2e-1');
    assert.equal(res.headers.get('x-api-version'), API_VERSION);
    const frames = await readFrames(res);
    assert.equal(frames[0]?.retry, '1000');

    const seen = types(frames);
    assert.deepEqual(seen.slice(0, 2), ['generation.queued', 'generation.processing']);
    assert.equal(seen.at(-1), 'generation.completed');
    assert.ok(seen.slice(2, -1).every((t) => t === 'generation.progress'));
    const steps = events(frames).map((f) => dataOf<{ progress: number }>(f).progress);
    const moving = steps.slice(2, -1);
    assert.ok(moving.length >= 3, `only ${moving.length} progress steps`);
    assert.deepEqual(
      moving,
      [...moving].sort((a, b) => a - b),
    );
    assert.equal(steps.at(-1), 1);
    const ids = events(frames).map((f) => Number(f.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids).size, ids.length);

    for (const f of events(frames)) {
      const e = dataOf<GenerationStreamEvent>(f);
      assert.deepEqual(Object.keys(e), ['type', 'timestamp', 'progress', 'data']);
      assert.equal(e.type, f.event);
      assert.match(e.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(Object.keys(e.data), GENERATION_KEYS);
      assert.equal(e.data.id, id);
      assert.equal(e.data.state, e.type === 'generation.progress' ? 'processing' : e.type.slice(11));
      if (e.type !== 'generation.completed') assert.deepEqual(e.data.output, []);
    }
    // The completed event is what GET answers (only the freshly signed URLs' expiry may differ).
    const completed = dataOf<GenerationStreamEvent>(events(frames).at(-1) ?? { comments: [] }).data;
    const got = await s.client.generations.get(id);
    const path = (u: string | undefined): string => new URL(u ?? '').pathname;
    assert.deepEqual({ ...completed, output: [] }, { ...got, output: [] });
    assert.equal(path(completed.output[0]?.url), path(got.output[0]?.url));
    assert.equal((await fetch(completed.output[0]?.url ?? '')).status, 200);

    // Progress keeps moving while it renders (timestamps are when the database got each step). The
    // engine's own test pins "at least every half-second"; here heartbeats sample it every 500 ms on a
    // machine shared with other tests, so the bound leaves room for late timers: it catches a stream
    // that stalls, not a timer that fires late.
    const at = events(frames).map((f) => Date.parse(dataOf<GenerationStreamEvent>(f).timestamp));
    const gaps = at.slice(2).map((t, i) => t - (at[i + 1] ?? t));
    assert.ok(Math.max(...gaps) <= 2000, `gaps ${gaps.join(', ')} ms`);
  });

  it('a client that reconnects with Last-Event-ID misses nothing (header, or query without one)', async () => {
    const id = await create();
    const first = await readFrames(await open(id), (f) => f.event === 'generation.processing');
    const lastId = events(first).at(-1)?.id ?? '';
    const second = await readFrames(
      await open(id, { 'last-event-id': lastId }),
      (f) => f.event === 'generation.progress',
    );
    const rest = await readFrames(await open(id, {}, `?last_event_id=${events(second).at(-1)?.id ?? ''}`));
    const resumed = [...events(first), ...events(second), ...events(rest)];
    assert.equal(resumed.at(-1)?.event, 'generation.completed');
    // A new stream from the start replays the whole log: the same events, none missing, none twice.
    const whole = events(await readFrames(await open(id)));
    const strip = (f: RawFrame): unknown => ({
      id: f.id,
      event: f.event,
      data: { ...dataOf(f), data: null },
    });
    assert.deepEqual(resumed.map(strip), whole.map(strip));
    // Reconnecting after the end: 204, which tells an EventSource to stop trying.
    const ended = await open(id, { 'last-event-id': whole.at(-1)?.id ?? '' });
    assert.equal(ended.status, 204);
    assert.equal(await ended.text(), '');
  });

  it('the client library: events() yields typed events and wait() follows the stream with progress', async () => {
    const id = await create();
    const seen: string[] = [];
    const reports: WaitProgress[] = [];
    const [, g] = await Promise.all([
      (async () => {
        for await (const e of s.client.generations.events(id)) seen.push(e.type);
      })(),
      s.client.generations.wait(id, { onProgress: (_g, p) => reports.push(p) }),
    ]);
    assert.equal(seen[0], 'generation.queued');
    assert.equal(seen.at(-1), 'generation.completed');
    assert.equal(g.state, 'completed');
    assert.ok(reports.every((p) => p.via === 'stream'));
    const fractions = reports.map((p) => p.progress ?? -1);
    assert.deepEqual(
      fractions,
      [...fractions].sort((a, b) => a - b),
    );
    assert.ok(new Set(fractions).size >= 4, fractions.join(' '));
    assert.equal(fractions.at(-1), 1);
  });

  it('GET keeps its body and adds Umbra-Progress, and Umbra-Queue-Position while queued', async () => {
    // One slot: while one renders, the next two wait their turn (then fail at once, rendering nothing).
    const busy = await create();
    const fail = { 'x-umbra-fail': 'generation_failed' };
    const second = await create({ prompt: 'second' }, fail);
    const third = await create({ prompt: 'third' }, fail);
    const read = async (id: string, origin?: string) => {
      const res = await s.raw('GET', `/v1/generations/${id}`, {
        headers: origin === undefined ? {} : { origin },
      });
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), GENERATION_KEYS);
      return { res, body };
    };
    for (let i = 0; i < 200; i++) {
      if ((await s.client.generations.get(busy)).state === 'processing') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const q2 = await read(second);
    const q3 = await read(third, 'https://app.example');
    assert.equal(q2.body.state, 'queued');
    assert.equal(q2.res.headers.get('umbra-progress'), '0');
    assert.equal(q2.res.headers.get('umbra-queue-position'), '1');
    assert.equal(q3.res.headers.get('umbra-queue-position'), '2');
    assert.match(
      q3.res.headers.get('access-control-expose-headers') ?? '',
      /umbra-progress, umbra-queue-position/,
    );
    const p = await read(busy);
    assert.equal(p.body.state, 'processing');
    assert.match(p.res.headers.get('umbra-progress') ?? '', /^(0|0\.\d{1,3}|1)$/);
    assert.equal(p.res.headers.get('umbra-queue-position'), null);
    await s.client.generations.wait(busy);
    const c = await read(busy);
    assert.equal(c.body.state, 'completed');
    assert.equal(c.res.headers.get('umbra-progress'), '1');
    assert.equal(c.res.headers.get('umbra-queue-position'), null);
  });

  it('refusals are answered before the stream starts, as on every route', async () => {
    const id = await create({ prompt: 'a small lake' });
    const expectJson = async (res: Response, status: number, detail: string): Promise<void> => {
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok(res.headers.get('x-request-id'));
      assert.equal(res.headers.get('x-api-version'), API_VERSION);
      assert.deepEqual(await res.json(), { detail });
    };
    await expectJson(
      await s.raw('GET', `/v1/generations/${id}/events`, { auth: null }),
      401,
      'Missing or invalid API key',
    );
    const other = await s.newKey({ client: 'other-team' });
    await expectJson(
      await s.raw('GET', `/v1/generations/${id}/events`, { auth: other }),
      404,
      'Generation not found',
    );
    await expectJson(await open('not-a-uuid'), 404, 'Generation not found');
    await expectJson(
      await open(id, { 'last-event-id': 'abc' }),
      400,
      'Last-Event-ID: must be the id of an event (a non-negative integer)',
    );
    await expectJson(
      await open(id, {}, '?last_event_id=-1'),
      400,
      'Last-Event-ID: must be the id of an event (a non-negative integer)',
    );
    await s.client.generations.wait(id);
  });
});

describe('live progress: idle streams, clients leaving, the server stopping', () => {
  let s: TestServer;
  before(async () => {
    process.on('unhandledRejection', onStray).on('uncaughtException', onStray);
    // Every job waits 1.5 s (processing) before it renders: a stream with nothing to say.
    s = await startTestServer({
      UMBRA_EMULATOR: '1',
      UMBRA_EMULATE_LATENCY_MS: '1500',
      UMBRA_SSE_KEEPALIVE_MS: '100',
    });
  });
  after(() => {
    process.off('unhandledRejection', onStray).off('uncaughtException', onStray);
    assert.deepEqual(stray, []);
  });

  it('keep-alive comments flow while nothing happens; a client leaving mid-stream harms nothing', async () => {
    const g = await s.client.generations.create({ prompt: 'a quiet field' });
    let keepAlives = 0;
    const frames = await readFrames(
      await s.raw('GET', `/v1/generations/${g.id}/events`),
      (f) => (keepAlives += f.comments.includes('keep-alive') ? 1 : 0) >= 3,
    );
    // The job sits in the emulated latency (processing, no progress) all along.
    assert.deepEqual(
      types(frames).filter((t) => t !== 'generation.processing'),
      ['generation.queued'],
    );
    assert.equal(keepAlives, 3);
    // Many clients leave at once, mid-stream; the server carries on.
    const leaving = await Promise.all(
      Array.from({ length: 8 }, () => s.raw('GET', `/v1/generations/${g.id}/events`)),
    );
    await Promise.all(leaving.map((r) => readFrames(r, () => true)));
    const again = await readFrames(
      await s.raw('GET', `/v1/generations/${g.id}/events`),
      (f) => f.id !== undefined,
    );
    assert.deepEqual(types(again), ['generation.queued']);
  });

  it('stopping the server ends open streams at once', async () => {
    const g = await s.client.generations.create({ prompt: 'a long wait' });
    const res = await s.raw('GET', `/v1/generations/${g.id}/events`);
    const reading = readFrames(res);
    const started = Date.now();
    await s.stop();
    assert.ok(Date.now() - started < 5000, `stop took ${Date.now() - started} ms`);
    const frames = await reading;
    assert.ok(!types(frames).includes('generation.completed'));
  });
});
