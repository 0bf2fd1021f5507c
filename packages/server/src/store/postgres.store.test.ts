// Runs the Store conformance suite on a real PostgreSQL, in a fresh schema that is dropped afterwards.
// Without a reachable server the suite is skipped locally, but fails under CI (CI must run it).
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from './open-store.js';
import { runStoreConformance } from './store.conformance.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgSchema = `umbra_test_${randomBytes(6).toString('hex')}`;

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await reachable();
const where = databaseUrl.replace(/(\/\/[^:@/]*):[^@/]*@/, '$1:…@'); // keep a password out of the log

if (problem === null) {
  runStoreConformance('postgres', () => openStore({ databaseUrl, sqlitePath: '', pgSchema }));
  after(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    } finally {
      await client.end();
    }
  });
} else if (process.env.CI) {
  describe('Store conformance: postgres', () => {
    it('needs a reachable PostgreSQL under CI', () => {
      throw new Error(`PostgreSQL not reachable at ${where}: ${problem}`);
    });
  });
} else {
  describe(
    'Store conformance: postgres',
    { skip: `PostgreSQL not reachable at ${where}: ${problem}` },
    () => {},
  );
}
