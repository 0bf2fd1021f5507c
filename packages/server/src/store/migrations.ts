// The schema, as an append-only list of versioned migrations. Each adapter applies the missing ones in
// order, under its own cross-process lock, and records them in `schema_migrations`.
// Never edit a released migration: add a new version.
import { EVENTS_POSTGRES_DDL, EVENTS_SQLITE_DDL } from './events.sql.js';
import { FILES_DDL } from './files.sql.js';
import {
  GENERATIONS_FILTERED_LIST_DDL,
  GENERATIONS_LIST_DDL,
  GENERATIONS_QUEUE_DDL,
} from './generations.sql.js';
import { IDEMPOTENCY_DDL } from './idempotency.sql.js';
import { TENANTS_POSTGRES_DDL, TENANTS_SQLITE_DDL } from './usage.sql.js';
import { workersDdl } from './workers.sql.js';

/** One schema step, written once per dialect. */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** Bookkeeping table; identical DDL in both dialects. */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

// Indexes shared verbatim by both dialects.
const INDEXES = `
CREATE INDEX generations_claim_idx ON generations (state, run_after, created_at);
CREATE INDEX generations_client_state_idx ON generations (client_id, state, created_at);
CREATE INDEX generations_lease_idx ON generations (state, lease_expires_at);
CREATE INDEX generations_created_idx ON generations (state, created_at);
CREATE INDEX api_keys_client_idx ON api_keys (client_id);
CREATE INDEX rate_hits_client_at_idx ON rate_hits (client_id, at);
`;

// Workers claim by `model/type`; the relay keeps the upstream's id of each job.
const KINDS = `
ALTER TABLE generations ADD COLUMN upstream_id TEXT;
CREATE INDEX generations_claim_kind_idx ON generations (state, model, type, run_after, created_at);
`;

// The two dialects differ only in types: SQLite stores booleans as 0/1 and JSON as TEXT.
const initial = (t: { bool: string; json: string; real: string }): string => `
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  hdr_access ${t.bool} NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'deactivated')),
  rpm_limit INTEGER,
  concurrency_limit INTEGER,
  balance_micros BIGINT,
  created_at BIGINT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  prefix TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE generations (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  type TEXT NOT NULL,
  model TEXT NOT NULL,
  request ${t.json} NOT NULL,
  inputs ${t.json} NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'completed', 'failed')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  run_after BIGINT NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  progress ${t.real} NOT NULL,
  outputs ${t.json} NOT NULL,
  failure_code TEXT,
  failure_reason TEXT,
  price_micros BIGINT NOT NULL,
  emulate_failure TEXT,
  completed_at BIGINT
);
-- Keyed by client id but without a foreign key, so a limiter may also key on other identities.
CREATE TABLE rate_hits (
  client_id TEXT NOT NULL,
  at BIGINT NOT NULL
);
${INDEXES}`;

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sqlite: initial({ bool: 'INTEGER', json: 'TEXT', real: 'REAL' }),
    postgres: initial({ bool: 'BOOLEAN', json: 'JSONB', real: 'DOUBLE PRECISION' }),
  },
  {
    version: 2,
    name: 'claim by kind; relayed upstream id',
    sqlite: KINDS,
    postgres: KINDS,
  },
  {
    version: 3,
    name: 'worker tokens and instances',
    sqlite: workersDdl('TEXT'),
    postgres: workersDdl('JSONB'),
  },
  {
    version: 4,
    name: 'files',
    sqlite: FILES_DDL,
    postgres: FILES_DDL,
  },
  {
    version: 5,
    name: 'list generations by client, newest first',
    sqlite: GENERATIONS_LIST_DDL,
    postgres: GENERATIONS_LIST_DDL,
  },
  {
    version: 6,
    name: 'idempotency keys of generation creates',
    sqlite: IDEMPOTENCY_DDL,
    postgres: IDEMPOTENCY_DDL,
  },
  {
    version: 7,
    name: 'generation events (outbox) and webhooks',
    sqlite: EVENTS_SQLITE_DDL,
    postgres: EVENTS_POSTGRES_DDL,
  },
  {
    version: 8,
    name: 'admin clients; usage by user_id and delivered video',
    sqlite: TENANTS_SQLITE_DDL,
    postgres: TENANTS_POSTGRES_DDL,
  },
  {
    version: 9,
    name: 'list generations filtered by state, type or model',
    sqlite: GENERATIONS_FILTERED_LIST_DDL,
    postgres: GENERATIONS_FILTERED_LIST_DDL,
  },
  {
    version: 10,
    name: 'the queue in claim order, queued rows only',
    sqlite: GENERATIONS_QUEUE_DDL,
    postgres: GENERATIONS_QUEUE_DDL,
  },
];
