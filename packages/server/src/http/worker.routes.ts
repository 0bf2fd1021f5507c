// The worker routes (docs/worker-protocol.md): thin handlers over RemoteJobs, authenticated by worker
// tokens only. Uploads take the raw body as a stream (never buffered), so they live in their own scope
// with a pass-through body parser.
import type { FastifyInstance } from 'fastify';
import {
  PROTOCOL_HEADER,
  WORKER_PROTOCOL,
  parseClaimBody,
  parseCompleteBody,
  parseFailBody,
  parseHeartbeatBody,
  parseReleaseBody,
} from '../contract/worker-protocol.js';
import type { RemoteJobs } from '../jobs/remote-jobs.js';
import { authenticateWorker } from '../policy/worker-tokens.js';
import type { Store } from '../store/store.js';

export interface WorkerRoutesDeps {
  store: Store;
  remote: RemoteJobs;
}

type JobRoute = { Params: { id: string } };

export function registerWorkerRoutes(app: FastifyInstance, d: WorkerRoutesDeps): void {
  const auth = (header: string | undefined) => authenticateWorker(d.store, header);

  void app.register((scope, _opts, ready) => {
    scope.addHook('onRequest', (_req, reply, done) => {
      reply.header(PROTOCOL_HEADER, String(WORKER_PROTOCOL));
      done();
    });

    scope.post('/v1/worker/claim', async (req, reply) => {
      const token = await auth(req.headers.authorization);
      const body = parseClaimBody(req.body);
      const gone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      const job = await d.remote.claim(token, body, gone.signal);
      if (job === null) return reply.code(204).send();
      return { job };
    });

    scope.post<JobRoute>('/v1/worker/jobs/:id/heartbeat', async (req) =>
      d.remote.heartbeat(await auth(req.headers.authorization), req.params.id, parseHeartbeatBody(req.body)),
    );
    scope.post<JobRoute>('/v1/worker/jobs/:id/complete', async (req) =>
      d.remote.complete(await auth(req.headers.authorization), req.params.id, parseCompleteBody(req.body)),
    );
    scope.post<JobRoute>('/v1/worker/jobs/:id/fail', async (req) =>
      d.remote.fail(await auth(req.headers.authorization), req.params.id, parseFailBody(req.body)),
    );
    scope.post<JobRoute>('/v1/worker/jobs/:id/release', async (req) =>
      d.remote.release(await auth(req.headers.authorization), req.params.id, parseReleaseBody(req.body)),
    );
    ready();
  });
}
