// Row mapping shared by both adapters: database rows (snake_case) → port records, and port inputs →
// column values. Written once so SQLite and PostgreSQL cannot drift apart.
import { FAILURES } from '../contract/failures.js';
import type { FileMimeType, FilePurpose, FileState } from '../contract/file.wire.js';
import type { FailureCode, GenerationState, GenerationType, Model } from '../contract/wire.js';
import type {
  ClientPatch,
  FileRecord,
  FileUploadMode,
  NewFile,
  ClientRecord,
  ClientStatus,
  GenerationRow,
  KeyRecord,
  NewClient,
  NewGeneration,
  RateHit,
  SeenWorker,
  WorkerTokenRecord,
} from './store.js';

/** A row as a driver returns it. */
export type Raw = Record<string, unknown>;

/** A bindable parameter. Booleans are stored as 0/1: SQLite has no boolean and PostgreSQL parses '1'/'0'. */
export type SqlValue = string | number | null;

/** The failure a job gets when its worker vanished too often or it outlived the active-job TTL. */
export const LOST_JOB = {
  code: 'generation_failed',
  reason: FAILURES.generation_failed.reason,
} as const satisfies { code: FailureCode; reason: string };

/** A canceled job ends with this code, so its body stays inside the hosted failure enum (issue 11). */
export const CANCEL_CODE: FailureCode = 'generation_failed';

export const num = (v: unknown, col: string): number => {
  // pg returns BIGINT and COUNT as strings unless told otherwise; accept both so mapping never depends on it.
  if (typeof v === 'number') return v;
  if (typeof v === 'string' || typeof v === 'bigint') return Number(v);
  throw new TypeError(`column ${col}: expected a number, got ${typeof v}`);
};
const numOrNull = (v: unknown, col: string): number | null => (v == null ? null : num(v, col));
export const str = (v: unknown, col: string): string => {
  if (typeof v !== 'string') throw new TypeError(`column ${col}: expected a string, got ${typeof v}`);
  return v;
};
const strOrNull = (v: unknown, col: string): string | null => (v == null ? null : str(v, col));
const bool = (v: unknown): boolean => v === true || v === 1 || v === 1n;
// SQLite stores JSON as TEXT; pg has already parsed jsonb. Our JSON columns only ever hold objects/arrays.
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const bit = (b: boolean): number => (b ? 1 : 0);

/** Column names of `clients`, in table order (used to alias them in joins). */
export const CLIENT_COLUMNS = [
  'id',
  'name',
  'hdr_access',
  'status',
  'rpm_limit',
  'concurrency_limit',
  'balance_micros',
  'created_at',
  'is_admin',
] as const;

/** Maps a `clients` row; `p` is the alias prefix when the columns came through a join. */
export function toClient(r: Raw, p = ''): ClientRecord {
  return {
    id: str(r[`${p}id`], 'id'),
    name: str(r[`${p}name`], 'name'),
    hdrAccess: bool(r[`${p}hdr_access`]),
    status: str(r[`${p}status`], 'status') as ClientStatus,
    rpmLimit: numOrNull(r[`${p}rpm_limit`], 'rpm_limit'),
    concurrencyLimit: numOrNull(r[`${p}concurrency_limit`], 'concurrency_limit'),
    balanceMicros: numOrNull(r[`${p}balance_micros`], 'balance_micros'),
    admin: bool(r[`${p}is_admin`]),
    createdAt: num(r[`${p}created_at`], 'created_at'),
  };
}

/** Maps an `api_keys` row. */
export function toKey(r: Raw): KeyRecord {
  return {
    id: str(r.id, 'id'),
    clientId: str(r.client_id, 'client_id'),
    prefix: str(r.prefix, 'prefix'),
    hash: str(r.hash, 'hash'),
    createdAt: num(r.created_at, 'created_at'),
    expiresAt: numOrNull(r.expires_at, 'expires_at'),
    revokedAt: numOrNull(r.revoked_at, 'revoked_at'),
  };
}

