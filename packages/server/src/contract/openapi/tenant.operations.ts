// Umbra's own routes for webhooks, usage and the admin API, as the OpenAPI document describes them. Pure data.
import { adminClientListSchema, adminClientSchema, CLIENT_UPDATE } from '../client-admin.wire.js';
import { adminQueueSchema, adminWorkerListSchema } from '../operations.wire.js';
import { USAGE_GROUPS, usageReportSchema } from '../usage.wire.js';
import { USAGE_DEFAULT_DAYS } from '../validate-usage.js';
import { WEBHOOK_ENDPOINT_CREATE } from '../validate-webhook.js';
import {
  createdWebhookEndpointSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
} from '../webhook.schema.js';
import { WEBHOOK_DELIVERY_STATES } from '../webhook.wire.js';
import { enumQuery, idParam, json, listParams, type Operation, type Param } from './operation.js';
import { REQUEST_EXAMPLES } from './request-examples.js';

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

const nameParam: Param = {
  name: 'name',
  in: 'path',
  required: true,
  doc: "The client's unique name.",
  schema: { type: 'string' },
};

/** Webhook endpoints and deliveries, usage, clients. */
export const TENANT_OPERATIONS: readonly Operation[] = [
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
    id: 'getQueue',
    method: 'get',
    path: '/v1/admin/queue',
    tag: 'Umbra: usage and admin',
    summary: "Each model's queue",
    doc: 'Queued and processing generations per model, and the longest wait (the aggregates /metrics reads).',
    extension: true,
    auth: 'adminKey',
    answers: [
      { status: 200, doc: 'Every model with queued or processing generations.', schema: adminQueueSchema },
    ],
  },
  {
    id: 'listWorkers',
    method: 'get',
    path: '/v1/admin/workers',
    tag: 'Umbra: usage and admin',
    summary: 'The remote workers seen lately',
    extension: true,
    auth: 'adminKey',
    answers: [{ status: 200, doc: 'Remote workers by token and instance.', schema: adminWorkerListSchema }],
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
];
