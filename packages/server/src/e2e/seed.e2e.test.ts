// `umbra seed` (issue 15, "Scale") on a real SQLite file and a real PostgreSQL: the rows it writes are
// counted and shaped as planned, leave the queue empty, keep usage consistent, carry events only inside
// the outbox's retention, and every route that reads them answers as for any generation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { DEFAULT_SEED_SPAN_MS } from '../generations/seed-plan.js';
import { OUTBOX_RETENTION_MS } from '../jobs/reaper.js';
import { silentLogger } from '../log.js';
import { openConfiguredStore, seedConfiguredDatabase, startUmbra, type SeedReport } from '../main.js';
import { GENERATION_KEYS, OWNER_KEY } from '../testing/harness.js';
import { describeWithPostgres, TEST_DATABASE_URL } from '../testing/postgres.js';

const N = 2000;

function seedSuite(env: () => Record<string, string>): void {
  let dataDir: string;
  let config: Config;
  let report: SeedReport;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'umbra-seed-'));
    config = loadConfig(
      { role: 'api', port: 0, host: '127.0.0.1', dataDir },
      { UMBRA_API_KEY: OWNER_KEY, UMBRA_LOG_LEVEL: 'silent', ...env() },
    );
    report = await seedConfiguredDatabase(config, { generations: N, clients: 3 });
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('writes the rows, terminal, over the clients and the span, with usage that adds up', async () => {
    assert.deepEqual(report.clients, ['default', 'seed-1', 'seed-2']);
    assert.equal(report.size.generations, N);
    assert.ok(report.size.generationBytes > 0 && report.size.totalBytes >= report.size.generationBytes);
    const store = await openConfiguredStore(config);
    try {
      assert.deepEqual(await store.generations.queueStats(), [], 'nothing queued or processing');
      let total = 0;
      let failed = 0;
      for (const name of report.clients) {
        const client = await store.clients.findClientByName(name);
        assert.ok(client, name);
        const [u] = await store.generations.usage({
          clientId: client.id,
          start: 0,
          end: Date.now() + 1,
          groupBy: null,
          userId: null,
        });
        assert.ok(u, `usage of ${name}`);
        assert.equal(u.queued + u.processing, 0);
        assert.ok(u.completed > 0 && u.failed > 0, `${name}: ${u.completed} completed, ${u.failed} failed`);
        assert.ok(u.chargedMicros > 0 && u.reservedMicros === 0);
        total += u.completed + u.failed;
        failed += u.failed;
      }
      assert.equal(total, N);
      assert.ok(failed > N * 0.02 && failed < N * 0.07, `${failed} failed`);
      // Events: the newest rows have theirs (inside the outbox's retention), the oldest none.
      const owner = await store.clients.findClientByName('default');
      assert.ok(owner);
      const page = { limit: 1, state: null, type: null, model: null, after: null } as const;
      const [newest] = await store.generations.list(owner.id, page);
      assert.ok(newest);
      assert.ok(Date.now() - newest.createdAt < OUTBOX_RETENTION_MS);
      const events = await store.events.ofGeneration(newest.id, 0, 10);
      assert.deepEqual(
        events.map((e) => e.kind),
        [newest.state],
      );
      const oldest = await store.generations.list(owner.id, {
        ...page,
        after: { createdAt: Date.now() - DEFAULT_SEED_SPAN_MS + OUTBOX_RETENTION_MS, id: '' },
      });
      assert.ok(oldest[0]);
      assert.deepEqual(await store.events.ofGeneration(oldest[0].id, 0, 10), []);
    } finally {
      await store.close();
    }
  });

  it('serves the seeded rows: list, GET of a completed and of a failed one', async () => {
    const umbra = await startUmbra(config, silentLogger);
    try {
      const base = umbra.apiUrl ?? '';
      const get = async (path: string): Promise<Record<string, unknown>> => {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${OWNER_KEY}` } });
        assert.equal(res.status, 200, path);
        return (await res.json()) as Record<string, unknown>;
      };
      const list = (await get('/generations')) as { data: Array<Record<string, unknown>>; has_more: boolean };
      assert.equal(list.data.length, 25);
      assert.equal(list.has_more, true);
      const times = list.data.map((g) => String(g.created_at));
      assert.deepEqual([...times].sort().reverse(), times, 'newest first');
      const failedPage = (await get('/generations?state=failed&limit=5')) as typeof list;
      assert.ok(failedPage.data.length > 0);
      const failed = await get(`/generations/${String(failedPage.data[0]?.id)}`);
      assert.equal(failed.state, 'failed');
      assert.ok(['generation_failed', 'content_moderated'].includes(String(failed.failure_code)));
      assert.equal(typeof failed.failure_reason, 'string');
      assert.deepEqual(failed.output, []);
      const done = list.data.find((g) => g.state === 'completed');
      assert.ok(done);
      const one = await get(`/generations/${String(done.id)}`);
      assert.deepEqual(Object.keys(one), GENERATION_KEYS);
      const [output] = one.output as Array<{ type: string; url: string }>;
      assert.ok(output);
      assert.equal(output.type, one.type === 'video' ? 'video' : 'image');
      assert.match(output.url, /^http:\/\/127\.0\.0\.1:\d+\//);
      const usage = await get('/usage');
      assert.ok(usage);
    } finally {
      await umbra.stop(200);
    }
  });
}

describe('umbra seed on SQLite', () => seedSuite(() => ({})));

describeWithPostgres('umbra seed on PostgreSQL', (schema) =>
  seedSuite(() => ({ DATABASE_URL: TEST_DATABASE_URL, UMBRA_PG_SCHEMA: schema })),
);
