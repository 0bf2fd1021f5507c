// Migration 8 on a database that already holds generations: `user_id` and the video length of completed
// videos are backfilled from the stored requests, on SQLite and on PostgreSQL. The database is brought to
// version 7 with the drivers themselves, filled, then opened (and so migrated) as a Store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { GenerationRequest } from '../contract/wire.js';
import { TEST_DATABASE_URL, describeWithPostgres } from '../testing/postgres.js';
import { MIGRATIONS, MIGRATIONS_TABLE_DDL } from './migrations.js';
import { openStore } from './open-store.js';
import type { SqlValue } from './rows.js';
import type { Store, UsageBucket } from './store.js';
import { REQUEST, T0 } from './testing/store.fixtures.js';

const CLIENT = '00000000-0000-4000-8000-000000000001';

const video = (
  over: Partial<NonNullable<GenerationRequest['video']>>,
  user: string | null,
): GenerationRequest => ({
  ...REQUEST,
  type: 'video',
  model: 'ray-3.2',
  image_ref: [],
  output_format: null,
  user_id: user,
  video: { resolution: '360p', ...over },
});

/** Rows as a version-7 server left them: [type, state, request]. */
const LEGACY: Array<[string, string, GenerationRequest]> = [
  ['image', 'completed', REQUEST], // user-1
  ['video', 'completed', video({ duration: '10s' }, 'user-2')],
  ['video', 'completed', video({ start_frame: { generation_id: CLIENT } }, 'user-2')], // an extend: 5 s
  ['video', 'completed', video({}, null)],
  ['video', 'queued', video({ duration: '10s' }, null)], // nothing delivered yet
];

const COLUMNS = [
  'id',
  'client_id',
  'type',
  'model',
  'request',
  'inputs',
  'state',
  'created_at',
  'updated_at',
  'attempts',
  'max_attempts',
  'run_after',
  'progress',
  'outputs',
  'price_micros',
];

const legacyRow = ([type, state, request]: (typeof LEGACY)[number], i: number): SqlValue[] => [
  `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
  CLIENT,
  type,
  request.model,
  JSON.stringify(request),
  '[]',
  state,
  T0 + i,
  T0 + i,
  1,
  3,
  T0 + i,
  0,
  '[]',
  0,
];

const CLIENT_ROW: SqlValue[] = [CLIENT, 'legacy', 0, 'active', null, null, null, T0];
const CLIENT_SQL = (ph: (i: number) => string): string =>
  `INSERT INTO clients (id, name, hdr_access, status, rpm_limit, concurrency_limit, balance_micros, created_at)
   VALUES (${CLIENT_ROW.map((_, i) => ph(i + 1)).join(', ')})`;
const ROW_SQL = (ph: (i: number) => string): string =>
  `INSERT INTO generations (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => ph(i + 1)).join(', ')})`;

const WINDOW = { start: T0, end: T0 + 1000, userId: null } as const;

/** What the migrated store must report. */
async function checkBackfill(store: Store): Promise<void> {
  const byUser = await store.generations.usage({ clientId: CLIENT, ...WINDOW, groupBy: 'user_id' });
  const pick = (b: UsageBucket[]) =>
    b
      .map((x) => [x.key, x.completed, x.queued, x.videoMs])
      .sort((a, z) => String(a[0]).localeCompare(String(z[0])));
  assert.deepEqual(pick(byUser), [
    [null, 1, 1, 5000],
    ['user-1', 1, 0, 0],
    ['user-2', 2, 0, 15_000],
  ]);
  const client = await store.clients.getClient(CLIENT);
  assert.equal(client?.admin, false, 'existing clients are not admins');
}

describe('migration 8 backfill on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'umbra-backfill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fills user_id and the length of completed videos from the stored requests', async () => {
    const path = join(dir, 'v7.db');
    const db = new Database(path);
    db.exec(MIGRATIONS_TABLE_DDL);
    for (const m of MIGRATIONS.filter((x) => x.version < 8)) {
      db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        T0,
      );
    }
    db.prepare(CLIENT_SQL(() => '?')).run(...CLIENT_ROW);
    LEGACY.forEach((r, i) => db.prepare(ROW_SQL(() => '?')).run(...legacyRow(r, i)));
    db.close();
    const store = await openStore({ sqlitePath: path });
    try {
      await checkBackfill(store);
    } finally {
      await store.close();
    }
  });
});

describeWithPostgres('migration 8 backfill on PostgreSQL', (schema) => {
  it('fills user_id and the length of completed videos from the stored requests', async () => {
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`CREATE SCHEMA ${schema}`);
      await db.query(`SET search_path = ${schema}`);
      await db.query(MIGRATIONS_TABLE_DDL);
      for (const m of MIGRATIONS.filter((x) => x.version < 8)) {
        await db.query(m.postgres);
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          T0,
        ]);
      }
      await db.query(
        CLIENT_SQL((i) => `$${i}`),
        CLIENT_ROW,
      );
      for (const [i, r] of LEGACY.entries())
        await db.query(
          ROW_SQL((n) => `$${n}`),
          legacyRow(r, i),
        );
    } finally {
      await db.end();
    }
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema: schema });
    try {
      await checkBackfill(store);
    } finally {
      await store.close();
    }
  });
});
