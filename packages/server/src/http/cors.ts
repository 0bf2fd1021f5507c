// CORS, so the client library works from a browser page. Keys travel in the Authorization header, never
// in cookies, so any origin may call (as with the hosted API's bearer auth); preflights are answered here.
import type { FastifyInstance } from 'fastify';

/**
 * Response headers a browser client needs to read (request id, retry hints, rate limits, replays, live
 * progress).
 */
const EXPOSED = [
  'x-request-id',
  'x-api-version',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'content-range',
  'content-length',
  'idempotent-replayed',
  'umbra-progress',
  'umbra-queue-position',
].join(', ');

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (req.headers.origin !== undefined) {
      reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED);
    }
    done();
  });
  app.options('/*', async (req, reply) => {
    // Reflecting the asked-for headers covers Authorization, which a `*` wildcard never does.
    const asked = req.headers['access-control-request-headers'];
    return reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, PATCH, DELETE, OPTIONS')
      .header(
        'access-control-allow-headers',
        typeof asked === 'string' ? asked : 'authorization, content-type',
      )
      .header('access-control-max-age', '600')
      .send();
  });
}
