// The webhook routes (issue 11, "Webhooks"): thin handlers, one use-case call each, with the contract's
// conventions (bearer auth, X-Request-Id and X-API-Version from app.ts, `{"detail": …}` errors, 404 for
// anything of another client). Umbra's own routes: the hosted API has none of these.
import type { FastifyInstance } from 'fastify';
import {
  createdWebhookEndpointSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
} from '../contract/webhook.schema.js';
import { authenticate } from '../policy/api-keys.js';
import { listDeliveries, retryDelivery } from '../webhooks/deliveries.js';
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints } from '../webhooks/endpoints.js';
import type { WebhooksDeps } from '../webhooks/webhooks.deps.js';

type EndpointRoute = { Params: { id: string } };
type DeliveryRoute = { Params: { id: string; delivery_id: string } };

export function registerWebhookRoutes(app: FastifyInstance, d: WebhooksDeps): void {
  const auth = (header: string | undefined) => authenticate(d.store, header, d.now());

  app.post(
    '/v1/webhook_endpoints',
    { schema: { response: { 201: createdWebhookEndpointSchema } } },
    async (req, reply) =>
      reply.code(201).send(await createEndpoint(d, await auth(req.headers.authorization), req.body)),
  );

  app.get(
    '/v1/webhook_endpoints',
    { schema: { response: { 200: webhookEndpointListSchema } } },
    async (req) => listEndpoints(d, await auth(req.headers.authorization), req.query),
  );

  app.get<EndpointRoute>(
    '/v1/webhook_endpoints/:id',
    { schema: { response: { 200: webhookEndpointSchema } } },
    async (req) => getEndpoint(d, await auth(req.headers.authorization), req.params.id),
  );

  app.delete<EndpointRoute>('/v1/webhook_endpoints/:id', async (req, reply) => {
    await deleteEndpoint(d, await auth(req.headers.authorization), req.params.id);
    return reply.code(204).send();
  });

  app.get<EndpointRoute>(
    '/v1/webhook_endpoints/:id/deliveries',
    { schema: { response: { 200: webhookDeliveryListSchema } } },
    async (req) => listDeliveries(d, await auth(req.headers.authorization), req.params.id, req.query),
  );

  app.post<DeliveryRoute>(
    '/v1/webhook_endpoints/:id/deliveries/:delivery_id/retry',
    { schema: { response: { 202: webhookDeliverySchema } } },
    async (req, reply) =>
      reply
        .code(202)
        .send(
          await retryDelivery(
            d,
            await auth(req.headers.authorization),
            req.params.id,
            req.params.delivery_id,
          ),
        ),
  );
}