/** Maps a `generations` row. */
export function toGeneration(r: Raw): GenerationRow {
  return {
    id: str(r.id, 'id'),
    clientId: str(r.client_id, 'client_id'),
    type: str(r.type, 'type') as GenerationType,
    model: str(r.model, 'model') as Model,
    request: json(r.request),
    inputs: json(r.inputs),
    state: str(r.state, 'state') as GenerationState,
    createdAt: num(r.created_at, 'created_at'),
    updatedAt: num(r.updated_at, 'updated_at'),
    attempts: num(r.attempts, 'attempts'),
    maxAttempts: num(r.max_attempts, 'max_attempts'),
    runAfter: num(r.run_after, 'run_after'),
    leaseOwner: strOrNull(r.lease_owner, 'lease_owner'),
    leaseExpiresAt: numOrNull(r.lease_expires_at, 'lease_expires_at'),
    progress: num(r.progress, 'progress'),
    outputs: json(r.outputs),
    failureCode: strOrNull(r.failure_code, 'failure_code') as FailureCode | null,
    failureReason: strOrNull(r.failure_reason, 'failure_reason'),
    priceMicros: num(r.price_micros, 'price_micros'),
    emulateFailure: strOrNull(r.emulate_failure, 'emulate_failure') as FailureCode | null,
    completedAt: numOrNull(r.completed_at, 'completed_at'),
    upstreamId: strOrNull(r.upstream_id, 'upstream_id'),
  };
}

/** Reads a `count(*)`-style column. */
export const toCount = (r: Raw | undefined, col = 'n'): number => (r ? num(r[col], col) : 0);

/** Reads a nullable numeric column (e.g. an aggregate such as `min(at)`). */
export const toNumberOrNull = (r: Raw | undefined, col: string): number | null =>
  r ? numOrNull(r[col], col) : null;

/** What a failed generation gives back, and to whom. */
export interface Reservation {
  clientId: string;
  priceMicros: number;
}

/** Maps a `RETURNING client_id, price_micros` row. */
export const toReservation = (r: Raw): Reservation => ({
  clientId: str(r.client_id, 'client_id'),
  priceMicros: num(r.price_micros, 'price_micros'),
});

/** A completion's charge as bound: a whole, non-negative number of micro-USD, or null (keep the reservation). */
export const chargeParam = (charge: number | null | undefined): number | null =>
  charge == null || !Number.isFinite(charge) ? null : Math.max(0, Math.round(charge));

/** What a completed row keeps of its reservation: the charge, never more than was reserved. */
export const settledCharge = (reserved: number, charge: number | null | undefined): number => {
  const c = chargeParam(charge);
  return c === null ? reserved : Math.min(reserved, c);
};

/** A completion's delivered video as bound: whole milliseconds, or null. */
export const videoMsParam = (ms: number | null | undefined): number | null =>
  ms == null || !Number.isFinite(ms) ? null : Math.max(0, Math.round(ms));

/** Column values of a new client (status starts `active`). */
export function clientValues(c: NewClient): Record<string, SqlValue> {
  return {
    id: c.id,
    name: c.name,
    hdr_access: bit(c.hdrAccess),
    status: 'active',
    rpm_limit: c.rpmLimit,
    concurrency_limit: c.concurrencyLimit,
    balance_micros: c.balanceMicros,
    created_at: c.createdAt,
    is_admin: bit(c.admin ?? false),
  };
}

/**
 * Column values of the fields a patch sets (absent fields are left alone; null is a value).
 * `addBalanceMicros` is not a value but an increment: clients.sql.ts adds it.
 */
export function clientPatchValues(p: ClientPatch): Record<string, SqlValue> {
  const v: Record<string, SqlValue> = {};
  if (p.hdrAccess !== undefined) v.hdr_access = bit(p.hdrAccess);
  if (p.status !== undefined) v.status = p.status;
  if (p.rpmLimit !== undefined) v.rpm_limit = p.rpmLimit;
  if (p.concurrencyLimit !== undefined) v.concurrency_limit = p.concurrencyLimit;
  if (p.balanceMicros !== undefined) v.balance_micros = p.balanceMicros;
  if (p.admin !== undefined) v.is_admin = bit(p.admin);
  return v;
}

/** Column values of a new key (never revoked at birth). */
export function keyValues(k: Omit<KeyRecord, 'revokedAt'>): Record<string, SqlValue> {
  return {
    id: k.id,
    client_id: k.clientId,
    prefix: k.prefix,
    hash: k.hash,
    created_at: k.createdAt,
    expires_at: k.expiresAt,
    revoked_at: null,
  };
}

/** Column values of a freshly admitted, immediately due, queued generation. */
export function generationValues(g: NewGeneration): Record<string, SqlValue> {
  return {
    id: g.id,
    client_id: g.clientId,
    type: g.type,
    model: g.model,
    request: JSON.stringify(g.request),
    inputs: JSON.stringify(g.inputs),
    state: 'queued',
    created_at: g.createdAt,
    updated_at: g.createdAt,
    attempts: 0,
    max_attempts: g.maxAttempts,
    run_after: g.createdAt,
    lease_owner: null,
    lease_expires_at: null,
    progress: 0,
    outputs: '[]',
    failure_code: null,
    failure_reason: null,
    price_micros: g.priceMicros,
    emulate_failure: g.emulateFailure,
    completed_at: null,
    upstream_id: null,
    user_id: g.request.user_id,
    video_ms: null,
  };
}

