// The lease loop outlives its job source (issue 9, "Rules"): PostgreSQL goes away for five seconds
// while jobs render — through a TCP proxy this test cuts, so the real server and driver see refused and
// reset connections. The process stays up, and both jobs settle once the database is back: one
// completes, one fails with its code; each in one attempt.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Umbra } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { CuttableProxy } from '../testing/cuttable-proxy.js';
import { OWNER_KEY } from '../testing/harness.js';
import { describeWithPostgres, TEST_DATABASE_URL } from '../testing/postgres.js';

describeWithPostgres('PostgreSQL outage while jobs render', (schema) => {
  it('the process stays up; both jobs settle after the database returns, in one attempt each', async () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    await proxy.up();
    const viaProxy = new URL(TEST_DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-pg-outage-'));
    const umbra = await startUmbra(
      loadConfig(
        { port: 0, host: '127.0.0.1', dataDir },
        {
          DATABASE_URL: viaProxy.toString(),
          UMBRA_PG_SCHEMA: schema,
          UMBRA_API_KEY: OWNER_KEY,
          UMBRA_LOG_LEVEL: 'silent',
          UMBRA_POLL_MS: '50',
          UMBRA_EMULATOR: '1',
          UMBRA_EMULATE_LATENCY_MS: '1500',
          UMBRA_CONCURRENCY: '2',
        },
      ),
      silentLogger,
    );
    const client = new Umbra({ apiKey: OWNER_KEY, baseURL: umbra.apiUrl ?? '', maxRetries: 0 });
    try {
      const ok = await client.generations.create({ prompt: 'a quiet harbour' });
      const failing = await client.generations.create(
        { prompt: 'x' },
        { headers: { 'x-umbra-fail': 'content_moderated' } },
      );
      for (let i = 0; i < 100; i++) {
        const states = await Promise.all([ok.id, failing.id].map((id) => umbra.store.generations.get(id)));
        if (states.every((r) => r?.state === 'processing')) break;
        await sleep(20);
      }
      await proxy.down(); // mid-job: heartbeats, the completion and the failure cannot be written
      await sleep(5000);
      await proxy.up();
      const done = await Promise.all(
        [ok.id, failing.id].map((id) =>
          client.generations.wait(id, { pollInterval: 100, timeout: 60_000 }).catch((e: unknown) => e),
        ),
      );
      const [a, b] = await Promise.all([ok.id, failing.id].map((id) => umbra.store.generations.get(id)));
      assert.equal(a?.state, 'completed', String(done[0]));
      assert.equal(a?.attempts, 1);
      assert.equal(b?.state, 'failed');
      assert.equal(b?.failureCode, 'content_moderated');
      assert.equal(b?.attempts, 1);
      // And the worker still takes new work.
      const after = await client.generations.createAndWait({ prompt: 'after' }, { pollInterval: 50 });
      assert.equal(after.state, 'completed');
    } finally {
      await umbra.stop(200);
      await proxy.down();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
