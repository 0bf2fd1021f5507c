// JSON Schemas of the Files API answers (contract, Files API "Objects"), in the listed key order. The HTTP layer
// serialises every answer through them, so the wire shape cannot drift from the contract.
import { FILE_MIME_TYPES, FILE_PURPOSES, FILE_STATES } from './file.wire.js';
import { listPageSchema } from './list-query.js';

const nullableString = (description: string) => ({ type: ['string', 'null'], description }) as const;

export const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'created_at',
    'mime_type',
    'purpose',
    'size_bytes',
    'state',
    'deleted_at',
    'expires_at',
    'failure_reason',
    'filename',
    'user_id',
  ],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'File identifier' },
    created_at: { type: 'string', description: 'Creation time, ISO-8601 UTC' },
    mime_type: { type: 'string', enum: [...FILE_MIME_TYPES], description: 'Declared type of the bytes' },
    purpose: { type: 'string', enum: [...FILE_PURPOSES], description: 'input or reference' },
    size_bytes: { type: 'integer', description: 'Size of the stored object' },
    state: { type: 'string', enum: [...FILE_STATES], description: 'pending → ready | failed; deleted' },
    deleted_at: nullableString('Deletion (or expiry) time, ISO-8601 UTC'),
    expires_at: nullableString('Expiry time, ISO-8601 UTC'),
    failure_reason: nullableString('Why ingest rejected the file, null unless failed'),
    filename: nullableString("The caller's name for the file"),
    user_id: nullableString('Opaque end-user tag'),
  },
} as const;

export const presignedUploadSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'method', 'headers', 'expires_at'],
  properties: {
    url: { type: 'string', format: 'uri', description: 'Where to PUT the raw bytes' },
    method: { type: 'string', enum: ['PUT'] },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Headers the PUT must carry exactly',
    },
    expires_at: { type: 'string', description: 'When the URL stops working, ISO-8601 UTC' },
  },
} as const;

export const createFileResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'state', 'file', 'upload'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    state: { type: 'string', enum: [...FILE_STATES] },
    file: fileSchema,
    upload: { anyOf: [presignedUploadSchema, { type: 'null' }] },
  },
} as const;

export const fileListSchema = listPageSchema(fileSchema);
