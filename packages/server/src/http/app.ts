// The Fastify app: common headers, JSON parsing with string `detail` errors, error mapping, routes.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import type { DiskBlobStore } from '../blobs/disk.blob-store.js';
import { ApiError } from '../contract/api-error.js';
import { API_VERSION } from '../contract/wire.js';
import type { GenerationStreamSettings } from '../events/generation-stream.js';
import type { FilesDeps } from '../files/files.deps.js';
import type { HttpMetrics } from '../metrics/metrics.js';
import { registerAdminRoutes } from './admin.route.js';
import { registerConsoleRoutes } from './console.route.js';
import { registerCors } from './cors.js';
import { registerDocsRoutes } from './docs.route.js';
import { registerEventRoutes } from './events.route.js';
import { registerFileRoutes } from './files.route.js';
import { registerDiskBlobRoutes } from './disk-blobs.plugin.js';
import type { GenerationRoutesDeps } from './generations.route.js';
import { registerGenerationRoutes } from './generations.route.js';
import type { OpsDeps } from './ops.routes.js';
import { registerOpsRoutes } from './ops.routes.js';
import { registerRequestObserver } from './request-observer.js';
import { registerUsageRoute } from './usage.route.js';
import type { WorkerRoutesDeps } from './worker.routes.js';
import { registerWorkerRoutes } from './worker.routes.js';
import type { WebhooksDeps } from '../webhooks/webhooks.deps.js';
import { registerWebhookRoutes } from './webhooks.route.js';
import { DependencyUnavailable } from '../unavailable.js';

/** When a client should try again after a 503 for a part that is down. */
const RETRY_AFTER_SECONDS = '1';

export interface AppOptions extends GenerationRoutesDeps {
  /** The remote worker routes. */
  remote: WorkerRoutesDeps['remote'];
  /** The disk blob store, whose signed routes this server then serves; null with a bucket. */
  diskBlobs: DiskBlobStore | null;
  /** The Files API use cases' dependencies. */
  files: FilesDeps;
  /** The webhook endpoints' use cases' dependencies. */
  webhooks: WebhooksDeps;
  /** Timings of the live event streams (`GET /v1/generations/{id}/events`). */
  stream: GenerationStreamSettings;
  maxBodyBytes: number;
  /** Where each request is counted and timed. */
  httpMetrics: HttpMetrics;
  /** /healthz, /readyz and (unless on a port of their own) /metrics. */
  ops: OpsDeps;
  /** The process's logger (pino); null = no HTTP logging. */
  logger: FastifyBaseLogger | null;
  /** The web console's build output, served at `/`; null = not installed (`/` then says so). */
  consoleDir: string | null;
}

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ApiError(400, 'Request body is not valid JSON');
  }
};

/** Every route of an app built here, `METHOD /path` as registered (what /openapi.json must cover). */
const registered = new WeakMap<FastifyInstance, string[]>();

/** The routes `app` registered, in the order it did (HEAD routes Fastify adds for GETs included). */
export const registeredRoutes = (app: FastifyInstance): readonly string[] => registered.get(app) ?? [];

export function buildApp(o: AppOptions): FastifyInstance {
  const app = Fastify({
    ...(o.logger === null ? { logger: false } : { loggerInstance: o.logger }),
    bodyLimit: o.maxBodyBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Fastify's own two lines per request are replaced by one concise line (request-observer.ts).
    logController: new LogController({ disableRequestLogging: true }),
  });

  const routes: string[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push(`${method} ${r.url}`);
  });

  // Contract §4.1: on every response, success or error.
  // Callback-style hooks here and in cors.ts and request-observer.ts: an async hook costs every request a
  // promise and a trip through the microtask queue (issue 15).
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id).header('x-api-version', API_VERSION);
    done();
  });

  // Every body is read as JSON whatever its Content-Type, so a missing or odd header is not a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, typeof body === 'string' && body.length > 0 ? parseJson(body) : undefined);
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.setErrorHandler((err: FastifyError | ApiError | DependencyUnavailable, req, reply) => {
    if (err instanceof ApiError) {
      return reply.code(err.status).headers(err.headers).send({ detail: err.detail });
    }
    // A part that is down (issue 12, "Faults"): named, never a hang or a 500; clients retry.
    if (err instanceof DependencyUnavailable) {
      req.log.warn({ err }, err.detail);
      return reply.code(503).header('retry-after', RETRY_AFTER_SECONDS).send({ detail: err.detail });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ detail: 'Request body exceeds the size limit' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ detail: err.message });
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ detail: 'Internal server error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ detail: 'Not Found' }));

  registerRequestObserver(app, o.httpMetrics);
  registerCors(app);
  registerOpsRoutes(app, o.ops);
  registerGenerationRoutes(app, o);
  registerEventRoutes(app, o);
  registerFileRoutes(app, o.files);
  registerWebhookRoutes(app, o.webhooks);
  registerUsageRoute(app, o);
  registerAdminRoutes(app, o);
  if (o.diskBlobs !== null) registerDiskBlobRoutes(app, o.diskBlobs, o.now);
  registerWorkerRoutes(app, { store: o.store, remote: o.remote });
  registerDocsRoutes(app);
  registerConsoleRoutes(app, o.consoleDir);
  return app;
}

/**
 * Closes `app` as a graceful stop should: no new connections, requests under way may finish, idle
 * keep-alive connections close at once — and after `withinMs` every connection still open is closed, so a
 * client that opened a connection and never sent a request (Node counts it as busy until its headers
 * timeout, a minute) cannot hold the stop.
 */
export async function closeWithin(app: FastifyInstance, withinMs: number): Promise<void> {
  const force = setTimeout(() => app.server.closeAllConnections(), withinMs);
  try {
    await app.close();
  } finally {
    clearTimeout(force);
  }
}
