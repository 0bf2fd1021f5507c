// ClientRepo and RateRepo on PostgreSQL.
import type {
  ClientPatch,
  ClientRecord,
  ClientRepo,
  KeyRecord,
  NewClient,
  RateHit,
  RateRepo,
} from '../store.js';
import {
  CLIENT_COLUMNS,
  clientValues,
  decideRate,
  keyValues,
  toClient,
  toCount,
  toKey,
  toNumberOrNull,
} from '../rows.js';
import { insertSql, pgPlaceholder } from '../sql.js';
import { updateClientSql } from '../clients.sql.js';
import type { PgDb } from './postgres.db.js';

const CLIENT_ALIASES = CLIENT_COLUMNS.map((c) => `c.${c} AS c_${c}`).join(', ');

/** First class of pg_advisory_xact_lock(int, int) keys used by the rate limiter (second = client hash). */
const RATE_LOCK_CLASS = 0x756d6272; // 'umbr'

/** Clients and their API keys. */
export class PgClientRepo implements ClientRepo {
  constructor(private readonly db: PgDb) {}

  async createClient(c: NewClient): Promise<ClientRecord> {
    const q = insertSql('clients', clientValues(c), pgPlaceholder);
    const [r] = await this.db.query(q.text, q.params);
    return toClient(r ?? {});
  }

  async getClient(id: string): Promise<ClientRecord | null> {
    const [r] = await this.db.query('SELECT * FROM clients WHERE id = $1', [id]);
    return r ? toClient(r) : null;
  }

  async findClientByName(name: string): Promise<ClientRecord | null> {
    const [r] = await this.db.query('SELECT * FROM clients WHERE name = $1', [name]);
    return r ? toClient(r) : null;
  }

  async listClients(): Promise<ClientRecord[]> {
    return (await this.db.query('SELECT * FROM clients ORDER BY created_at, id')).map((r) => toClient(r));
  }

  async updateClient(id: string, patch: ClientPatch): Promise<ClientRecord | null> {
    const q = updateClientSql(id, patch, pgPlaceholder);
    if (q === null) return this.getClient(id);
    const [r] = await this.db.query(q.text, q.params);
    return r ? toClient(r) : null;
  }

  async createKey(k: Omit<KeyRecord, 'revokedAt'>): Promise<KeyRecord> {
    const q = insertSql('api_keys', keyValues(k), pgPlaceholder);
    const [r] = await this.db.query(q.text, q.params);
    return toKey(r ?? {});
  }

  async findKeyByHash(hash: string): Promise<{ key: KeyRecord; client: ClientRecord } | null> {
    const [r] = await this.db.query(
      `SELECT k.*, ${CLIENT_ALIASES} FROM api_keys k JOIN clients c ON c.id = k.client_id WHERE k.hash = $1`,
      [hash],
    );
    return r ? { key: toKey(r), client: toClient(r, 'c_') } : null;
  }

  async listKeys(): Promise<Array<KeyRecord & { clientName: string }>> {
    const rows = await this.db.query(
      `SELECT k.*, ${CLIENT_ALIASES} FROM api_keys k JOIN clients c ON c.id = k.client_id
       ORDER BY k.created_at, k.id`,
    );
    return rows.map((r) => ({ ...toKey(r), clientName: toClient(r, 'c_').name }));
  }

  async revokeKeys(prefix: string, now: number): Promise<number> {
    // starts_with rather than LIKE, so `_` and `%` in a prefix are not wildcards.
    const rows = await this.db.query(
      `UPDATE api_keys SET revoked_at = $1
       WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) AND starts_with(prefix, $2)
       RETURNING id`,
      [now, prefix],
    );
    return rows.length;
  }
}

/**
 * Sliding-window rate limiter. A transaction-scoped advisory lock per client serialises hits, so two
 * api processes cannot both take the last slot; it needs no row to lock (rate_hits has no foreign key).
 */
export class PgRateRepo implements RateRepo {
  constructor(private readonly db: PgDb) {}

  hit(clientId: string, now: number, windowMs: number, limit: number): Promise<RateHit> {
    return this.db.tx(async (q) => {
      await q('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [RATE_LOCK_CLASS, clientId]);
      await q('DELETE FROM rate_hits WHERE client_id = $1 AND at < $2', [clientId, now - windowMs]);
      const [r] = await q('SELECT count(*) AS n, min(at) AS oldest FROM rate_hits WHERE client_id = $1', [
        clientId,
      ]);
      const decision = decideRate(toCount(r), toNumberOrNull(r, 'oldest'), now, limit);
      if (decision.allowed) await q('INSERT INTO rate_hits (client_id, at) VALUES ($1, $2)', [clientId, now]);
      return decision;
    });
  }

  async prune(before: number): Promise<number> {
    const [r] = await this.db.query(
      'WITH d AS (DELETE FROM rate_hits WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM d',
      [before],
    );
    return toCount(r);
  }
}
