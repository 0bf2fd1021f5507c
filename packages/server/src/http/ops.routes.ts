// The operator's routes (issue 12): GET /healthz (the process lives), GET /readyz (every part it needs is
// usable: 200, or 503 naming the failing part) and GET /metrics (Prometheus text). They are served on the
// API port, or — /metrics always, the health pair too — on a port of their own (UMBRA_METRICS_PORT), which
// is also how a worker-only process, which has no API port, is probed and scraped.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { ReadinessReport } from '../health/readiness.js';

/** Renders the metrics exposition (the process's registry). */
export interface MetricsExposition {
  render(): Promise<{ contentType: string; body: string }>;
}

export interface OpsDeps {
  /** Serves /metrics from this; null = not on this listener. */
  metrics: MetricsExposition | null;
  /** The process's readiness check. */
  readiness: { check(): Promise<ReadinessReport> };
}

/** Adds /healthz, /readyz and (when given) /metrics to `app`. */
export function registerOpsRoutes(app: FastifyInstance, d: OpsDeps): void {
  app.get('/healthz', () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const r = await d.readiness.check();
    // Never cached: a load balancer must see the state of now.
    reply.header('cache-control', 'no-store');
    if (r.ok) return { ok: true, checks: r.checks };
    return reply.code(503).send({ detail: r.detail, checks: r.checks });
  });
  const metrics = d.metrics;
  if (metrics !== null) {
    app.get('/metrics', async (_req, reply) => {
      const { contentType, body } = await metrics.render();
      return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
    });
  }
}

/** The listener of UMBRA_METRICS_PORT: the operator's routes and nothing else. */
export function buildOpsApp(d: OpsDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ detail: 'Not Found' }));
  registerOpsRoutes(app, d);
  return app;
}
