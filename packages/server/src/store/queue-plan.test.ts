// The claim reads the queue's head from one index in claim order (migration 10, issue 15 "Scale"): no
// sort of the due queue and no walk of the settled history, on both databases. Checked on each planner's
// own EXPLAIN of the exact statement the adapters run.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describeWithPostgres, TEST_DATABASE_URL } from '../testing/postgres.js';
import { queueHeadSql } from './generations.sql.js';
import { openStore } from './open-store.js';
import { pgPlaceholder, sqlitePlaceholder } from './sql.js';

/** A worker's kinds, as the in-process worker passes them. */
const KINDS = ['uni-1/image', 'uni-1-max/image', 'ray-3.2/video'];

describe('the queue head on SQLite (issue 15, migration 10)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-queue-plan-'));
    await (await openStore({ sqlitePath: join(dir, 'umbra.db') })).close();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('searches the queue index in claim order, with or without kinds: no temporary sort', () => {
    const db = new Database(join(dir, 'umbra.db'), { readonly: true });
    try {
      for (const kinds of [undefined, KINDS]) {
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN ${queueHeadSql(sqlitePlaceholder, 0, kinds)}`)
          .all(0, ...(kinds ?? []))
          .map((r) => (r as { detail: string }).detail)
          .join('\n');
        assert.match(plan, /USING (COVERING )?INDEX generations_queue_idx/, plan);
        assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
      }
    } finally {
      db.close();
    }
  });
});

describeWithPostgres('the queue head on PostgreSQL (issue 15, migration 10)', (pgSchema) => {
  let client: pg.Client;
  before(async () => {
    await (await openStore({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema })).close();
    client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`SET search_path TO ${pgSchema}`);
  });
  after(() => client?.end());

  it('an index gives the claim order: no Sort node even when sorting is priced out', async () => {
    // With sorts and sequential scans priced out, a plan still sorts only when no index gives the order.
    await client.query('SET enable_sort = off');
    await client.query('SET enable_seqscan = off');
    for (const kinds of [undefined, KINDS]) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${queueHeadSql(pgPlaceholder, 1, kinds)} FOR UPDATE SKIP LOCKED`,
        [Date.now(), ...(kinds ?? [])],
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /generations_queue_idx/, plan);
      assert.doesNotMatch(plan, /Sort/, plan);
    }
  });
});
