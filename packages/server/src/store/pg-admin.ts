// Small PostgreSQL chores for tests and benchmarks (reachability, dropping a scratch schema), kept here
// because only store/ talks to the database driver.
import pg from 'pg';

/** Why PostgreSQL at `url` does not answer, or null when it does. */
export async function pgProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
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

/** Drops schemas (and everything in them) if they exist. Names must be plain identifiers. */
export async function dropPgSchemas(url: string, ...schemas: string[]): Promise<void> {
  for (const s of schemas) if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`not a schema name: ${s}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await client.end();
  }
}
