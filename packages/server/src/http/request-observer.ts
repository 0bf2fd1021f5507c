// One access-log line and one metrics observation per request, when its response has been sent (issue 12).
// The line carries the request id (the logger's binding, also the `x-request-id` header) and, on routes
// about one generation, its id, so a request and the job log it caused can be followed together.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpMetrics } from '../metrics/metrics.js';

/** Probes and scrapes arrive every few seconds and say nothing about users: their lines are debug. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
/** Route patterns whose `:id` is a generation's. */
const GENERATION_ROUTE = /^\/v1\/(generations|worker\/jobs)\/:id(\/|$)/;
/** A path longer than this is cut in the log (no route is; a scanner's may be). */
const MAX_PATH = 200;

const generationOfRequest = new WeakMap<FastifyRequest, string>();

/** Names the generation a request created, for its access-log line (the route knows it only afterwards). */
export function noteGeneration(req: FastifyRequest, id: string): void {
  generationOfRequest.set(req, id);
}

/** The generation a request is about: the one it created, or its route's `:id`; else undefined. */
export function generationOf(req: FastifyRequest, route: string | undefined): string | undefined {
  const noted = generationOfRequest.get(req);
  if (noted !== undefined) return noted;
  if (route === undefined || !GENERATION_ROUTE.test(route)) return undefined;
  const id = (req.params as Record<string, unknown> | undefined)?.id;
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}

/** pino's level values: a line is written when its level's value is at least the logger's. */
const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** Whether `log` writes lines of `level` (false for `silent` and levels it does not know). */
const writes = (log: FastifyBaseLogger, level: 'debug' | 'info' | 'warn'): boolean =>
  (LEVEL_VALUES[log.level] ?? Infinity) <= LEVEL_VALUES[level]!;

/** Observes every response of `app`. */
export function registerRequestObserver(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url;
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    metrics.request({ method: req.method, route: route ?? null, status, seconds: ms / 1000 });
    const level = route !== undefined && QUIET_ROUTES.has(route) ? 'debug' : status >= 500 ? 'warn' : 'info';
    // The line is built only when it will be written (issue 15: at warn, a busy server's usual level,
    // a GET's line would be built and dropped on every request).
    if (writes(req.log, level)) {
      const q = req.url.indexOf('?');
      const path = q < 0 ? req.url : req.url.slice(0, q);
      const line = {
        method: req.method,
        path: path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path,
        status,
        ms: Math.round(ms * 10) / 10,
        gen: generationOf(req, route),
      };
      req.log[level](line, 'request');
    }
    done();
  });
}
