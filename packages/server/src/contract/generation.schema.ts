// JSON Schema of the Generation response (contract §3.1), in the documented key order. The HTTP layer
// serialises every Generation through it, so the wire shape cannot drift from the contract.
import { listPageSchema } from './list-query.js';
import { FAILURE_CODES, GENERATION_TYPES, MODELS, STATES } from './wire.js';

export const generationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'state', 'model', 'created_at', 'output', 'failure_reason', 'failure_code'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Generation identifier' },
    type: { type: 'string', enum: [...GENERATION_TYPES], description: 'The kind of generation' },
    state: { type: 'string', enum: [...STATES], description: 'queued → processing → completed | failed' },
    model: { type: 'string', enum: [...MODELS], description: 'Model used' },
    created_at: { type: 'string', description: 'Creation time, ISO-8601 UTC' },
    output: {
      type: 'array',
      description: 'Outputs; empty until completed',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'url'],
        properties: {
          type: { type: 'string', description: 'image, video or exr' },
          url: { type: 'string', format: 'uri', description: 'Presigned URL, valid one hour' },
        },
      },
    },
    failure_reason: { type: ['string', 'null'], description: 'Human-readable failure, null unless failed' },
    failure_code: {
      type: ['string', 'null'],
      enum: [...FAILURE_CODES, null],
      description: 'Machine-readable failure, null unless failed',
    },
  },
} as const;

/** `GET /v1/generations` (issue 11): a page of Generations, each serialised exactly as GET by id. */
export const generationListSchema = listPageSchema(generationSchema);
