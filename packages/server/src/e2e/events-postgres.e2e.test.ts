// Live progress across processes on PostgreSQL (issue 11): two api processes and a worker process, each
// a real OS process, sharing one database. A job admitted by one api process and rendered by the worker
// streams from the other api process: every event reaches it through LISTEN/NOTIFY, not a poll. Event
// ids are the database's, so a stream resumes on any api process.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Generation, GenerationStreamEvent } from '@umbra/sdk';
import { Umbra } from '@umbra/sdk';
import type { CliProcess } from '../testing/cli-process.js';
import { startApiProcess, startCli, stopCli } from '../testing/cli-process.js';
import { OWNER_KEY } from '../testing/harness.js';
import { describeWithPostgres, TEST_DATABASE_URL } from '../testing/postgres.js';
import { dataOf, readFrames } from '../testing/sse.js';

const SLOW_IMAGE = { prompt: 'a harbour at dusk with boats', model: 'uni-1-max' as const };

describeWithPostgres('live progress across processes on PostgreSQL', (schema) => {
  let dataDir = '';
  const procs: CliProcess[] = [];
  let a!: Umbra;
  let b!: Umbra;
  let bURL = '';

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'umbra-sse-pg-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL,
      UMBRA_PG_SCHEMA: schema,
      UMBRA_API_KEY: OWNER_KEY,
      UMBRA_LOG_LEVEL: 'warn',
      UMBRA_POLL_MS: '20',
      // Heartbeats every 200 ms carry progress to the database.
      UMBRA_LEASE_MS: '600',
      UMBRA_CONCURRENCY: '1',
    };
    // The first start migrates the schema; the others find it done.
    const first = await startApiProcess(env, dataDir);
    procs.push(first.proc);
    const second = await startApiProcess(env, dataDir);
    procs.push(second.proc);
    procs.push(await startCli(['serve', '--role', 'worker', '--data-dir', dataDir], env, /Storage: /));
    a = new Umbra({ apiKey: OWNER_KEY, baseURL: first.baseURL, maxRetries: 0 });
    b = new Umbra({ apiKey: OWNER_KEY, baseURL: second.baseURL, maxRetries: 0 });
    bURL = second.baseURL;
  });

  after(async () => {
    await Promise.all(procs.map((p) => stopCli(p)));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const stream = (id: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${bURL}/generations/${id}/events`, {
      headers: { authorization: `Bearer ${OWNER_KEY}`, ...headers },
    });

  it('a stream on one api process sees a job admitted by another and finished by a worker process', async () => {
    const g = await a.generations.create(SLOW_IMAGE);
    const res = await stream(g.id);
    assert.equal(res.status, 200);
    const lag: number[] = [];
    const frames = await readFrames(res, (f) => {
      if (f.id !== undefined) lag.push(Date.now() - Date.parse(dataOf<GenerationStreamEvent>(f).timestamp));
      return false;
    });
    const events = frames.filter((f) => f.id !== undefined);
    const types = events.map((f) => f.event);
    assert.deepEqual(types.slice(0, 2), ['generation.queued', 'generation.processing']);
    assert.ok(types.filter((t) => t === 'generation.progress').length >= 3, types.join(' '));
    assert.equal(types.at(-1), 'generation.completed');
    const done = dataOf<GenerationStreamEvent>(events.at(-1) ?? { comments: [] });
    assert.equal(done.data.output.length, 1);
    assert.equal((await fetch(done.data.output[0]?.url ?? '')).status, 200);
    // Events written by the worker process reach this api process within 100 ms (the first ones may
    // predate the stream: they are replayed from the log).
    const live = lag.slice(2).sort((x, y) => x - y);
    const median = live[Math.floor(live.length / 2)] ?? Infinity;
    assert.ok(median <= 100, `lag ${live.join(', ')} ms`);
  });

  it('a stream resumes on the other api process with Last-Event-ID, and wait follows it there', async () => {
    const g = await b.generations.create(SLOW_IMAGE);
    const onA = await fetch(`${a.baseURL}/generations/${g.id}/events`, {
      headers: { authorization: `Bearer ${OWNER_KEY}` },
    });
    const first = await readFrames(onA, (f) => f.event === 'generation.processing');
    const lastId = first.filter((f) => f.id !== undefined).at(-1)?.id ?? '';
    const rest = await readFrames(await stream(g.id, { 'last-event-id': lastId }));
    const resumed = [...first, ...rest].filter((f) => f.id !== undefined).map((f) => f.id);
    const whole = (await readFrames(await stream(g.id))).filter((f) => f.id !== undefined).map((f) => f.id);
    assert.deepEqual(resumed, whole);
    // Both api processes read the same generation.
    const same = (x: Generation): unknown => ({ ...x, output: x.output.map((o) => o.type) });
    assert.deepEqual(same(await a.generations.get(g.id)), same(await b.generations.get(g.id)));

    const vias = new Set<string>();
    const waited = await b.generations.createAndWait(SLOW_IMAGE, { onProgress: (_g, p) => vias.add(p.via) });
    assert.equal(waited.state, 'completed');
    assert.deepEqual([...vias], ['stream']);
  });
});
