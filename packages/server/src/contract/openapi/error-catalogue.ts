// The error answers the OpenAPI document lists: for each, its status, the exact `detail` the server writes
// (the validators' own strings and constants) and the operations that answer it. A test produces every one
// of them against a real server and checks that the set it produces is exactly this set. Pure data.
import { MAX_PROMPT } from '../generation-request.fields.js';
import { IDEMPOTENCY_KEY_MAX, idempotencyMismatch } from '../idempotency.js';
import { LIST_MAX_LIMIT } from '../list-query.js';
import { BAD_LAST_EVENT_ID } from '../live-progress.js';
import { validRatioList } from '../model-matrix.js';
import { MAX_FILE_BYTES } from '../file.wire.js';
import { CLIENT_UPDATE } from '../client-admin.wire.js';
import {
  WEBHOOK_DELIVERY_NOT_FOUND,
  WEBHOOK_ENDPOINT_NOT_FOUND,
  WEBHOOK_URL_NOT_PUBLIC,
  WEBHOOK_URL_UNRESOLVED,
} from '../validate-webhook.js';
import { STATES } from '../wire.js';
import { WORKER_PROTOCOL } from '../worker-protocol.js';
import { OPERATIONS } from './operations.js';

/** One documented error answer: `{"detail": detail}` with `status`, on each of `ops`. */
export interface DocumentedError {
  status: number;
  detail: string;
  /** When it happens. */
  when: string;
  /** Operation ids. */
  ops: readonly string[];
}

const opsWhere = (pred: (o: (typeof OPERATIONS)[number]) => boolean): string[] =>
  OPERATIONS.filter(pred).map((o) => o.id);

const keyed = opsWhere((o) => o.auth === 'apiKey' || o.auth === 'adminKey');
const admin = opsWhere((o) => o.auth === 'adminKey');
const worker = opsWhere((o) => o.auth === 'workerToken');
const jsonBody = opsWhere((o) => o.body?.some((b) => b.contentType === 'application/json') === true);
const lists = ['listGenerations', 'listFiles', 'listWebhookEndpoints', 'listWebhookDeliveries'];
const leased = ['heartbeatJob', 'completeJob', 'failJob', 'releaseJob'];

