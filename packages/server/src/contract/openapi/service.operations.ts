// The routes of remote workers and of operators (health, metrics, stored media, this reference), as the
// OpenAPI document describes them. Pure data.
import type { JsonSchema } from '../field-table.js';
import { PROTOCOL_HEADER, WORKER_BODIES } from '../worker-protocol.js';
import { json, type Operation, type Param } from './operation.js';
import { REQUEST_EXAMPLES } from './request-examples.js';

const workerJobParam: Param = {
  name: 'id',
  in: 'path',
  required: true,
  doc: 'The job (generation) id of the claim.',
  schema: { type: 'string', format: 'uuid' },
};

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

/** The worker protocol and the operator routes. */
/** The blob key of the signed disk-store routes. */
const KEY_PARAM: Param = {
  name: 'key',
  in: 'path',
  required: true,
  doc: 'The object key (may contain slashes).',
  schema: { type: 'string' },
};
/** A static file of the console or the reference page, by name. */
const fileNameParam = (name: string): Param => ({
  name,
  in: 'path',
  required: true,
  doc: 'File name.',
  schema: { type: 'string' },
});
const HTML_ANSWER = {
  status: 200,
  doc: 'HTML.',
  contentType: 'text/html',
  schema: { type: 'string' },
} as const;
const ASSET_ANSWER = {
  status: 200,
  doc: 'The asset.',
  contentType: 'application/octet-stream',
  schema: { type: 'string' },
} as const;

export const SERVICE_OPERATIONS: readonly Operation[] = [
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
      KEY_PARAM,
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
      KEY_PARAM,
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
    params: [fileNameParam('asset')],
    answers: [ASSET_ANSWER],
  },
  {
    id: 'getConsole',
    method: 'get',
    path: '/',
    tag: 'Umbra: operations',
    summary: 'The web console',
    doc: 'The console page (also at /index.html); 503 when the console was not built.',
    extension: true,
    auth: 'none',
    answers: [HTML_ANSWER],
  },
  {
    id: 'getConsoleIndex',
    method: 'get',
    path: '/index.html',
    tag: 'Umbra: operations',
    summary: 'The web console (its file name)',
    extension: true,
    auth: 'none',
    answers: [HTML_ANSWER],
  },
  {
    id: 'getConsoleAsset',
    method: 'get',
    path: '/assets/{file}',
    tag: 'Umbra: operations',
    summary: 'A static asset of the web console',
    doc: 'Content-hashed file names, cached for a year.',
    extension: true,
    auth: 'none',
    params: [fileNameParam('file')],
    answers: [ASSET_ANSWER],
  },
];
