// The thin layer over pg: a pool bound to one schema, plain queries and transactions.
import pg from 'pg';
import type { Raw, SqlValue } from '../rows.js';

/** Runs one statement and returns its rows. */
export type Query = (sql: string, params?: SqlValue[]) => Promise<Raw[]>;

// Lower-case unquoted identifiers only: they read the same in search_path and in CREATE SCHEMA.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A connection pool of one Store. */
export class PgDb {
  private constructor(
    private readonly pool: pg.Pool,
    /** The schema every connection works in, or null for the server's default search_path. */
    readonly schema: string | null,
  ) {}

  /** Creates the pool; no connection is made until the first query. */
  static open(url: string, schema?: string): PgDb {
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*`);
    }
    const pool = new pg.Pool({
      connectionString: url,
      // Set at connection start-up, so every pooled connection (and every reconnect) uses the schema.
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection the server dropped is discarded by the pool; without a listener it would
    // crash the process. The next query simply opens a new one.
    pool.on('error', () => undefined);
    return new PgDb(pool, schema ?? null);
  }

  readonly query: Query = async (sql, params = []) => (await this.pool.query<Raw>(sql, params)).rows;

  /** Runs `fn` in a READ COMMITTED transaction on one pooled connection; rolls back when it throws. */
  async tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const q: Query = async (sql, params = []) => (await client.query<Raw>(sql, params)).rows;
    try {
      await client.query('BEGIN');
      const result = await fn(q);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(!rolledBack);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
