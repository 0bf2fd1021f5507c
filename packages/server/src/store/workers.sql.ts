// Worker tokens and the instances seen using them: the statements, written once for both dialects
// (only the bind placeholders differ). Remote workers' lease owners are `r:<token id>:<instance>:<nonce>`,
// so the jobs an instance runs are the processing rows whose owner starts with its prefix.
import type { Placeholder } from './sql.js';

/** Lease-owner prefix of an instance's claims. */
export const remoteOwnerPrefix = (tokenId: string, instance: string): string => `r:${tokenId}:${instance}:`;

/** The token id and instance of a remote lease owner, or null when `owner` is not one. */
export function parseRemoteOwner(owner: string): { tokenId: string; instance: string } | null {
  const [r, tokenId, instance, nonce, extra] = owner.split(':');
  if (r !== 'r' || !tokenId || !instance || !nonce || extra !== undefined) return null;
  return { tokenId, instance };
}

export const workerSql = (ph: Placeholder) =>
  ({
    byHash: `SELECT * FROM worker_tokens WHERE hash = ${ph(1)}`,
    list: 'SELECT * FROM worker_tokens ORDER BY created_at, name',
    revoke: `UPDATE worker_tokens SET revoked_at = ${ph(1)} WHERE name = ${ph(2)} AND revoked_at IS NULL`,
    seen: `INSERT INTO worker_instances (token_id, instance, kinds, last_seen_at)
      VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)})
      ON CONFLICT (token_id, instance) DO UPDATE SET kinds = excluded.kinds, last_seen_at = excluded.last_seen_at`,
    listSeen: `SELECT w.token_id, t.name AS token_name, w.instance, w.kinds, w.last_seen_at,
        (SELECT count(*) FROM generations g WHERE g.state = 'processing'
           AND substr(g.lease_owner, 1, length('r:' || w.token_id || ':' || w.instance || ':'))
             = 'r:' || w.token_id || ':' || w.instance || ':') AS running
      FROM worker_instances w JOIN worker_tokens t ON t.id = w.token_id
      WHERE w.last_seen_at >= ${ph(1)}
      ORDER BY t.name, w.instance`,
  }) as const;

/** Migration 3 (both dialects; `json` is the JSON column type). */
export const workersDdl = (json: string): string => `
CREATE TABLE worker_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE,
  models ${json},
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX worker_tokens_live_name_idx ON worker_tokens (name) WHERE revoked_at IS NULL;
CREATE TABLE worker_instances (
  token_id TEXT NOT NULL REFERENCES worker_tokens (id),
  instance TEXT NOT NULL,
  kinds ${json} NOT NULL,
  last_seen_at BIGINT NOT NULL,
  PRIMARY KEY (token_id, instance)
);
`;
