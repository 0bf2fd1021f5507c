// Every route the server registers, as the OpenAPI document describes it: method, path, who may call it,
// its parameters, its request body (the field tables that validate it) and its answers (the JSON Schemas
// that serialise them). The errors come from error-catalogue.ts. Adding a route to http/ means adding it
// here; a test fails until both agree. Pure data.
import type { JsonSchema, ObjectSpec } from '../field-table.js';
import { adminClientListSchema, adminClientSchema, CLIENT_UPDATE } from '../client-admin.wire.js';
import { createFileResponseSchema, fileListSchema, fileSchema } from '../file.schema.js';
import { FILE_PURPOSES, FILE_STATES, INLINE_MAX_BYTES } from '../file.wire.js';
import { generationListSchema, generationSchema } from '../generation.schema.js';
import { GENERATION_CREATE } from '../generation-request.fields.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency.js';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '../list-query.js';
import {
  GENERATION_STREAM_EVENT_TYPES,
  LAST_EVENT_ID_HEADER,
  LAST_EVENT_ID_QUERY,
  PROGRESS_HEADER,
  QUEUE_POSITION_HEADER,
} from '../live-progress.js';
import { USAGE_DEFAULT_DAYS } from '../validate-usage.js';
import { FILE_CREATE } from '../validate-file.js';
import { WEBHOOK_ENDPOINT_CREATE } from '../validate-webhook.js';
import { USAGE_GROUPS, usageReportSchema } from '../usage.wire.js';
import {
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  createdWebhookEndpointSchema,
} from '../webhook.schema.js';
import { WEBHOOK_DELIVERY_STATES } from '../webhook.wire.js';
import { FAILURE_CODES, GENERATION_TYPES, MODELS, STATES } from '../wire.js';
import { PROTOCOL_HEADER, WORKER_BODIES } from '../worker-protocol.js';
import { REQUEST_EXAMPLES, type RequestExample } from './request-examples.js';

/** Who may call a route. */
export type Auth =
  /** `Authorization: Bearer luma-api-…`, any client. */
  | 'apiKey'
  /** An API key of an admin client. */
  | 'adminKey'
  /** `Authorization: Bearer umbra-wkr-…`, a worker token. */
  | 'workerToken'
  /** A signed URL (`expires` + `signature` in the query). */
  | 'signedUrl'
  | 'none';

/** The groups of the reference page. */
export const TAGS = [
  { name: 'Generations', description: 'The hosted API: submit and poll generations.' },
  { name: 'Files', description: 'The hosted Files API: upload once, reference by `file_id`.' },
  {
    name: 'Umbra: generations',
    description: "Umbra's own routes for generations: list, cancel, live events.",
  },
  { name: 'Umbra: webhooks', description: 'Umbra only: webhook endpoints and their deliveries.' },
  { name: 'Umbra: usage and admin', description: 'Umbra only: usage figures and the admin API.' },
  { name: 'Umbra: workers', description: 'Umbra only: the remote worker protocol (worker tokens).' },
  {
    name: 'Umbra: operations',
    description: 'Umbra only: health, readiness, metrics, stored media, this reference.',
  },
] as const;
export type Tag = (typeof TAGS)[number]['name'];

