// GET /v1/generations/{id}/events (issue 11, "Live progress"; docs/live-progress.md): a thin handler.
// Everything that can be refused is answered before the stream starts, as the other routes answer it
// (401, 400 for a bad Last-Event-ID, 404 for another client's id); then the response is handed over to
// the stream, which writes it until the terminal event.
import type { FastifyInstance } from 'fastify';
import { LAST_EVENT_ID_HEADER, LAST_EVENT_ID_QUERY, parseLastEventId } from '../contract/live-progress.js';
import type { GenerationStreamDeps, GenerationStreamSettings } from '../events/generation-stream.js';
import { hasMoreEvents, streamGeneration } from '../events/generation-stream.js';
import { openSse } from '../events/sse-response.js';
import { ownGeneration } from '../generations/get.js';
import { authenticate } from '../policy/api-keys.js';

export interface EventRoutesDeps extends GenerationStreamDeps {
  stream: GenerationStreamSettings;
}

export function registerEventRoutes(app: FastifyInstance, d: EventRoutesDeps): void {
  // Open streams end when the server closes; it would otherwise wait for every client to leave.
  const open = new Set<AbortController>();
  app.addHook('preClose', (done) => {
    for (const stop of open) stop.abort();
    done();
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/v1/generations/:id/events',
    // A HEAD would hold a connection open with nothing to send.
    { exposeHeadRoute: false },
    async (req, reply) => {
      const client = await authenticate(d.store, req.headers.authorization, d.now());
      const after = parseLastEventId(req.headers[LAST_EVENT_ID_HEADER], req.query[LAST_EVENT_ID_QUERY]);
      const row = await ownGeneration(d.store, client.id, req.params.id);
      // Ended, and every event seen: 204 tells an EventSource to stop reconnecting.
      if (!(await hasMoreEvents(d.store, row, after))) return reply.code(204).send();
      reply.hijack();
      const conn = openSse(reply.raw, reply.getHeaders());
      const stop = new AbortController();
      open.add(stop);
      try {
        await streamGeneration(d, d.stream, row, after, conn, stop.signal);
      } catch (err) {
        // The client reconnects with its Last-Event-ID and misses nothing.
        req.log.error({ err, id: row.id }, 'event stream failed');
      } finally {
        open.delete(stop);
        conn.end();
      }
    },
  );
}
