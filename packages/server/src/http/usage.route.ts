// `GET /v1/usage` (issue 12, "Usage"): the caller's client's usage in a window. Thin: auth, one call.
import type { FastifyInstance } from 'fastify';
import { usageReportSchema } from '../contract/usage.wire.js';
import { authenticate } from '../policy/api-keys.js';
import { usageOf } from '../policy/usage.js';
import type { Store } from '../store/store.js';

export interface UsageRouteDeps {
  store: Store;
  now: () => number;
}

export function registerUsageRoute(app: FastifyInstance, d: UsageRouteDeps): void {
  app.get('/v1/usage', { schema: { response: { 200: usageReportSchema } } }, async (req) => {
    const client = await authenticate(d.store, req.headers.authorization, d.now());
    return usageOf(d.store, client.id, req.query, d.now());
  });
}
