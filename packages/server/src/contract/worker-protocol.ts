// The remote worker protocol's wire shapes (docs/worker-protocol.md), shared by the worker routes and the
// HTTP job source. Pure: types, constants and body parsers.
import { ApiError } from './api-error.js';
import type { FieldSpec, ObjectSpec } from './field-table.js';
import type { FailureCode, GenerationRequest, GenerationType, Model } from './wire.js';
import { FAILURE_CODES, GENERATION_TYPES, MODELS } from './wire.js';

/** Sent as `protocol` in every claim and answered in the `Umbra-Worker-Protocol` header. */
export const WORKER_PROTOCOL = 1;
export const PROTOCOL_HEADER = 'umbra-worker-protocol';
/** Longest and default claim wait. */
export const MAX_WAIT_SECONDS = 25;
export const DEFAULT_WAIT_SECONDS = 20;
/**
 * Heartbeats come at least this often whatever the lease: they carry the progress (issue 11: it moves at
 * least every half-second of rendering) and are how a worker learns that its job was canceled.
 */
export const MAX_HEARTBEAT_MS = 500;
/** How often to heartbeat a job leased for `leaseMs`: a third of the lease, and at most MAX_HEARTBEAT_MS. */
export const heartbeatEveryMs = (leaseMs: number): number =>
  Math.max(50, Math.min(MAX_HEARTBEAT_MS, Math.floor(leaseMs / 3)));
/** Instance names: `umbra workers` shows them. */
export const INSTANCE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export interface WireJobInput {
  slot: string;
  media_type: string;
  generation_id: string | null;
  /** Signed GET, short-lived. */
  url: string;
}

export interface WireJobOutput {
  type: 'image' | 'video' | 'exr';
  content_type: string;
  /** The output's pixel size when the request fixes it; null when it follows an input. */
  width: number | null;
  height: number | null;
  method: 'PUT';
  /** Where to PUT the bytes: this server's signed upload route, or a presigned bucket URL. */
  url: string;
  /** Headers the PUT must carry exactly as given (Content-Type; a signature may cover them). */
  headers: Record<string, string>;
}

export interface WireJob {
  id: string;
  attempt: number;
  /** Opaque; sent back with `attempt` on every later call of this attempt. */
  lease: string;
  lease_ms: number;
  /** Heartbeat this often (ms): the progress travels with it, and a 409 answer means stop (e.g. canceled). */
  heartbeat_ms: number;
  model: Model;
  type: GenerationType;
  request: GenerationRequest;
  inputs: WireJobInput[];
  outputs: WireJobOutput[];
  max_upload_bytes: number;
}

export interface ClaimBody {
  instance: string;
  models: Model[] | null;
  types: GenerationType[] | null;
  waitSeconds: number;
}

export interface LeaseBody {
  attempt: number;
  lease: string;
}

export interface CompleteBody extends LeaseBody {
  /**
   * `source_seconds`: the source video's length as the worker measured it, for an edit or a reframe, which
   * are charged by it (issue 12); null when not sent (the reservation, priced at the longest source, stands).
   */
  sourceSeconds: number | null;
}

export interface HeartbeatBody extends LeaseBody {
  progress: number;
}

export interface FailBody extends LeaseBody {
  code: FailureCode;
  reason: string | null;
  retryable: boolean;
}

export interface ReleaseBody extends LeaseBody {
  /** `delay_ms`: how long the job waits in the queue before it may be claimed again. Default 0. */
  delayMs: number;
}

/** Longest `delay_ms` a release may ask for (10 minutes). */
export const MAX_RELEASE_DELAY_MS = 600_000;

const bad = (detail: string): ApiError => new ApiError(400, detail);

const object = (body: unknown): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('Request body must be a JSON object');
  return body as Record<string, unknown>;
};

function list<T extends string>(v: unknown, name: string, allowed: readonly T[]): T[] | null {
  if (v === undefined || v === null) return null;
  if (
    !Array.isArray(v) ||
    v.some((x) => typeof x !== 'string' || !(allowed as readonly string[]).includes(x))
  )
    throw bad(`${name}: must be a list of: ${allowed.join(', ')}`);
  return v as T[];
}

export function parseClaimBody(body: unknown): ClaimBody {
  const b = object(body);
  if (b.protocol !== WORKER_PROTOCOL)
    throw bad(
      `protocol: this server speaks worker protocol ${WORKER_PROTOCOL}, got ${JSON.stringify(b.protocol)}`,
    );
  if (typeof b.instance !== 'string' || !INSTANCE_NAME.test(b.instance))
    throw bad('instance: must be 1-64 letters, digits, dots, dashes or underscores');
  const wait = b.wait_seconds ?? DEFAULT_WAIT_SECONDS;
  if (typeof wait !== 'number' || !(wait >= 0 && wait <= MAX_WAIT_SECONDS))
    throw bad(`wait_seconds: must be a number from 0 to ${MAX_WAIT_SECONDS}`);
  return {
    instance: b.instance,
    models: list(b.models, 'models', MODELS),
    types: list(b.types, 'types', GENERATION_TYPES),
    waitSeconds: wait,
  };
}

function lease(b: Record<string, unknown>): LeaseBody {
  if (typeof b.attempt !== 'number' || !Number.isInteger(b.attempt) || b.attempt < 1)
    throw bad('attempt: must be a positive integer');
  if (typeof b.lease !== 'string' || b.lease.length === 0 || b.lease.length > 300)
    throw bad('lease: must be the lease string of the claim');
  return { attempt: b.attempt, lease: b.lease };
}

/** Largest `source_seconds` a worker may report (a day; real sources are refused past 30 s). */
export const MAX_REPORTED_SOURCE_SECONDS = 86_400;

