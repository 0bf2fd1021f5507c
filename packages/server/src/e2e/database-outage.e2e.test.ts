// PostgreSQL stops for five seconds while twelve jobs render and requests arrive (issue 12, "what it must
// show" 0 and 2). The database is a cluster of the test's own, stopped and started with pg_ctl as a real
// restart would: the process never exits (this runs in the test runner's process, where a rejection
// nobody handled fails the test), requests during the outage answer 503 `database unavailable` within two
// seconds, /readyz names the database, the API answers again within 10 s of the restart, and every job
// ends as it should in one attempt.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import type { RunningUmbra } from '../main.js';
import { startUmbra } from '../main.js';
import { OWNER_KEY } from '../testing/harness.js';
import type { TimedAnswer } from '../testing/timed-call.js';
import { timedCaller } from '../testing/timed-call.js';
import type { OwnPostgres } from '../testing/own-postgres.js';
import { describeWithOwnPostgres, startOwnPostgres } from '../testing/own-postgres.js';

const JOBS = 12;

describeWithOwnPostgres('PostgreSQL stopped for 5 s while jobs render', () => {
  it('answers 503 naming the database meanwhile, and every job settles in one attempt after it returns', async (t) => {
    const pg = await startOwnPostgres();
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-db-outage-'));
    const umbra = await startUmbra(
      loadConfig(
        { port: 0, host: '127.0.0.1', dataDir },
        {
          DATABASE_URL: pg.url,
          UMBRA_API_KEY: OWNER_KEY,
          UMBRA_LOG_LEVEL: 'silent',
          UMBRA_POLL_MS: '50',
          UMBRA_EMULATOR: '1',
          UMBRA_EMULATE_LATENCY_MS: '800',
          UMBRA_CONCURRENCY: '2',
        },
      ),
      silentLogger,
    );
    try {
      t.diagnostic(await rideOut(umbra, pg));
    } finally {
      await umbra.stop(200);
      await pg.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** Twelve jobs and requests while PostgreSQL stops for 5 s, and what must hold after. */
async function rideOut(umbra: RunningUmbra, pg: OwnPostgres): Promise<string> {
  const origin = (umbra.apiUrl ?? '').replace(/\/v1$/, '');
  const call = timedCaller(origin, OWNER_KEY);

  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const r = await call('POST', '/v1/generations', { prompt: `harbour ${i}`, aspect_ratio: '1:1' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id ?? '');
  }
  // One that the emulator fails, to show a failure is recorded once too.
  const failing = await call(
    'POST',
    '/v1/generations',
    { prompt: 'x' },
    { 'x-umbra-fail': 'content_moderated' },
  );
  const failingId = failing.body.id ?? '';
  while ((await umbra.store.generations.get(ids[0] ?? ''))?.state !== 'processing') await sleep(20);

  await pg.stop();
  const outageEnds = Date.now() + 5000;
  const during: TimedAnswer[] = [];
  while (Date.now() < outageEnds) {
    during.push(await call('GET', `/v1/generations/${ids[1] ?? ''}`));
    during.push(await call('POST', '/v1/generations', { prompt: 'during the outage' }));
    await sleep(250);
  }
  const ready = await fetch(`${origin}/readyz`);
  const readyBody = (await ready.json()) as { detail?: string };
  await pg.start();
  const restarted = Date.now();

  assert.ok(during.length >= 8, `${during.length} requests during the outage`);
  for (const r of during) {
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.deepEqual(r.body, { detail: 'database unavailable' });
    assert.equal(r.retryAfter, '1');
    assert.ok(r.ms < 2500, `answered in ${r.ms} ms`);
  }
  assert.equal(ready.status, 503);
  assert.match(readyBody.detail ?? '', /^database unavailable/);

  let back = await call('GET', `/v1/generations/${ids[1] ?? ''}`);
  while (back.status !== 200 && Date.now() - restarted < 10_000) {
    await sleep(100);
    back = await call('GET', `/v1/generations/${ids[1] ?? ''}`);
  }
  assert.equal(back.status, 200, `the API answers within 10 s of the restart: ${JSON.stringify(back.body)}`);
  const backAfter = Date.now() - restarted;
  assert.equal((await fetch(`${origin}/readyz`)).status, 200);

  const deadline = Date.now() + 60_000;
  for (const id of [...ids, failingId]) {
    let row = await umbra.store.generations.get(id);
    while (row !== null && (row.state === 'queued' || row.state === 'processing') && Date.now() < deadline) {
      await sleep(100);
      row = await umbra.store.generations.get(id);
    }
    if (id === failingId) {
      assert.equal(row?.state, 'failed');
      assert.equal(row?.failureCode, 'content_moderated');
    } else assert.equal(row?.state, 'completed', `${id}: ${row?.failureReason ?? ''}`);
    assert.equal(row?.attempts, 1, `${id} rendered once`);
  }
  // And new work is taken as before.
  const afterwards = await call('POST', '/v1/generations', { prompt: 'after the outage' });
  assert.equal(afterwards.status, 201);
  const slowest = Math.max(...during.map((r) => r.ms));
  return (
    `${during.length} requests during the outage, all 503, the slowest in ${slowest} ms; the API answered ` +
    `${backAfter} ms after the restart; every job settled ${Date.now() - restarted} ms after it`
  );
}