/** SQL condition limiting a claim to some `model/type` kinds (bound in order), or '' for all. */
export const kindFilter = (
  kinds: readonly string[] | undefined,
  ph: (i: number) => string,
  from: number,
): string =>
  kinds === undefined
    ? ''
    : kinds.length === 0
      ? ' AND 1 = 0'
      : ` AND (model || '/' || type) IN (${kinds.map((_, i) => ph(from + i)).join(', ')})`;

/** Engines report progress loosely; the row keeps it within the documented 0..1. */
export const clampProgress = (p: number): number => (Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0);

/** The sliding-window decision, given the hits still inside the window (before this one). */
export function decideRate(count: number, oldest: number | null, now: number, limit: number): RateHit {
  if (count >= limit) return { allowed: false, count, oldest };
  return { allowed: true, count: count + 1, oldest: oldest ?? now };
}

/** Maps a `worker_tokens` row. */
export function toWorkerToken(r: Raw): WorkerTokenRecord {
  return {
    id: str(r.id, 'id'),
    name: str(r.name, 'name'),
    prefix: str(r.prefix, 'prefix'),
    hash: str(r.hash, 'hash'),
    models: r.models == null ? null : json<Model[]>(r.models),
    createdAt: num(r.created_at, 'created_at'),
    revokedAt: numOrNull(r.revoked_at, 'revoked_at'),
  };
}

/** Column values of a new worker token. */
export function workerTokenValues(t: Omit<WorkerTokenRecord, 'revokedAt'>): Record<string, SqlValue> {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    hash: t.hash,
    models: t.models === null ? null : JSON.stringify(t.models),
    created_at: t.createdAt,
    revoked_at: null,
  };
}

/** Maps a row of `workerSql().listSeen`. */
export function toSeenWorker(r: Raw): SeenWorker {
  return {
    tokenId: str(r.token_id, 'token_id'),
    tokenName: str(r.token_name, 'token_name'),
    instance: str(r.instance, 'instance'),
    kinds: json<string[]>(r.kinds),
    lastSeenAt: num(r.last_seen_at, 'last_seen_at'),
    running: num(r.running, 'running'),
  };
}

/** Maps a `files` row. */
export function toFile(r: Raw): FileRecord {
  return {
    id: str(r.id, 'id'),
    clientId: str(r.client_id, 'client_id'),
    createdAt: num(r.created_at, 'created_at'),
    updatedAt: num(r.updated_at, 'updated_at'),
    mimeType: str(r.mime_type, 'mime_type') as FileMimeType,
    purpose: str(r.purpose, 'purpose') as FilePurpose,
    declaredSize: numOrNull(r.declared_size, 'declared_size'),
    storedSize: numOrNull(r.stored_size, 'stored_size'),
    state: str(r.state, 'state') as FileState,
    deletedAt: numOrNull(r.deleted_at, 'deleted_at'),
    expiresAt: numOrNull(r.expires_at, 'expires_at'),
    failureReason: strOrNull(r.failure_reason, 'failure_reason'),
    filename: strOrNull(r.filename, 'filename'),
    userId: strOrNull(r.user_id, 'user_id'),
    uploadMode: str(r.upload_mode, 'upload_mode') as FileUploadMode,
    stagingKey: str(r.staging_key, 'staging_key'),
    blobKey: strOrNull(r.blob_key, 'blob_key'),
    completedAt: numOrNull(r.completed_at, 'completed_at'),
    ingestAttempts: num(r.ingest_attempts, 'ingest_attempts'),
    ingestOwner: strOrNull(r.ingest_owner, 'ingest_owner'),
    ingestLeaseExpiresAt: numOrNull(r.ingest_lease_expires_at, 'ingest_lease_expires_at'),
    purgedAt: numOrNull(r.purged_at, 'purged_at'),
  };
}

/** Column values of a new, pending file. */
export function fileValues(f: NewFile): Record<string, SqlValue> {
  return {
    id: f.id,
    client_id: f.clientId,
    created_at: f.createdAt,
    updated_at: f.createdAt,
    mime_type: f.mimeType,
    purpose: f.purpose,
    declared_size: f.declaredSize,
    stored_size: null,
    state: 'pending',
    deleted_at: null,
    expires_at: f.expiresAt,
    failure_reason: null,
    filename: f.filename,
    user_id: f.userId,
    upload_mode: f.uploadMode,
    staging_key: f.stagingKey,
    blob_key: null,
    completed_at: f.completedAt,
    ingest_attempts: 0,
    ingest_owner: null,
    ingest_lease_expires_at: null,
    purged_at: null,
  };
}
