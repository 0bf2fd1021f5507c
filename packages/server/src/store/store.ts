// The persistence port. Two adapters implement it (SQLite, PostgreSQL) and pass one conformance suite.
// Times are integer milliseconds since the epoch; money is integer micro-USD (1e-6 USD).
import type { ClientStatus } from '../contract/client-admin.wire.js';
import type { FileMimeType, FilePurpose, FileState } from '../contract/file.wire.js';
import type { ListCursor } from '../contract/list-query.js';
import type { UsageGroupBy } from '../contract/usage.wire.js';
import type {
  FailureCode,
  GenerationRequest,
  GenerationState,
  GenerationType,
  Model,
} from '../contract/wire.js';
import type { WebhookRepo } from './webhooks.port.js';

export type * from './webhooks.port.js';

/** `active`, or refused with 403 (contract §1.2). */
export type { ClientStatus };

/** An API client (account). Generations, quotas and balance belong to the client, not the key (contract §1.2). */
export interface ClientRecord {
  id: string;
  name: string;
  /** May request `video.hdr` (contract §7.5). */
  hdrAccess: boolean;
  status: ClientStatus;
  /** Requests per sliding minute; null = unlimited. */
  rpmLimit: number | null;
  /** Non-terminal generations at once; null = unlimited. */
  concurrencyLimit: number | null;
  /** Remaining balance in micro-USD; null = unmetered. */
  balanceMicros: number | null;
  /** Its keys may use the admin API (`/v1/admin/…`, issue 12). */
  admin: boolean;
  createdAt: number;
}

export interface NewClient {
  id: string;
  name: string;
  hdrAccess: boolean;
  rpmLimit: number | null;
  concurrencyLimit: number | null;
  balanceMicros: number | null;
  /** Default false. */
  admin?: boolean;
  createdAt: number;
}

/** Fields to change; absent ones are left alone (null is a value). */
export interface ClientPatch {
  hdrAccess?: boolean;
  status?: ClientStatus;
  rpmLimit?: number | null;
  concurrencyLimit?: number | null;
  /** Sets the balance (null = unmetered). Not together with `addBalanceMicros`. */
  balanceMicros?: number | null;
  /**
   * Adds to a metered balance in the same statement (`balance = balance + x`, never read-modify-write), so
   * top-ups racing admissions and refunds lose nothing. Negative to take away.
   */
  addBalanceMicros?: number;
  admin?: boolean;
}

