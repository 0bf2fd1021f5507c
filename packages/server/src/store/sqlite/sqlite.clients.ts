// ClientRepo and RateRepo on SQLite.
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
import { insertSql, sqlitePlaceholder } from '../sql.js';
import { updateClientSql } from '../clients.sql.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

const CLIENT_ALIASES = CLIENT_COLUMNS.map((c) => `c.${c} AS c_${c}`).join(', ');

/** Clients and their API keys. */
export class SqliteClientRepo implements ClientRepo {
  constructor(private readonly db: SqliteDb) {}

  createClient(c: NewClient): Promise<ClientRecord> {
    return deferred(() => {
      const q = insertSql('clients', clientValues(c), sqlitePlaceholder);
      return toClient(this.db.get(q.text, q.params) ?? {});
    });
  }

  getClient(id: string): Promise<ClientRecord | null> {
    return deferred(() => {
      const r = this.db.get('SELECT * FROM clients WHERE id = ?', [id]);
      return r ? toClient(r) : null;
    });
  }

  findClientByName(name: string): Promise<ClientRecord | null> {
    return deferred(() => {
      const r = this.db.get('SELECT * FROM clients WHERE name = ?', [name]);
      return r ? toClient(r) : null;
    });
  }

  listClients(): Promise<ClientRecord[]> {
    return deferred(() =>
      this.db.all('SELECT * FROM clients ORDER BY created_at, id').map((r) => toClient(r)),
    );
  }

  updateClient(id: string, patch: ClientPatch): Promise<ClientRecord | null> {
    return deferred(() => {
      const q = updateClientSql(id, patch, sqlitePlaceholder);
      const r =
        q === null ? this.db.get('SELECT * FROM clients WHERE id = ?', [id]) : this.db.get(q.text, q.params);
      return r ? toClient(r) : null;
    });
  }

  createKey(k: Omit<KeyRecord, 'revokedAt'>): Promise<KeyRecord> {
    return deferred(() => {
      const q = insertSql('api_keys', keyValues(k), sqlitePlaceholder);
      return toKey(this.db.get(q.text, q.params) ?? {});
    });
  }

  findKeyByHash(hash: string): Promise<{ key: KeyRecord; client: ClientRecord } | null> {
    return deferred(() => {
      const r = this.db.get(
        `SELECT k.*, ${CLIENT_ALIASES} FROM api_keys k JOIN clients c ON c.id = k.client_id WHERE k.hash = ?`,
        [hash],
      );
      return r ? { key: toKey(r), client: toClient(r, 'c_') } : null;
    });
  }

  listKeys(): Promise<Array<KeyRecord & { clientName: string }>> {
    return deferred(() =>
      this.db
        .all(
          `SELECT k.*, ${CLIENT_ALIASES} FROM api_keys k JOIN clients c ON c.id = k.client_id
           ORDER BY k.created_at, k.id`,
        )
        .map((r) => ({ ...toKey(r), clientName: toClient(r, 'c_').name })),
    );
  }

  revokeKeys(prefix: string, now: number): Promise<number> {
    // substr rather than LIKE, so `_` and `%` in a prefix are not wildcards.
    return deferred(() =>
      this.db.run(
        `UPDATE api_keys SET revoked_at = ?
         WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
           AND substr(prefix, 1, length(?)) = ?`,
        [now, now, prefix, prefix],
      ),
    );
  }
}

/** Sliding-window rate limiter; the write lock of BEGIN IMMEDIATE serialises hits across processes. */
export class SqliteRateRepo implements RateRepo {
  constructor(private readonly db: SqliteDb) {}

  hit(clientId: string, now: number, windowMs: number, limit: number): Promise<RateHit> {
    return deferred(() =>
      this.db.tx(() => {
        this.db.run('DELETE FROM rate_hits WHERE client_id = ? AND at < ?', [clientId, now - windowMs]);
        const r = this.db.get('SELECT count(*) AS n, min(at) AS oldest FROM rate_hits WHERE client_id = ?', [
          clientId,
        ]);
        const decision = decideRate(toCount(r), toNumberOrNull(r, 'oldest'), now, limit);
        if (decision.allowed)
          this.db.run('INSERT INTO rate_hits (client_id, at) VALUES (?, ?)', [clientId, now]);
        return decision;
      }),
    );
  }

  prune(before: number): Promise<number> {
    return deferred(() => this.db.run('DELETE FROM rate_hits WHERE at < ?', [before]));
  }
}
