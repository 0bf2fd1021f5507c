// The routes of the hosted API (generations, files) and Umbra's own generation routes (list, cancel, events),
// as the OpenAPI document describes them. Pure data.
import { createFileResponseSchema, fileListSchema, fileSchema } from '../file.schema.js';
import { FILE_PURPOSES, FILE_STATES, INLINE_MAX_BYTES } from '../file.wire.js';
import { generationListSchema, generationSchema } from '../generation.schema.js';
import { GENERATION_CREATE } from '../generation-request.fields.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency.js';
import {
  GENERATION_STREAM_EVENT_TYPES,
  LAST_EVENT_ID_HEADER,
  LAST_EVENT_ID_QUERY,
  PROGRESS_HEADER,
  QUEUE_POSITION_HEADER,
} from '../live-progress.js';
import { FILE_CREATE } from '../validate-file.js';
import { FAILURE_CODES, GENERATION_TYPES, MODELS, STATES } from '../wire.js';
import { enumQuery, idParam, json, listParams, umbraHeader, type Operation } from './operation.js';
import { REQUEST_EXAMPLES } from './request-examples.js';

const RATE_HEADERS = {
  'x-ratelimit-limit': 'Requests allowed per sliding minute.',
  'x-ratelimit-remaining': 'Requests left in the window after this one.',
  'x-ratelimit-reset': 'Unix seconds when the current requests begin to age out.',
} as const;

/** Submit, get, list, cancel and stream generations. */
export const GENERATION_OPERATIONS: readonly Operation[] = [
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
];

/** The Files API. */
export const FILE_OPERATIONS: readonly Operation[] = [
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
];
