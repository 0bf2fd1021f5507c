// The admin API (issue 12, "Tenants"): what `umbra clients list|show|set` does, for keys of an admin client,
// plus any client's usage. Thin handlers: authenticate an admin, make one call. Clients are addressed by
// name, as on the command line. Operators also read each model's queue and the remote workers seen.
import type { FastifyInstance } from 'fastify';
import { adminClientListSchema, adminClientSchema } from '../contract/client-admin.wire.js';
import { adminQueueSchema, adminWorkerListSchema } from '../contract/operations.wire.js';
import { usageReportSchema } from '../contract/usage.wire.js';
import {
  authenticateAdmin,
  changeClient,
  findClient,
  listClients,
  presentClient,
} from '../policy/client-admin.js';
import { queueOverview, workersSeen } from '../policy/operations.js';
import { usageOf } from '../policy/usage.js';
import type { Store } from '../store/store.js';

export interface AdminRoutesDeps {
  store: Store;
  now: () => number;
}

type Named = { Params: { name: string } };

export function registerAdminRoutes(app: FastifyInstance, d: AdminRoutesDeps): void {
  const admin = (header: string | undefined) => authenticateAdmin(d.store, header, d.now());

  app.get('/v1/admin/clients', { schema: { response: { 200: adminClientListSchema } } }, async (req) => {
    await admin(req.headers.authorization);
    return { data: await listClients(d.store) };
  });

  app.get<Named>(
    '/v1/admin/clients/:name',
    { schema: { response: { 200: adminClientSchema } } },
    async (req) => {
      await admin(req.headers.authorization);
      return presentClient(await findClient(d.store, req.params.name));
    },
  );

  app.patch<Named>(
    '/v1/admin/clients/:name',
    { schema: { response: { 200: adminClientSchema } } },
    async (req) => changeClient(d.store, req.params.name, req.body, await admin(req.headers.authorization)),
  );

  app.get<Named>(
    '/v1/admin/clients/:name/usage',
    { schema: { response: { 200: usageReportSchema } } },
    async (req) => {
      await admin(req.headers.authorization);
      const client = await findClient(d.store, req.params.name);
      return usageOf(d.store, client.id, req.query, d.now());
    },
  );

  // The operator's view (issue 13): each model's queue and the remote workers seen lately.
  app.get('/v1/admin/queue', { schema: { response: { 200: adminQueueSchema } } }, async (req) => {
    await admin(req.headers.authorization);
    return queueOverview(d.store);
  });

  app.get('/v1/admin/workers', { schema: { response: { 200: adminWorkerListSchema } } }, async (req) => {
    await admin(req.headers.authorization);
    return workersSeen(d.store, d.now());
  });
}
