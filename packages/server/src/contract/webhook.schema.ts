// JSON Schemas of the webhook routes' answers (issue 11, "Webhooks"), in the key order of webhook.wire.ts.
// The HTTP layer serialises every answer through them, so the wire shape cannot drift.
import { listPageSchema } from './list-query.js';
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_EVENT_TYPES } from './webhook.wire.js';

const events = {
  type: 'array',
  items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
  description: 'Event types the endpoint receives',
} as const;

export const webhookEndpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'url', 'events', 'created_at'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Endpoint identifier' },
    url: { type: 'string', format: 'uri', description: 'Where deliveries are POSTed' },
    events,
    created_at: { type: 'string', description: 'Creation time, ISO-8601 UTC' },
  },
} as const;

export const createdWebhookEndpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'url', 'events', 'secret', 'created_at'],
  properties: {
    id: webhookEndpointSchema.properties.id,
    url: webhookEndpointSchema.properties.url,
    events,
    secret: { type: 'string', description: 'Signing secret (whsec_…), shown only in this answer' },
    created_at: webhookEndpointSchema.properties.created_at,
  },
} as const;

export const webhookAttemptSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['attempt', 'at', 'status', 'status_code', 'error', 'duration_ms'],
  properties: {
    attempt: { type: 'integer', description: '1 for the first attempt' },
    at: { type: 'string', description: 'When it was sent, ISO-8601 UTC' },
    status: { type: 'string', enum: ['succeeded', 'failed'], description: 'succeeded = a 2xx answer' },
    status_code: { type: ['integer', 'null'], description: "The receiver's HTTP status; null without one" },
    error: { type: ['string', 'null'], description: 'Why it failed without an answer' },
    duration_ms: { type: 'integer', description: 'Request to answer (or failure)' },
  },
} as const;

export const webhookDeliverySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'endpoint_id',
    'generation_id',
    'type',
    'state',
    'created_at',
    'next_attempt_at',
    'attempts',
  ],
  properties: {
    id: { type: 'string', description: 'The webhook-id header of every attempt' },
    endpoint_id: { type: 'string', format: 'uuid' },
    generation_id: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
    state: { type: 'string', enum: [...WEBHOOK_DELIVERY_STATES], description: 'pending → delivered | dead' },
    created_at: { type: 'string', description: 'When the event happened, ISO-8601 UTC' },
    next_attempt_at: {
      type: ['string', 'null'],
      description: 'When the next attempt is due; null unless pending',
    },
    attempts: { type: 'array', items: webhookAttemptSchema, description: 'Oldest first' },
  },
} as const;

export const webhookEndpointListSchema = listPageSchema(webhookEndpointSchema);
export const webhookDeliveryListSchema = listPageSchema(webhookDeliverySchema);