/** An API key. Only its SHA-256 hash is stored; `prefix` identifies it in listings. */
export interface KeyRecord {
  id: string;
  clientId: string;
  /** The first characters of the key (e.g. `luma-api-3f9a1c`), unique, safe to show. */
  prefix: string;
  hash: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** A request input already ingested at admission: its bytes live in the blob store under `key`. */
export interface StoredInput {
  /** Where it came from: `source`, `image_ref[0]`, `video.start_frame`, `video.keyframes[3]`, `video.edit.keyframes[1]`. */
  slot: string;
  /** Blob key of the bytes. */
  key: string;
  /** Declared or sniffed MIME type at admission. */
  mediaType: string;
  /** When the input chained off a prior generation. */
  generationId: string | null;
}

/** A finished artifact in the blob store. */
export interface StoredOutput {
  type: 'image' | 'video' | 'exr';
  key: string;
  contentType: string;
}

/**
 * One generation = one job (docs/architecture.md "Roles and data flow"): state machine, lease and outputs in
 * a single row.
 */
export interface GenerationRow {
  id: string;
  clientId: string;
  type: GenerationType;
  model: Model;
  /** The validated request; base64 `data` is replaced by the ingested inputs. */
  request: GenerationRequest;
  inputs: StoredInput[];
  state: GenerationState;
  createdAt: number;
  updatedAt: number;
  /** Claims so far (incremented by every claim). */
  attempts: number;
  maxAttempts: number;
  /** A queued row is not claimed before this time (retry backoff). */
  runAfter: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** 0..1, reported by the engine while processing. */
  progress: number;
  outputs: StoredOutput[];
  failureCode: FailureCode | null;
  failureReason: string | null;
  /** Reserved at admission, refunded when the job fails. */
  priceMicros: number;
  /** Emulator mode only: the failure this job must end with (X-Umbra-Fail). */
  emulateFailure: FailureCode | null;
  completedAt: number | null;
  /** Relayed jobs: the generation's id on the upstream. */
  upstreamId: string | null;
}

/**
 * Completed or failed: the row never changes again (every write of the state machine is conditional on
 * `queued` or `processing`, and nothing deletes a generation).
 */
export const isSettled = (row: GenerationRow): boolean => row.state === 'completed' || row.state === 'failed';

/** A generation written whole by the seeding command (store/seed.ts), with the columns derived from it. */
export interface SeedRow extends GenerationRow {
  /** The request's `user_id`, kept in its own column. */
  userId: string | null;
  /** The video a completed generation delivered, in ms. */
  videoMs: number | null;
}

export interface NewGeneration {
  id: string;
  clientId: string;
  type: GenerationType;
  model: Model;
  request: GenerationRequest;
  inputs: StoredInput[];
  createdAt: number;
  maxAttempts: number;
  priceMicros: number;
  emulateFailure: FailureCode | null;
}

/** Checks done atomically with the insert, so two racing POSTs cannot both take the last slot. */
export interface AdmitLimits {
  /** Max non-terminal generations of the client created at or after `activeSince`; null = no cap. */
  concurrencyLimit: number | null;
  activeSince: number;
}

export type AdmitResult = { admitted: GenerationRow } | 'too_many_concurrent' | 'insufficient_balance';

/** The name of what an admission did, for metrics and tests. */
export const admitOutcome = (
  r: AdmitResult | AdmitReplay,
): 'admitted' | 'replayed' | 'too_many_concurrent' | 'insufficient_balance' =>
  typeof r === 'string' ? r : 'admitted' in r ? 'admitted' : 'replayed';

/** An idempotency key to record with an admission (issue 11, "Idempotent create"). */
export interface NewIdempotencyKey {
  key: string;
  /** Identity of the request body (a hash of its canonical JSON). */
  requestHash: string;
  /** Records created before this time are expired: they neither replay nor block the key. */
  liveSince: number;
}

/** A client's key and the generation its first request created. */
export interface IdempotencyRecord {
  clientId: string;
  key: string;
  requestHash: string;
  generationId: string;
  createdAt: number;
}

/** The key was already used by a live record: admit() inserted nothing and hands back that record. */
export interface AdmitReplay {
  replayOf: IdempotencyRecord;
}

export interface RateHit {
  allowed: boolean;
  /** Hits in the window, this one included when allowed. */
  count: number;
  /** Oldest hit still in the window (ms), or null if none. */
  oldest: number | null;
}

/** One page request of a client's generations, newest first (keyset: strictly older than `after`). */
export interface GenerationPage {
  limit: number;
  state: GenerationState | null;
  type: GenerationType | null;
  model: Model | null;
  after: ListCursor | null;
}

export interface GenerationRepo {
  /**
   * Inserts a queued row after re-checking the client's concurrency cap and reserving `priceMicros`
   * from a metered balance, all in one transaction. With `idem`, the key is recorded for the client in
   * that same transaction (so neither survives without the other); when the client already holds a live
   * record of the key, nothing is inserted and the record comes back instead. A unique constraint on
   * (client, key) makes that hold for racing admissions too: exactly one of them inserts.
   */
  admit(g: NewGeneration, limits: AdmitLimits, idem?: NewIdempotencyKey): Promise<AdmitResult | AdmitReplay>;
  get(id: string): Promise<GenerationRow | null>;
  /**
   * At most `page.limit` of the client's generations that match the page's filters, newest first
   * (created_at, then id, descending).
   */
  list(clientId: string, page: GenerationPage): Promise<GenerationRow[]>;
  /** Non-terminal generations of the client created at or after `since`. */
  countActive(clientId: string, since: number): Promise<number>;
  /**
   * Takes the oldest queued row whose `runAfter <= now` (and, when `kinds` is given, whose
   * `model/type` is one of them): state `processing`, lease to `workerId` until now + leaseMs,
   * attempts + 1. Never hands one row to two workers.
   */
  claim(
    workerId: string,
    now: number,
    leaseMs: number,
    kinds?: readonly string[],
  ): Promise<GenerationRow | null>;
  /** Extends the lease and records progress; false when the worker no longer holds the row. */
  heartbeat(id: string, workerId: string, now: number, leaseMs: number, progress: number): Promise<boolean>;
  /**
   * processing → completed, only for the lease holder; `facts` are kept with the row. With
   * `facts.chargeMicros` the price settles in the same transaction: the row keeps
   * min(reserved, max(0, chargeMicros)) and the difference goes back to a metered balance (contract §5:
   * edits and reframes cost what their source's real length costs; the charge never exceeds the reserve).
   */
  complete(
    id: string,
    workerId: string,
    outputs: StoredOutput[],
    now: number,
    facts?: CompletionFacts,
  ): Promise<boolean>;
  /**
   * processing → failed, only for the lease holder; refunds the reservation to a metered balance. `facts`
   * are kept with the row (a relayed job's upstream id).
   */
  fail(
    id: string,
    workerId: string,
    code: FailureCode,
    reason: string,
    now: number,
    facts?: { upstreamId: string | null },
  ): Promise<boolean>;
  /** processing → queued with `runAfter` (retry with backoff), only for the lease holder. */
  requeue(id: string, workerId: string, runAfter: number, now: number): Promise<boolean>;
  /**
   * processing → queued with `runAfter`, only for the lease holder, without spending the attempt: the
   * worker hands the job back (it is stopping, or a part it depends on is down). `attempts` stays, since
   * it fences every later call of the attempt just handed back; `maxAttempts` goes up by one instead.
   * False when the lease is gone.
   */
  release(id: string, workerId: string, runAfter: number, now: number): Promise<boolean>;
  /**
   * Rows whose lease expired (their worker died): back to queued when attempts < maxAttempts, else
   * failed with `generation_failed` (refunded). Returns the jobs that went each way.
   */
  reapExpired(now: number): Promise<{ requeued: ReapedJob[]; failed: ReapedJob[] }>;
  /**
   * The client's generation, if still queued or processing, → failed with `generation_failed` and
   * `reason`, its reservation refunded, in one transaction. A worker holding its lease learns of it at
   * its next heartbeat (which answers false). `terminal`: it had already ended; null: not the client's.
   */
  cancel(clientId: string, id: string, reason: string, now: number): Promise<CancelResult | null>;
  /**
   * Where a queued generation stands in its model's queue (1 = next to be claimed), in claim order;
   * null when it is not queued.
   */
  queuePosition(id: string): Promise<number | null>;
  /**
   * Fails rows still non-terminal that were created before `before` (the 1-hour active-job TTL,
   * contract §4.4) with `generation_failed`. Returns the jobs it failed.
   */
  expireStale(before: number, now: number): Promise<ReapedJob[]>;
  /**
   * The queue and the running jobs of every model that has any (metrics, issue 12): one aggregate over
   * the non-terminal rows.
   */
  queueStats(): Promise<QueueStat[]>;
  /**
   * A client's generations created in [start, end) (and with `userId`, when given), counted and summed per
   * group of `groupBy` (one bucket without it; none when there are no generations). One aggregate query.
   */
  usage(w: UsageWindow): Promise<UsageBucket[]>;
}

/** What a completion records besides its outputs. */
export interface CompletionFacts {
  /** Relayed jobs: the generation's id on the upstream. */
  upstreamId: string | null;
  /**
   * The settled price in micro-USD; null or absent = the reservation stands. Never raises the price: the
   * row keeps the smaller of the two, and the difference is refunded.
   */
  chargeMicros?: number | null;
  /** Milliseconds of video delivered (for usage); null or absent = none, or not known. */
  videoMs?: number | null;
}

/** The rows `usage()` aggregates. */
export interface UsageWindow {
  clientId: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  groupBy: UsageGroupBy | null;
  /** Only generations created with this `user_id`; null = all. */
  userId: string | null;
}

/** Counts and sums over one group of generations. */
export interface UsageBucket {
  /**
   * The group's value: a model, a type or a `user_id` (null = none given); for `day`, whole UTC days since
   * the epoch; without grouping, null.
   */
  key: string | number | null;
  queued: number;
  processing: number;
  completed: number;
  failed: number;
  /** Completed image generations. */
  images: number;
  /** Video delivered by completed generations, ms. */
  videoMs: number;
  /** Settled prices of completed generations, micro-USD. */
  chargedMicros: number;
  /** Reservations of queued and processing generations, micro-USD. */
  reservedMicros: number;
}

/** A job the reaper moved, named for its log line and counted by its kind. */
export interface ReapedJob {
  id: string;
  model: Model;
  type: GenerationType;
}

/** Where one model's jobs stand now. */
export interface QueueStat {
  model: Model;
  /** Rows in state `queued` (due or waiting out a retry backoff). */
  queued: number;
  /**
   * The smallest `runAfter` of its queued rows (the moment the longest-waiting one became claimable: its
   * admission, or the end of its retry backoff); null when none is queued. May lie in the future when
   * every queued row is backing off.
   */
  oldestRunAfter: number | null;
  /** Rows in state `processing` (held by a worker, in-process or remote). */
  processing: number;
}

/** What cancel() did: `canceled` it, or found it already `terminal`; `row` is the generation after the call. */
export interface CancelResult {
  outcome: 'canceled' | 'terminal';
  row: GenerationRow;
}

/** What an event announces: the state a generation entered, or (`progress`) a step of its rendering. */
export type GenerationEventKind = GenerationState | 'progress';

/**
 * One entry of the outbox. The database writes it in the transaction of the change it announces (a
 * trigger on `generations`), so a crash can never keep one without the other.
 */
export interface GenerationEvent {
  /** Increasing over the whole table; per generation, in the order the changes committed. */
  seq: number;
  generationId: string;
  clientId: string;
  kind: GenerationEventKind;
  /** The generation's progress (0..1) after the change. */
  progress: number;
  /** When the change happened (the row's updated_at). */
  at: number;
}

/** The event log of generations (read side; the triggers write it). */
export interface EventRepo {
  /** The generation's events with `seq > afterSeq`, oldest first, at most `limit`. */
  ofGeneration(generationId: string, afterSeq: number, limit: number): Promise<GenerationEvent[]>;
  /** The newest event's seq; 0 when there is none. */
  latestSeq(): Promise<number>;
  /**
   * Calls `onAppend` with the newest seq whenever events were appended: right after this Store's own
   * writes, and after other processes' within ~100 ms (PostgreSQL: LISTEN/NOTIFY, with a slow poll as a
   * safety net) or one poll interval (SQLite: a poll while anyone watches). Subscribe before reading, so
   * nothing appended in between is missed. Returns the unsubscribe function.
   */
  watch(onAppend: (latestSeq: number) => void): () => void;
  /** Deletes events older than `before`; returns the count. */
  sweep(before: number): Promise<number>;
}

/** Idempotency keys of `POST /v1/generations`; admit() writes them. */
export interface IdempotencyRepo {
  /** The client's record of `key` created at or after `liveSince`, or null. */
  find(clientId: string, key: string, liveSince: number): Promise<IdempotencyRecord | null>;
  /** Deletes the records of every client created before `before`; returns the count. */
  sweep(before: number): Promise<number>;
}

export interface ClientRepo {
  createClient(c: NewClient): Promise<ClientRecord>;
  getClient(id: string): Promise<ClientRecord | null>;
  findClientByName(name: string): Promise<ClientRecord | null>;
  listClients(): Promise<ClientRecord[]>;
  /**
   * Applies the patch in one statement; the client after it, or null when there is no such client, or
   * when `addBalanceMicros` meets an unmetered balance or would take it below zero (nothing is changed).
   */
  updateClient(id: string, patch: ClientPatch): Promise<ClientRecord | null>;
  createKey(k: Omit<KeyRecord, 'revokedAt'>): Promise<KeyRecord>;
  /** The key and its client, by hash; null when unknown. */
  findKeyByHash(hash: string): Promise<{ key: KeyRecord; client: ClientRecord } | null>;
  listKeys(): Promise<Array<KeyRecord & { clientName: string }>>;
  /** Revokes every live key whose prefix starts with `prefix`; returns the count. */
  revokeKeys(prefix: string, now: number): Promise<number>;
}

export interface RateRepo {
  /**
   * Sliding-window limiter (contract §4.3): drops hits older than now − windowMs, then records this hit
   * if fewer than `limit` remain. Atomic per client.
   */
  hit(clientId: string, now: number, windowMs: number, limit: number): Promise<RateHit>;
  /** Deletes hits older than `before` for every client (idle clients never prune their own). */
  prune(before: number): Promise<number>;
}

/** A remote worker's credential. Only its SHA-256 hash is stored; `prefix` identifies it in listings. */
export interface WorkerTokenRecord {
  id: string;
  /** Unique among live tokens; `worker-tokens revoke NAME` takes it. */
  name: string;
  prefix: string;
  hash: string;
  /** Models it may claim; null = every model. */
  models: Model[] | null;
  createdAt: number;
  revokedAt: number | null;
}

/** A remote worker process seen claiming or heartbeating. */
export interface SeenWorker {
  tokenId: string;
  tokenName: string;
  /** The process's own name (`--instance`, default host and pid). */
  instance: string;
  /** `model/type` kinds it asked for, after the token's and the routes' limits. */
  kinds: string[];
  lastSeenAt: number;
  /** Jobs it holds a lease on now. */
  running: number;
}

export interface WorkerRepo {
  /** Fails (unique violation) when a live token already has the name. */
  createToken(t: Omit<WorkerTokenRecord, 'revokedAt'>): Promise<WorkerTokenRecord>;
  findTokenByHash(hash: string): Promise<WorkerTokenRecord | null>;
  listTokens(): Promise<WorkerTokenRecord[]>;
  /** Revokes the live token of that name; false when there is none. */
  revokeToken(name: string, now: number): Promise<boolean>;
  /** Records that an instance called in. */
  seen(tokenId: string, instance: string, kinds: readonly string[], now: number): Promise<void>;
  /** Instances seen at or after `since`, by token name. */
  listSeen(since: number): Promise<SeenWorker[]>;
}

/** How a file's bytes arrive: in the POST itself (multipart) or by a presigned PUT (JSON mode). */
export type FileUploadMode = 'inline' | 'presigned';

/** A file of the Files API: its metadata, where its bytes are and how far ingest got. */
export interface FileRecord {
  id: string;
  clientId: string;
  createdAt: number;
  updatedAt: number;
  mimeType: FileMimeType;
  purpose: FilePurpose;
  /** `size_bytes` as the client declared it; null when a multipart upload left it out. */
  declaredSize: number | null;
  /** Size of the bytes ingest found; null until ingest read them. */
  storedSize: number | null;
  /** The stored state; a file past `expiresAt` answers `deleted` whatever this says. */
  state: FileState;
  deletedAt: number | null;
  expiresAt: number | null;
  failureReason: string | null;
  filename: string | null;
  userId: string | null;
  uploadMode: FileUploadMode;
  /** Where the bytes land before ingest (the inline stream, or the presigned PUT). */
  stagingKey: string;
  /** The verified copy, set when the file becomes `ready`. */
  blobKey: string | null;
  /** When the bytes arrived (inline) or `complete` was called (presigned); null = not yet. */
  completedAt: number | null;
  /** Ingest claims so far. */
  ingestAttempts: number;
  ingestOwner: string | null;
  ingestLeaseExpiresAt: number | null;
  /** When the janitor removed the bytes of a deleted or failed file. */
  purgedAt: number | null;
}

export interface NewFile {
  id: string;
  clientId: string;
  createdAt: number;
  mimeType: FileMimeType;
  purpose: FilePurpose;
  declaredSize: number | null;
  filename: string | null;
  userId: string | null;
  expiresAt: number | null;
  uploadMode: FileUploadMode;
  stagingKey: string;
  completedAt: number | null;
}

/** One page request of a client's files, newest first (keyset: strictly older than `after`). */
export interface FilePage {
  limit: number;
  purpose: FilePurpose | null;
  /** Filters on the state as it answers at `now` (an expired file is `deleted`). */
  state: FileState | null;
  after: ListCursor | null;
  now: number;
}

/** How an ingest ended. */
export type IngestOutcome =
  | { state: 'ready'; storedSize: number; blobKey: string }
  | { state: 'failed'; storedSize: number | null; reason: string };

/** What one janitor pass settled. */
export interface FileSettlement {
  /** Past `expires_at`, now `deleted`. */
  expired: number;
  /** Presigned files whose upload window closed without `complete`, now `failed`. */
  abandoned: number;
  /** Files whose ingest crashed `maxAttempts` times, now `failed`. */
  exhausted: number;
}

export interface FileRepo {
  create(f: NewFile): Promise<FileRecord>;
  /** The client's file (any state), or null when it is missing or another client's. */
  get(clientId: string, id: string): Promise<FileRecord | null>;
  /** At most `page.limit` of the client's files, newest first (created_at, then id, descending). */
  list(clientId: string, page: FilePage): Promise<FileRecord[]>;
  /** A pending presigned file whose bytes were not yet marked: records `now` as completion; false otherwise. */
  markCompleted(clientId: string, id: string, now: number): Promise<boolean>;
  /**
   * Takes the longest-waiting pending file whose bytes have arrived, that nobody holds a live lease on
   * and whose attempts are not spent: lease to `owner` until now + leaseMs, attempts + 1. Never hands one
   * file to two ingesters; a lease that lapses (a crash) lets the file be claimed again.
   */
  claimIngest(owner: string, now: number, leaseMs: number, maxAttempts: number): Promise<FileRecord | null>;
  /** pending → ready | failed, only for the lease holder and only while the file is still pending. */
  finishIngest(id: string, owner: string, outcome: IngestOutcome, now: number): Promise<boolean>;
  /** Soft delete: → `deleted` at `now` unless already deleted. The file after the call, or null if not the client's. */
  softDelete(clientId: string, id: string, now: number): Promise<FileRecord | null>;
  /**
   * Janitor: files past `expires_at` → deleted (deleted_at = expires_at); presigned files never completed
   * and created before `abandonedBefore` → failed; pending files with spent attempts and no live lease →
   * failed.
   */
  settle(now: number, abandonedBefore: number, maxAttempts: number): Promise<FileSettlement>;
  /** Deleted or failed files whose bytes are still kept and that reached that state before `before`. */
  listPurgeable(before: number, limit: number): Promise<FileRecord[]>;
  /** Records that the file's bytes are gone. */
  markPurged(id: string, now: number): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly files: FileRepo;
  readonly generations: GenerationRepo;
  readonly idempotency: IdempotencyRepo;
  readonly events: EventRepo;
  readonly clients: ClientRepo;
  readonly rate: RateRepo;
  readonly workers: WorkerRepo;
  readonly webhooks: WebhookRepo;
  /** Creates or upgrades the schema; safe to call on every start and from several processes. */
  migrate(): Promise<void>;
  /**
   * Checks that the database takes writes now (readiness, issue 12); throws with the cause when it does
   * not. SQLite: a new connection to the file takes and releases the write lock, waiting at most a
   * quarter second for it. PostgreSQL: a query that also refuses a standby in recovery (read-only).
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
