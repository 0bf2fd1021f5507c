// The whole server on PostgreSQL (DATABASE_URL): admission, rendering, chaining, failures, and an API
// process and a worker process sharing the database.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerationFailedError, Umbra } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';
import { describeWithPostgres, dropSchema, TEST_DATABASE_URL } from '../testing/postgres.js';

describeWithPostgres('server end to end on PostgreSQL', (schema) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      DATABASE_URL: TEST_DATABASE_URL,
      UMBRA_PG_SCHEMA: schema,
      UMBRA_EMULATOR: '1',
    });
  });
  after(async () => s.stop());

  it('renders, chains an edit and reports failures', async () => {
    assert.equal(s.umbra.store.kind, 'postgres');
    const first = await s.client.generations.createAndWait(
      { prompt: 'a harbour', aspect_ratio: '2:1' },
      { pollInterval: 30 },
    );
    assert.equal(first.output.length, 1);
    const edit = await s.client.generations.createAndWait(
      { type: 'image_edit', prompt: 'black and white', source: { generation_id: first.id } },
      { pollInterval: 30 },
    );
    const png = Buffer.from(await (await fetch(edit.output[0]?.url ?? '')).arrayBuffer());
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2048, 1024]);
    const failing = await s.client.generations.create(
      { prompt: 'x' },
      { headers: { 'x-umbra-fail': 'rate_limited' } },
    );
    const err = await s.client.generations.wait(failing.id, { pollInterval: 30 }).catch((e: unknown) => e);
    assert.ok(err instanceof GenerationFailedError);
    assert.equal(err.code, 'rate_limited');
  });

  it('an api-only process and a worker-only process share the database and the blobs', async () => {
    // Their own schema and data dir, so the role-all server above cannot take the job.
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-split-'));
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      UMBRA_PG_SCHEMA: `${schema}_split`,
      UMBRA_LOG_LEVEL: 'silent',
      UMBRA_API_KEY: OWNER_KEY,
      UMBRA_POLL_MS: '20',
    };
    const api = await startUmbra(loadConfig({ role: 'api', port: 0, dataDir }, env), silentLogger);
    const worker = await startUmbra(loadConfig({ role: 'worker', dataDir }, env), silentLogger);
    try {
      assert.equal(api.worker, null);
      assert.equal(worker.apiUrl, null);
      const client = new Umbra({ apiKey: OWNER_KEY, baseURL: api.apiUrl ?? '', maxRetries: 0 });
      const g = await client.generations.createAndWait({ prompt: 'forest at dawn' }, { pollInterval: 30 });
      assert.equal(g.state, 'completed');
      assert.equal((await fetch(g.output[0]?.url ?? '')).status, 200);
    } finally {
      await api.stop(200);
      await worker.stop(200);
      await dropSchema(`${schema}_split`);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