export const ERROR_CATALOGUE: readonly DocumentedError[] = [
  // Authentication and account state (contract §1.2, §4.2).
  {
    status: 401,
    detail: 'Missing or invalid API key',
    when: 'No bearer key, or not a `luma-api-` key',
    ops: keyed,
  },
  { status: 401, detail: 'Invalid API key', when: 'A well-formed key that does not exist', ops: keyed },
  { status: 401, detail: 'API key has been revoked', when: 'The key was revoked', ops: keyed },
  { status: 401, detail: 'API key has expired', when: 'Past the key’s expiry', ops: keyed },
  { status: 403, detail: 'API client is suspended', when: 'The client is suspended', ops: keyed },
  { status: 403, detail: 'API client is deactivated', when: 'The client is deactivated', ops: keyed },
  {
    status: 403,
    detail: "Admin access required: this key's client is not an admin",
    when: 'A key of a client without admin access',
    ops: admin,
  },
  {
    status: 401,
    detail: 'Worker routes need a worker token (Authorization: Bearer umbra-wkr-…)',
    when: 'No bearer worker token (an API key is never one)',
    ops: worker,
  },
  {
    status: 401,
    detail: 'Invalid worker token',
    when: 'A well-formed token that does not exist',
    ops: worker,
  },

  // Bodies (contract §2.9).
  { status: 400, detail: 'Request body is not valid JSON', when: 'The body does not parse', ops: jsonBody },
  {
    status: 400,
    detail: 'Request body must be a JSON object',
    when: 'An array, string, number or null body',
    ops: jsonBody,
  },
  {
    status: 413,
    detail: 'Request body exceeds the size limit',
    when: 'Larger than UMBRA_MAX_BODY_BYTES',
    ops: jsonBody,
  },

  // POST /v1/generations (contract §2.6, §2.8, §4.2, §4.3).
  { status: 400, detail: 'prompt is required', when: 'No prompt', ops: ['createGeneration'] },
  {
    status: 400,
    detail: 'Unknown model: ray-3.14',
    when: 'A model id that is not served',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: "Type 'video' is not supported for model 'uni-1'",
    when: 'A type the model does not serve',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: `Invalid aspect_ratio '21:9'. Valid: ${validRatioList('uni-1')}`,
    when: 'A ratio outside the model’s set',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: `Prompt must be between 1 and ${MAX_PROMPT} characters`,
    when: 'An empty or too long prompt',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: "source: provide either 'url' or 'data', not both",
    when: 'An ImageRef with both',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: "image_ref[0]: 'media_type' is required with 'data'",
    when: 'Base64 bytes without their type',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: "source is required for type 'image_edit'",
    when: 'An edit without a source',
    ops: ['createGeneration'],
  },
  {
    status: 400,
    detail: "source is only valid for type 'image_edit'",
    when: 'A source on type image',
    ops: ['createGeneration'],
  },
  {
    status: 422,
    detail: 'video.exr_export requires video.hdr',
    when: 'A video-era combination rule',
    ops: ['createGeneration'],
  },
  {
    status: 422,
    detail: 'source: invalid base64 data',
    when: 'Bytes that are not base64',
    ops: ['createGeneration'],
  },
  {
    status: 402,
    detail: 'Insufficient balance. Please add funds to continue.',
    when: 'The balance cannot cover the job’s reserve; nothing is queued',
    ops: ['createGeneration'],
  },
  {
    status: 429,
    detail: 'Rate limit exceeded',
    when: 'The sliding minute is full (Retry-After, X-RateLimit-*)',
    ops: ['createGeneration'],
  },
  {
    status: 429,
    detail: 'Too many concurrent jobs',
    when: 'Every concurrency slot is taken (Retry-After: 60)',
    ops: ['createGeneration'],
  },

  {
    status: 400,
    detail: `Idempotency-Key: must be 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters`,
    when: 'An empty, too long or non-ASCII Idempotency-Key',
    ops: ['createGeneration'],
  },
  {
    status: 422,
    detail: idempotencyMismatch().detail,
    when: 'An Idempotency-Key reused with another body',
    ops: ['createGeneration'],
  },
  {
    status: 503,
    detail: 'database unavailable',
    when: 'A part Umbra depends on is down (here the database); retry after Retry-After',
    ops: ['createGeneration'],
  },

  // Lists (Umbra's and the Files API's).
  {
    status: 422,
    detail: `limit: must be an integer between 1 and ${LIST_MAX_LIMIT}`,
    when: 'A bad page size',
    ops: lists,
  },
  { status: 422, detail: 'cursor: is not a valid cursor', when: 'A cursor not made by us', ops: lists },
  {
    status: 422,
    detail: `state: must be one of: ${STATES.join(', ')}`,
    when: 'An unknown state filter',
    ops: ['listGenerations'],
  },

  // One generation.
  {
    status: 404,
    detail: 'Generation not found',
    when: 'Unknown, malformed or another client’s id',
    ops: ['getGeneration', 'cancelGeneration', 'streamGenerationEvents'],
  },
  {
    status: 409,
    detail: 'Generation is already failed; only a queued or processing generation can be canceled',
    when: 'It had already ended',
    ops: ['cancelGeneration'],
  },
  {
    status: 400,
    detail: BAD_LAST_EVENT_ID,
    when: 'A Last-Event-ID that is not one',
    ops: ['streamGenerationEvents'],
  },

  // Files.
  { status: 422, detail: 'mime_type is required', when: 'No mime_type', ops: ['createFile'] },
  {
    status: 422,
    detail: `size_bytes: must be between 1 and ${MAX_FILE_BYTES}`,
    when: 'Empty or beyond 5 GiB',
    ops: ['createFile'],
  },
  {
    status: 404,
    detail: 'File not found',
    when: 'Unknown, malformed or another client’s id',
    ops: ['getFile', 'completeFile', 'deleteFile'],
  },
  {
    status: 409,
    detail: 'File bytes have not been uploaded: PUT them to the upload URL first',
    when: 'Complete before the PUT',
    ops: ['completeFile'],
  },

  // Webhooks.
  { status: 422, detail: 'url is required', when: 'No url', ops: ['createWebhookEndpoint'] },
  {
    status: 422,
    detail: 'url: must be an https URL',
    when: 'An http or other scheme',
    ops: ['createWebhookEndpoint'],
  },
  {
    status: 422,
    detail: WEBHOOK_URL_NOT_PUBLIC,
    when: 'A private, loopback or reserved address',
    ops: ['createWebhookEndpoint'],
  },
  {
    status: 422,
    detail: WEBHOOK_URL_UNRESOLVED,
    when: 'A host that does not resolve',
    ops: ['createWebhookEndpoint'],
  },
  {
    status: 404,
    detail: WEBHOOK_ENDPOINT_NOT_FOUND,
    when: 'Unknown, deleted or another client’s endpoint',
    ops: ['getWebhookEndpoint', 'deleteWebhookEndpoint', 'listWebhookDeliveries', 'retryWebhookDelivery'],
  },
  {
    status: 404,
    detail: WEBHOOK_DELIVERY_NOT_FOUND,
    when: 'Unknown delivery, or not the endpoint’s',
    ops: ['retryWebhookDelivery'],
  },

  // Usage and admin.
  {
    status: 422,
    detail: 'start: must be before end',
    when: 'An empty window',
    ops: ['getUsage', 'getClientUsage'],
  },
  {
    status: 404,
    detail: 'Client not found',
    when: 'No client of that name',
    ops: ['getClient', 'updateClient', 'getClientUsage'],
  },
  {
    status: 422,
    detail: `unknown field 'colour'; valid: ${CLIENT_UPDATE.fields.map((f) => f.name).join(', ')}`,
    when: 'A member that is not in the table (a typo must not look like success)',
    ops: ['updateClient'],
  },

  // Workers.
  {
    status: 400,
    detail: `protocol: this server speaks worker protocol ${WORKER_PROTOCOL}, got ${WORKER_PROTOCOL + 1}`,
    when: 'Another protocol version',
    ops: ['claimJob'],
  },
  { status: 400, detail: 'attempt: must be a positive integer', when: 'No attempt number', ops: leased },
  {
    status: 409,
    detail: 'this lease was not issued to this worker token',
    when: 'A lease of another token (409 on a heartbeat means stop)',
    ops: leased,
  },

  // Stored media.
  {
    status: 403,
    detail: 'Invalid signature',
    when: 'A URL that was not signed by us',
    ops: ['getStoredFile'],
  },
  {
    status: 403,
    detail: 'Invalid signature (the URL, or a Content-Type other than the one it was issued for)',
    when: 'A URL that was not signed by us, or another Content-Type',
    ops: ['putUpload'],
  },
];