export interface Param {
  /** Umbra's own parameter on a route of the hosted API. */
  extension?: boolean;
  name: string;
  in: 'path' | 'query' | 'header';
  doc: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface RequestBody {
  contentType: string;
  /** A field table (the validator's), or a JSON Schema for non-JSON bodies. */
  schema: ObjectSpec | JsonSchema;
  /** Bodies that succeed as they are; each is sent to a real server by a test. */
  examples?: readonly RequestExample[];
}

export interface Answer {
  status: number;
  doc: string;
  /** The JSON Schema that serialises it (application/json unless `contentType`). */
  schema?: object;
  contentType?: string;
  /** Response headers: name → description (or, for Umbra's own headers on hosted routes, {@link umbraHeader}). */
  headers?: Readonly<Record<string, string | UmbraHeader>>;
}

export interface Operation {
  id: string;
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI form: `/v1/generations/{id}`. */
  path: string;
  tag: Tag;
  summary: string;
  doc?: string;
  /** Not in the hosted API: Umbra's own. */
  extension: boolean;
  auth: Auth;
  params?: readonly Param[];
  body?: readonly RequestBody[];
  answers: readonly Answer[];
}

/** A response header the hosted API does not send. */
export interface UmbraHeader {
  doc: string;
  extension: true;
}
const umbraHeader = (doc: string): UmbraHeader => ({ doc, extension: true });

const idParam = (what: string): Param => ({
  name: 'id',
  in: 'path',
  required: true,
  doc: `The ${what}'s id. An unknown, malformed or another client's id answers 404 alike.`,
  schema: { type: 'string' },
});

const listParams = (filters: readonly Param[]): Param[] => [
  {
    name: 'limit',
    in: 'query',
    doc: `Page size, 1–${LIST_MAX_LIMIT}; default ${LIST_DEFAULT_LIMIT}.`,
    schema: { type: 'integer', minimum: 1, maximum: LIST_MAX_LIMIT, default: LIST_DEFAULT_LIMIT },
  },
  {
    name: 'cursor',
    in: 'query',
    doc: 'The `next_cursor` of the previous page; absent = from the newest.',
    schema: { type: 'string' },
  },
  ...filters,
];

const enumQuery = (name: string, values: readonly string[], doc: string): Param => ({
  name,
  in: 'query',
  doc,
  schema: { type: 'string', enum: [...values] },
});

const usageParams: readonly Param[] = [
  {
    name: 'start',
    in: 'query',
    doc: `Window start, inclusive: a date (2026-04-01, midnight UTC) or a date-time with a zone. Default: ${USAGE_DEFAULT_DAYS} days before end.`,
    schema: { type: 'string' },
  },
  {
    name: 'end',
    in: 'query',
    doc: 'Window end, exclusive, in the same forms. Default: now.',
    schema: { type: 'string' },
  },
  enumQuery('group_by', USAGE_GROUPS, 'Split the figures by model, type, user_id or UTC day.'),
  {
    name: 'user_id',
    in: 'query',
    doc: 'Only generations created with this user_id.',
    schema: { type: 'string' },
  },
];

const RATE_HEADERS = {
  'x-ratelimit-limit': 'Requests allowed per sliding minute.',
  'x-ratelimit-remaining': 'Requests left in the window after this one.',
  'x-ratelimit-reset': 'Unix seconds when the current requests begin to age out.',
} as const;

const nameParam: Param = {
  name: 'name',
  in: 'path',
  required: true,
  doc: "The client's unique name.",
  schema: { type: 'string' },
};

const workerJobParam: Param = {
  name: 'id',
  in: 'path',
  required: true,
  doc: 'The job (generation) id of the claim.',
  schema: { type: 'string', format: 'uuid' },
};

const json = (spec: ObjectSpec, examples?: readonly RequestExample[]): RequestBody =>
  examples === undefined
    ? { contentType: 'application/json', schema: spec }
    : { contentType: 'application/json', schema: spec, examples };

const workerState = (states: readonly string[]): JsonSchema => ({
  type: 'object',
  required: ['state'],
  properties: { state: { type: 'string', enum: [...states] } },
});

const workerRoute = (
  id: string,
  action: 'heartbeat' | 'complete' | 'fail' | 'release',
  summary: string,
  answer: JsonSchema,
): Operation => ({
  id,
  method: 'post',
  path: `/v1/worker/jobs/{id}/${action}`,
  tag: 'Umbra: workers',
  summary,
  extension: true,
  auth: 'workerToken',
  params: [workerJobParam],
  body: [json(WORKER_BODIES[action])],
  answers: [{ status: 200, doc: 'Accepted.', schema: answer }],
});

export const OPERATIONS: readonly Operation[] = [
  {
    id: 'createGeneration',
    method: 'post',
    path: '/v1/generations',
    tag: 'Generations',
    summary: 'Submit a generation',
    doc: 'Validates the request, takes a rate-limit slot and reserves its price, then queues it. Never blocks on the generation itself.',
    extension: false,
    auth: 'apiKey',
    params: [
      {
        name: IDEMPOTENCY_KEY_HEADER,
        in: 'header',
        extension: true,
        doc: 'Umbra extension: a retried request with the same key (and body) answers the first generation instead of a new one, for 24 hours.',
        schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX, pattern: '^[\\x20-\\x7e]+$' },
      },
      {
        name: 'x-umbra-fail',
        in: 'header',
        extension: true,
        doc: 'Umbra extension, emulator mode only (UMBRA_EMULATOR): the job ends failed with this failure code.',
        schema: { type: 'string', enum: [...FAILURE_CODES] },
      },
    ],
    body: [json(GENERATION_CREATE, REQUEST_EXAMPLES.createGeneration)],
    answers: [
      {
        status: 201,
        doc: 'Queued.',
        schema: generationSchema,
        headers: {
          ...RATE_HEADERS,
          [IDEMPOTENT_REPLAYED_HEADER]: umbraHeader(
            'Umbra extension: `true` when an earlier answer was replayed.',
          ),
        },
      },
    ],
  },
  {
    id: 'getGeneration',
    method: 'get',
    path: '/v1/generations/{id}',
    tag: 'Generations',
    summary: 'Get a generation',
    doc: 'Output URLs are freshly signed on every call and valid for one hour.',
    extension: false,
    auth: 'apiKey',
    params: [idParam('generation')],
    answers: [
      {
        status: 200,
        doc: 'The generation now.',
        schema: generationSchema,
        headers: {
          [PROGRESS_HEADER]: umbraHeader('Umbra extension: progress, 0 to 1.'),
          [QUEUE_POSITION_HEADER]: umbraHeader(
            "Umbra extension: while queued, the place in its model's queue, from 1.",
          ),
        },
      },
    ],
  },
  {
    id: 'listGenerations',
    method: 'get',
    path: '/v1/generations',
    tag: 'Umbra: generations',
    summary: 'List generations',
    doc: "The client's generations, newest first, keyset-paginated.",
    extension: true,
    auth: 'apiKey',
    params: listParams([
      enumQuery('state', STATES, 'Only generations in this state.'),
      enumQuery('type', GENERATION_TYPES, 'Only generations of this type.'),
      enumQuery('model', MODELS, 'Only generations of this model.'),
    ]),
    answers: [{ status: 200, doc: 'A page.', schema: generationListSchema }],
  },
  {
    id: 'cancelGeneration',
    method: 'post',
    path: '/v1/generations/{id}/cancel',
    tag: 'Umbra: generations',
    summary: 'Cancel a generation',
    doc: 'A queued or processing generation ends `failed` (`generation_failed`, reason `Canceled by the client`) and its reservation is refunded.',
    extension: true,
    auth: 'apiKey',
    params: [idParam('generation')],
    answers: [
      { status: 200, doc: 'Canceled: the generation as GET now answers it.', schema: generationSchema },
    ],
  },
  {
    id: 'streamGenerationEvents',
    method: 'get',
    path: '/v1/generations/{id}/events',
    tag: 'Umbra: generations',
    summary: 'Stream a generation’s events',
    doc: `A server-sent event stream of state changes and progress steps (${GENERATION_STREAM_EVENT_TYPES.join(', ')}) until the terminal event. Resume with Last-Event-ID.`,
    extension: true,
    auth: 'apiKey',
    params: [
      idParam('generation'),
      {
        name: LAST_EVENT_ID_HEADER,
        in: 'header',
        doc: 'Resume after this event id.',
        schema: { type: 'string', pattern: '^\\d{1,15}$' },
      },
      {
        name: LAST_EVENT_ID_QUERY,
        in: 'query',
        doc: 'The same as Last-Event-ID, for clients that cannot set headers.',
        schema: { type: 'string', pattern: '^\\d{1,15}$' },
      },
    ],
    answers: [
      {
        status: 200,
        doc: 'The event stream: frames with `id:`, `event:` (the type) and `data:` (JSON).',
        contentType: 'text/event-stream',
        schema: { type: 'string' },
      },
      { status: 204, doc: 'Ended, and every event seen: nothing more to stream.' },
    ],
  },
  {
    id: 'createFile',
    method: 'post',
    path: '/v1/files',
    tag: 'Files',
    summary: 'Create a file',
    doc: `JSON: answers a presigned PUT URL (then call complete). multipart/form-data: the bytes inline (at most ${INLINE_MAX_BYTES} bytes), \`upload\` is null.`,
    extension: false,
    auth: 'apiKey',
    body: [
      json(FILE_CREATE, REQUEST_EXAMPLES.createFile),
      {
        contentType: 'multipart/form-data',
        schema: {
          type: 'object',
          required: ['file', 'mime_type'],
          properties: {
            file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The bytes.' },
            mime_type: { type: 'string', description: 'Type of the bytes.' },
            size_bytes: { type: 'string', description: 'Optional; checked against the bytes at ingest.' },
            purpose: { type: 'string', enum: [...FILE_PURPOSES] },
            filename: { type: 'string' },
            user_id: { type: 'string' },
            expires_at: { type: 'string', format: 'date-time' },
          },
        },
      },
    ],
    answers: [{ status: 201, doc: 'Created.', schema: createFileResponseSchema }],
  },
  {
    id: 'listFiles',
    method: 'get',
    path: '/v1/files',
    tag: 'Files',
    summary: 'List files',
    extension: false,
    auth: 'apiKey',
    params: listParams([
      enumQuery('purpose', FILE_PURPOSES, 'Only files of this purpose.'),
      enumQuery('state', FILE_STATES, 'Only files in this state.'),
    ]),
    answers: [{ status: 200, doc: 'A page, newest first.', schema: fileListSchema }],
  },
  {
    id: 'getFile',
    method: 'get',
    path: '/v1/files/{id}',
    tag: 'Files',
    summary: 'Get a file',
    extension: false,
    auth: 'apiKey',
    params: [idParam('file')],
    answers: [{ status: 200, doc: 'The file.', schema: fileSchema }],
  },
  {
    id: 'completeFile',
    method: 'post',
    path: '/v1/files/{id}/complete',
    tag: 'Files',
    summary: 'Complete a presigned upload',
    doc: 'Starts ingest once the bytes were PUT; `ready` or `failed` follows asynchronously.',
    extension: false,
    auth: 'apiKey',
    params: [idParam('file')],
    answers: [{ status: 200, doc: 'The file.', schema: fileSchema }],
  },
  {
    id: 'deleteFile',
    method: 'delete',
    path: '/v1/files/{id}',
    tag: 'Files',
    summary: 'Delete a file',
    doc: 'A soft delete: the file can no longer be referenced.',
    extension: false,
    auth: 'apiKey',
    params: [idParam('file')],
    answers: [{ status: 204, doc: 'Deleted.' }],
  },
  {
    id: 'createWebhookEndpoint',
    method: 'post',
    path: '/v1/webhook_endpoints',
    tag: 'Umbra: webhooks',
    summary: 'Create a webhook endpoint',
    doc: 'Deliveries are signed (Standard Webhooks) with the secret shown only in this answer.',
    extension: true,
    auth: 'apiKey',
    body: [json(WEBHOOK_ENDPOINT_CREATE, REQUEST_EXAMPLES.createWebhookEndpoint)],
    answers: [{ status: 201, doc: 'Created.', schema: createdWebhookEndpointSchema }],
  },
  {
    id: 'listWebhookEndpoints',
    method: 'get',
    path: '/v1/webhook_endpoints',
    tag: 'Umbra: webhooks',
    summary: 'List webhook endpoints',
    extension: true,
    auth: 'apiKey',
    params: listParams([]),
    answers: [{ status: 200, doc: 'A page, newest first.', schema: webhookEndpointListSchema }],
  },
  {
    id: 'getWebhookEndpoint',
    method: 'get',
    path: '/v1/webhook_endpoints/{id}',
    tag: 'Umbra: webhooks',
    summary: 'Get a webhook endpoint',
    extension: true,
    auth: 'apiKey',
    params: [idParam('endpoint')],
    answers: [{ status: 200, doc: 'The endpoint.', schema: webhookEndpointSchema }],
  },
  {
    id: 'deleteWebhookEndpoint',
    method: 'delete',
    path: '/v1/webhook_endpoints/{id}',
    tag: 'Umbra: webhooks',
    summary: 'Delete a webhook endpoint',
    extension: true,
    auth: 'apiKey',
    params: [idParam('endpoint')],
    answers: [{ status: 204, doc: 'Deleted.' }],
  },
  {
    id: 'listWebhookDeliveries',
    method: 'get',
    path: '/v1/webhook_endpoints/{id}/deliveries',
    tag: 'Umbra: webhooks',
    summary: 'List an endpoint’s deliveries',
    extension: true,
    auth: 'apiKey',
    params: [
      idParam('endpoint'),
      ...listParams([enumQuery('state', WEBHOOK_DELIVERY_STATES, 'Only deliveries in this state.')]),
    ],
    answers: [{ status: 200, doc: 'A page, newest first.', schema: webhookDeliveryListSchema }],
  },
  {
    id: 'retryWebhookDelivery',
    method: 'post',
    path: '/v1/webhook_endpoints/{id}/deliveries/{delivery_id}/retry',
    tag: 'Umbra: webhooks',
    summary: 'Retry a delivery now',
    extension: true,
    auth: 'apiKey',
    params: [
      idParam('endpoint'),
      {
        name: 'delivery_id',
        in: 'path',
        required: true,
        doc: 'The delivery id (`msg_…`).',
        schema: { type: 'string' },
      },
    ],
    answers: [{ status: 202, doc: 'Queued for an attempt now.', schema: webhookDeliverySchema }],
  },
  {
    id: 'getUsage',
    method: 'get',
    path: '/v1/usage',
    tag: 'Umbra: usage and admin',
    summary: 'Usage of the caller’s client',
    extension: true,
    auth: 'apiKey',
    params: usageParams,
    answers: [{ status: 200, doc: 'Figures of the window.', schema: usageReportSchema }],
  },
  {
    id: 'listClients',
    method: 'get',
    path: '/v1/admin/clients',
    tag: 'Umbra: usage and admin',
    summary: 'List clients',
    extension: true,
    auth: 'adminKey',
    answers: [{ status: 200, doc: 'Every client, oldest first.', schema: adminClientListSchema }],
  },
  {
    id: 'getClient',
    method: 'get',
    path: '/v1/admin/clients/{name}',
    tag: 'Umbra: usage and admin',
    summary: 'Get a client',
    extension: true,
    auth: 'adminKey',
    params: [nameParam],
    answers: [{ status: 200, doc: 'The client.', schema: adminClientSchema }],
  },
  {
    id: 'updateClient',
    method: 'patch',
    path: '/v1/admin/clients/{name}',
    tag: 'Umbra: usage and admin',
    summary: 'Change a client',
    doc: 'Status, admin access, HDR access, limits and balance. Unknown members are refused.',
    extension: true,
    auth: 'adminKey',
    params: [nameParam],
    body: [json(CLIENT_UPDATE, REQUEST_EXAMPLES.updateClient)],
    answers: [{ status: 200, doc: 'The client after the change.', schema: adminClientSchema }],
  },
  {
    id: 'getClientUsage',
    method: 'get',
    path: '/v1/admin/clients/{name}/usage',
    tag: 'Umbra: usage and admin',
    summary: 'Usage of any client',
    extension: true,
    auth: 'adminKey',
    params: [nameParam, ...usageParams],
    answers: [{ status: 200, doc: 'Figures of the window.', schema: usageReportSchema }],
  },
  {
    id: 'claimJob',
    method: 'post',
    path: '/v1/worker/claim',
    tag: 'Umbra: workers',
    summary: 'Claim a job',
    doc: `A long poll: answers a leased job, or 204 when none came within wait_seconds. Every answer carries the ${PROTOCOL_HEADER} header.`,
    extension: true,
    auth: 'workerToken',
    body: [json(WORKER_BODIES.claim, REQUEST_EXAMPLES.claimJob)],
    answers: [
      {
        status: 200,
        doc: 'A job: its request, signed input URLs, upload URLs for each output, the lease.',
        schema: {
          type: 'object',
          required: ['job'],
          properties: { job: { type: 'object', description: 'The leased job (see the worker protocol).' } },
        },
      },
      { status: 204, doc: 'No job within the wait.' },
    ],
  },
  workerRoute('heartbeatJob', 'heartbeat', 'Heartbeat a job', {
    type: 'object',
    required: ['lease_expires_at'],
    properties: { lease_expires_at: { type: 'integer', description: 'Epoch milliseconds.' } },
  }),
  workerRoute('completeJob', 'complete', 'Complete a job', workerState(['completed'])),
  workerRoute('failJob', 'fail', 'Fail a job', workerState(['failed', 'queued'])),
  workerRoute('releaseJob', 'release', 'Release a job', workerState(['queued'])),
  {
    id: 'healthz',
    method: 'get',
    path: '/healthz',
    tag: 'Umbra: operations',
    summary: 'Liveness',
    extension: true,
    auth: 'none',
    answers: [
      {
        status: 200,
        doc: 'The process lives.',
        schema: { type: 'object', required: ['ok'], properties: { ok: { const: true } } },
      },
    ],
  },
  {
    id: 'readyz',
    method: 'get',
    path: '/readyz',
    tag: 'Umbra: operations',
    summary: 'Readiness',
    doc: 'Every part the process needs is usable (database, storage, …). Never cached.',
    extension: true,
    auth: 'none',
    answers: [
      {
        status: 200,
        doc: 'Ready.',
        schema: {
          type: 'object',
          required: ['ok', 'checks'],
          properties: { ok: { const: true }, checks: { type: 'object' } },
        },
      },
      {
        status: 503,
        doc: 'A part is down: `detail` names it.',
        schema: {
          type: 'object',
          required: ['detail', 'checks'],
          properties: { detail: { type: 'string' }, checks: { type: 'object' } },
        },
      },
    ],
  },
  {
    id: 'metrics',
    method: 'get',
    path: '/metrics',
    tag: 'Umbra: operations',
    summary: 'Prometheus metrics',
    doc: 'Served here unless UMBRA_METRICS_PORT gives it a port of its own.',
    extension: true,
    auth: 'none',
    answers: [
      {
        status: 200,
        doc: 'The Prometheus text exposition.',
        contentType: 'text/plain',
        schema: { type: 'string' },
      },
    ],
  },
  {
    id: 'getStoredFile',
    method: 'get',
    path: '/files/{key}',
    tag: 'Umbra: operations',
    summary: 'Download stored media (signed URL)',
    doc: 'With the disk store, output and input URLs point here. Honours Range.',
    extension: true,
    auth: 'signedUrl',
    params: [
      {
        name: 'key',
        in: 'path',
        required: true,
        doc: 'The object key (may contain slashes).',
        schema: { type: 'string' },
      },
      { name: 'expires', in: 'query', required: true, doc: 'Unix seconds.', schema: { type: 'string' } },
      {
        name: 'signature',
        in: 'query',
        required: true,
        doc: 'HMAC of key and expiry.',
        schema: { type: 'string' },
      },
    ],
    answers: [
      { status: 200, doc: 'The bytes.', contentType: 'application/octet-stream', schema: { type: 'string' } },
      {
        status: 206,
        doc: 'A range of the bytes.',
        contentType: 'application/octet-stream',
        schema: { type: 'string' },
      },
    ],
  },
  {
    id: 'putUpload',
    method: 'put',
    path: '/uploads/{key}',
    tag: 'Umbra: operations',
    summary: 'Upload bytes to a signed URL',
    doc: 'With the disk store, presigned uploads (files, remote worker outputs) point here: PUT the raw bytes with the headers given alongside the URL.',
    extension: true,
    auth: 'signedUrl',
    params: [
      {
        name: 'key',
        in: 'path',
        required: true,
        doc: 'The object key (may contain slashes).',
        schema: { type: 'string' },
      },
      { name: 'expires', in: 'query', required: true, doc: 'Unix seconds.', schema: { type: 'string' } },
      { name: 'max', in: 'query', doc: 'Largest accepted size, bytes.', schema: { type: 'string' } },
      {
        name: 'signature',
        in: 'query',
        required: true,
        doc: 'HMAC of key, expiry and limits.',
        schema: { type: 'string' },
      },
    ],
    body: [{ contentType: 'application/octet-stream', schema: { type: 'string' } }],
    answers: [
      {
        status: 200,
        doc: 'Stored.',
        schema: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } },
      },
    ],
  },
  {
    id: 'getOpenApiDocument',
    method: 'get',
    path: '/openapi.json',
    tag: 'Umbra: operations',
    summary: 'This document',
    extension: true,
    auth: 'none',
    answers: [{ status: 200, doc: 'OpenAPI 3.1.', schema: { type: 'object' } }],
  },
  {
    id: 'getReferencePage',
    method: 'get',
    path: '/docs',
    tag: 'Umbra: operations',
    summary: 'The API reference page',
    extension: true,
    auth: 'none',
    answers: [
      {
        status: 200,
        doc: 'HTML, rendered from /openapi.json.',
        contentType: 'text/html',
        schema: { type: 'string' },
      },
    ],
  },
  {
    id: 'getReferenceAsset',
    method: 'get',
    path: '/docs/assets/{asset}',
    tag: 'Umbra: operations',
    summary: 'A static asset of the reference page',
    extension: true,
    auth: 'none',
    params: [{ name: 'asset', in: 'path', required: true, doc: 'File name.', schema: { type: 'string' } }],
    answers: [
      { status: 200, doc: 'The asset.', contentType: 'application/octet-stream', schema: { type: 'string' } },
    ],
  },
];
