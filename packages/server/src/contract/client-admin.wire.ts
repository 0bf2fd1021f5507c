// The admin API's clients (issue 12, "Tenants"): `GET /v1/admin/clients`, `GET|PATCH
// /v1/admin/clients/{name}`. Wire types, the JSON Schema the HTTP layer serialises through, and the pure
// validator of a change, which `umbra clients set` goes through too, so the command line and the API
// cannot accept different things.
//
// Money is integer micro-USD (1 USD = 1 000 000), as everywhere in Umbra.
import { ApiError } from './api-error.js';
import type { ObjectSpec } from './field-table.js';
import { isObject } from './validate-json.js';

/** A client's state: `suspended` and `deactivated` clients are refused with 403 (contract §1.2, §4.2). */
export const CLIENT_STATUSES = ['active', 'suspended', 'deactivated'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** A client (account) as the admin API shows it. */
export interface AdminClient {
  /** The client's id. */
  id: string;
  /** Unique name; the admin routes and `umbra clients` address clients by it. */
  name: string;
  /** `active`, or refused with 403 (`suspended`, `deactivated`). */
  status: ClientStatus;
  /** Its keys may use the admin API. */
  admin: boolean;
  /** May request `video.hdr` (contract §7 item 5). */
  hdr_access: boolean;
  /** `POST /v1/generations` per sliding minute; null = unlimited. */
  rpm_limit: number | null;
  /** Generations queued or processing at once; null = unlimited. */
  concurrency_limit: number | null;
  /** Prepaid balance in micro-USD, from which every job reserves its price; null = unmetered. */
  balance_micros: number | null;
  /** ISO-8601 UTC, to the second. */
  created_at: string;
}

/** `GET /v1/admin/clients`: every client, oldest first. */
export interface AdminClientList {
  data: AdminClient[];
}

/**
 * The body of `PATCH /v1/admin/clients/{name}`: every member optional; what is absent is left alone. The
 * client library's `AdminClientUpdateParams` must fit it (`sdk-types.test.ts`).
 */
export interface AdminClientUpdateParams {
  status?: ClientStatus;
  admin?: boolean;
  hdr_access?: boolean;
  /** A positive integer, or null for unlimited. */
  rpm_limit?: number | null;
  /** A positive integer, or null for unlimited. */
  concurrency_limit?: number | null;
  /** Sets the balance (micro-USD, ≥ 0), or null for unmetered. Not with `add_balance_micros`. */
  balance_micros?: number | null;
  /**
   * Adds to a metered balance atomically (a top-up; negative to take away, never below zero). Not with
   * `balance_micros`.
   */
  add_balance_micros?: number;
}

/** A validated change, in the store's terms. */
export interface ClientChange {
  status?: ClientStatus;
  admin?: boolean;
  hdrAccess?: boolean;
  rpmLimit?: number | null;
  concurrencyLimit?: number | null;
  balanceMicros?: number | null;
  addBalanceMicros?: number;
}

const limitValue = { kind: 'integer', later: { minimum: 1 } } as const;

/**
 * The body of `PATCH /v1/admin/clients/{name}`: its members (unknown ones are refused) and what the document
 * states of them; the rules are in {@link parseClientChange}.
 */
export const CLIENT_UPDATE: ObjectSpec = {
  kind: 'object',
  name: 'AdminClientUpdateParams',
  doc: 'The body of PATCH /v1/admin/clients/{name}: every member optional; what is absent is left alone.',
  fields: [
    {
      name: 'status',
      value: { kind: 'enum', values: CLIENT_STATUSES },
      doc: 'active, suspended or deactivated.',
    },
    { name: 'admin', value: { kind: 'boolean' }, doc: 'Its keys may use the admin API.' },
    { name: 'hdr_access', value: { kind: 'boolean' }, doc: 'May request video.hdr.' },
    {
      name: 'rpm_limit',
      value: limitValue,
      nullable: true,
      doc: 'Requests per sliding minute; null = unlimited.',
    },
    {
      name: 'concurrency_limit',
      value: limitValue,
      nullable: true,
      doc: 'Generations queued or processing at once; null = unlimited.',
    },
    {
      name: 'balance_micros',
      value: { kind: 'integer', later: { minimum: 0 } },
      nullable: true,
      doc: 'Sets the balance, micro-USD (≥ 0); null = unmetered. Not with add_balance_micros.',
    },
    {
      name: 'add_balance_micros',
      value: { kind: 'integer' },
      doc: 'Adds to a metered balance atomically (negative to take away, never below zero).',
    },
  ],
};

const FIELDS = CLIENT_UPDATE.fields.map((f) => f.name);

const invalid = (detail: string): never => {
  throw new ApiError(422, detail);
};

const bool = (v: unknown, field: string): boolean =>
  typeof v === 'boolean' ? v : invalid(`${field}: must be true or false`);

/** A limit: a positive integer, or null (unlimited). */
const limit = (v: unknown, field: string): number | null =>
  v === null
    ? null
    : typeof v === 'number' && Number.isSafeInteger(v) && v >= 1
      ? v
      : invalid(`${field}: must be a positive integer, or null for unlimited`);

const micros = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * Validates a change. Field problems answer 422, in the Files API's manner; a body that is not a JSON object
 * 400. Unknown members are refused (422) rather than dropped: an operator's typo must not look like success.
 * @throws ApiError 400 | 422.
 */
export function parseClientChange(body: unknown): ClientChange {
  if (!isObject(body)) throw new ApiError(400, 'Request body must be a JSON object');
  const unknown = Object.keys(body).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) invalid(`unknown field '${unknown}'; valid: ${FIELDS.join(', ')}`);
  const c: ClientChange = {};
  if (body.status !== undefined) {
    c.status =
      CLIENT_STATUSES.find((s) => s === body.status) ??
      invalid(`status: must be one of: ${CLIENT_STATUSES.join(', ')}`);
  }
  if (body.admin !== undefined) c.admin = bool(body.admin, 'admin');
  if (body.hdr_access !== undefined) c.hdrAccess = bool(body.hdr_access, 'hdr_access');
  if (body.rpm_limit !== undefined) c.rpmLimit = limit(body.rpm_limit, 'rpm_limit');
  if (body.concurrency_limit !== undefined)
    c.concurrencyLimit = limit(body.concurrency_limit, 'concurrency_limit');
  if (body.balance_micros !== undefined) {
    const b = body.balance_micros;
    c.balanceMicros =
      b === null || (micros(b) && b >= 0)
        ? b
        : invalid('balance_micros: must be a whole number of micro-USD, 0 or more, or null for unmetered');
  }
  if (body.add_balance_micros !== undefined) {
    if (c.balanceMicros !== undefined)
      invalid('balance_micros and add_balance_micros cannot be given together');
    const a = body.add_balance_micros;
    c.addBalanceMicros = micros(a) ? a : invalid('add_balance_micros: must be a whole number of micro-USD');
  }
  return c;
}

const nullableInt = (description: string) => ({ type: ['integer', 'null'], description }) as const;

/** JSON Schema of {@link AdminClient}. */
export const adminClientSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'status',
    'admin',
    'hdr_access',
    'rpm_limit',
    'concurrency_limit',
    'balance_micros',
    'created_at',
  ],
  properties: {
    id: { type: 'string', description: 'Client id' },
    name: { type: 'string', description: 'Unique client name' },
    status: { type: 'string', enum: [...CLIENT_STATUSES], description: 'active, suspended or deactivated' },
    admin: { type: 'boolean', description: 'Its keys may use the admin API' },
    hdr_access: { type: 'boolean', description: 'May request video.hdr' },
    rpm_limit: nullableInt('Requests per sliding minute; null = unlimited'),
    concurrency_limit: nullableInt('Generations queued or processing at once; null = unlimited'),
    balance_micros: nullableInt('Prepaid balance, micro-USD; null = unmetered'),
    created_at: { type: 'string', description: 'ISO-8601 UTC' },
  },
} as const;

/** JSON Schema of {@link AdminClientList}. */
export const adminClientListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'array', items: adminClientSchema } },
} as const;
