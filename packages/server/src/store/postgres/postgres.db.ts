// The thin layer over pg: a pool bound to one schema, plain queries and transactions.
import pg from 'pg';
import type { Raw, SqlValue } from '../rows.js';
import { unavailableIf } from '../../unavailable.js';
import { isPgOutage } from './pg-outage.js';

/** Runs one statement and returns its rows. */
export type Query = (sql: string, params?: SqlValue[]) => Promise<Raw[]>;

/**
 * How long a query waits for a connection. While PostgreSQL is down or restarting, requests answer 503
 * after this long instead of queueing without end (issue 12, "Faults").
 */
const CONNECT_TIMEOUT_MS = 2000;
/** The longest one statement may run; migrations raise it for their own transaction. */
export const STATEMENT_TIMEOUT_MS = 10_000;
/** Client-side backstop for a server that stopped answering without closing the connection. */
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 5000;

/** A driver error that means the database cannot be reached becomes `database unavailable`. */
const outage = (err: unknown): unknown => unavailableIf('database', err, isPgOutage);

// Lower-case unquoted identifiers only: they read the same in search_path and in CREATE SCHEMA.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A connection pool of one Store. */
export class PgDb {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
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
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      // Set at connection start-up, so every pooled connection (and every reconnect) uses the schema.
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection the server dropped is discarded by the pool; without a listener it would
    // crash the process. The next query simply opens a new one.
    pool.on('error', () => undefined);
    return new PgDb(pool, url, schema ?? null);
  }

  readonly query: Query = async (sql, params = []) => {
    try {
      return (await this.pool.query<Raw>(sql, params)).rows;
    } catch (err) {
      throw outage(err);
    }
  };

  /**
   * Runs `fn` in a READ COMMITTED transaction on one pooled connection; rolls back when it throws.
   * `statementTimeoutMs` replaces the statement timeout for this transaction only (migrations).
   */
  async tx<T>(fn: (q: Query) => Promise<T>, o: { statementTimeoutMs?: number } = {}): Promise<T> {
    const client = await this.pool.connect().catch((err: unknown) => {
      throw outage(err);
    });
    // A checked-out connection has no listener of the pool's: a reset mid-transaction would be an
    // unhandled 'error' event. The statement under way rejects with the same error, handled below.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    const queryTimeout = o.statementTimeoutMs === undefined ? QUERY_TIMEOUT_MS : o.statementTimeoutMs + 5000;
    // pg reads `query_timeout` per query too; its types know it only as a client setting.
    const q: Query = async (sql, params = []) =>
      (await client.query<Raw>({ text: sql, values: params, query_timeout: queryTimeout } as pg.QueryConfig))
        .rows;
    try {
      await client.query('BEGIN');
      if (o.statementTimeoutMs !== undefined) {
        await client.query(`SET LOCAL statement_timeout = ${Math.floor(o.statementTimeoutMs)}`);
      }
      const result = await fn(q);
      await client.query('COMMIT');
      client.off('error', ignore);
      client.release();
      return result;
    } catch (err) {
      // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.off('error', ignore);
      client.release(!rolledBack);
      throw outage(err);
    }
  }

  /**
   * Opens a dedicated connection that LISTENs on `channel` and calls `onNotify` with each payload. `onLost`
   * is called once if the connection later fails or ends; the caller decides when to listen again.
   * Resolves with a function that closes the connection.
   */
  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onLost: (err: unknown) => void,
  ): Promise<() => Promise<void>> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    let closing = false;
    let lost = false;
    const lose = (err: unknown): void => {
      if (closing || lost) return;
      lost = true;
      onLost(err);
    };
    // Registered before connecting: a connection error is an 'error' event as well as a rejection.
    client.on('error', lose);
    client.on('end', () => lose(new Error('LISTEN connection ended')));
    client.on('notification', (n) => onNotify(n.payload ?? ''));
    const close = async (): Promise<void> => {
      closing = true;
      await client.end().catch(() => undefined);
    };
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      await close();
      throw err;
    }
    return close;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