export function parseCompleteBody(body: unknown): CompleteBody {
  const b = object(body);
  const s = b.source_seconds ?? null;
  if (s !== null && (typeof s !== 'number' || !(s >= 0 && s <= MAX_REPORTED_SOURCE_SECONDS)))
    throw bad(`source_seconds: must be a number of seconds from 0 to ${MAX_REPORTED_SOURCE_SECONDS}`);
  return { ...lease(b), sourceSeconds: s };
}

export function parseHeartbeatBody(body: unknown): HeartbeatBody {
  const b = object(body);
  const p = b.progress ?? 0;
  if (typeof p !== 'number' || !Number.isFinite(p)) throw bad('progress: must be a number from 0 to 1');
  return { ...lease(b), progress: Math.min(1, Math.max(0, p)) };
}

export function parseFailBody(body: unknown): FailBody {
  const b = object(body);
  const code = FAILURE_CODES.find((c) => c === b.failure_code);
  if (code === undefined) throw bad(`failure_code: must be one of: ${FAILURE_CODES.join(', ')}`);
  const reason = b.failure_reason ?? null;
  if (reason !== null && (typeof reason !== 'string' || reason.length > 2000))
    throw bad('failure_reason: must be a string of at most 2000 characters');
  const retryable = b.retryable ?? false;
  if (typeof retryable !== 'boolean') throw bad('retryable: must be a boolean');
  return { ...lease(b), code, reason, retryable };
}

export function parseReleaseBody(body: unknown): ReleaseBody {
  const b = object(body);
  const delay = b.delay_ms ?? 0;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_RELEASE_DELAY_MS)
    throw bad(`delay_ms: must be an integer from 0 to ${MAX_RELEASE_DELAY_MS}`);
  return { ...lease(b), delayMs: delay };
}

const leaseFields: readonly FieldSpec[] = [
  {
    name: 'attempt',
    value: { kind: 'integer', later: { minimum: 1 } },
    required: true,
    doc: 'The attempt number of the claim.',
  },
  { name: 'lease', value: { kind: 'string' }, required: true, doc: 'The lease string of the claim.' },
];

/** The bodies of the worker routes: what the document states; the rules are the parsers above. */
export const WORKER_BODIES = {
  claim: {
    kind: 'object',
    name: 'WorkerClaimParams',
    doc: 'The body of POST /v1/worker/claim: which jobs this worker takes, and how long to wait for one.',
    fields: [
      {
        name: 'protocol',
        value: { kind: 'integer', later: { minimum: WORKER_PROTOCOL, maximum: WORKER_PROTOCOL } },
        required: true,
        doc: `The worker protocol spoken: ${WORKER_PROTOCOL}.`,
      },
      {
        name: 'instance',
        value: { kind: 'string', later: { minLength: 1, maxLength: 64 } },
        required: true,
        doc: 'This worker process: 1-64 letters, digits, dots, dashes or underscores.',
      },
      {
        name: 'models',
        value: { kind: 'array', items: { kind: 'enum', values: MODELS } },
        nullable: true,
        doc: 'Only jobs of these models; null = any the token allows.',
      },
      {
        name: 'types',
        value: { kind: 'array', items: { kind: 'enum', values: GENERATION_TYPES } },
        nullable: true,
        doc: 'Only jobs of these types; null = any.',
      },
      {
        name: 'wait_seconds',
        value: { kind: 'number', minimum: 0, maximum: MAX_WAIT_SECONDS },
        nullable: true,
        default: DEFAULT_WAIT_SECONDS,
        doc: 'How long to hold the request open for a job (long poll); 204 when none came.',
      },
    ],
  },
  heartbeat: {
    kind: 'object',
    name: 'WorkerHeartbeatParams',
    doc: 'The body of a heartbeat: keeps the lease and reports progress. 409 means stop (lost or canceled).',
    fields: [
      ...leaseFields,
      {
        name: 'progress',
        value: { kind: 'number', minimum: 0, maximum: 1 },
        nullable: true,
        default: 0,
        doc: 'Fraction rendered, 0 to 1 (clamped).',
      },
    ],
  },
  complete: {
    kind: 'object',
    name: 'WorkerCompleteParams',
    doc: 'The body of a completion, after every output was PUT.',
    fields: [
      ...leaseFields,
      {
        name: 'source_seconds',
        value: { kind: 'number', minimum: 0, maximum: MAX_REPORTED_SOURCE_SECONDS },
        nullable: true,
        doc: "The source video's measured length (edits and reframes are charged by it).",
      },
    ],
  },
  fail: {
    kind: 'object',
    name: 'WorkerFailParams',
    doc: 'The body of a failure.',
    fields: [
      ...leaseFields,
      {
        name: 'failure_code',
        value: { kind: 'enum', values: FAILURE_CODES },
        required: true,
        doc: 'The failure code the generation ends with.',
      },
      {
        name: 'failure_reason',
        value: { kind: 'string', later: { maxLength: 2000 } },
        nullable: true,
        doc: 'Human-readable reason, at most 2000 characters.',
      },
      {
        name: 'retryable',
        value: { kind: 'boolean' },
        nullable: true,
        default: false,
        doc: 'Put the job back in the queue (within its attempts) instead of failing it.',
      },
    ],
  },
  release: {
    kind: 'object',
    name: 'WorkerReleaseParams',
    doc: 'The body of a release: hands the job back to the queue untouched.',
    fields: [
      ...leaseFields,
      {
        name: 'delay_ms',
        value: { kind: 'integer', later: { minimum: 0, maximum: MAX_RELEASE_DELAY_MS } },
        nullable: true,
        default: 0,
        doc: 'How long the job waits before it may be claimed again.',
      },
    ],
  },
} as const satisfies Record<string, ObjectSpec>;
