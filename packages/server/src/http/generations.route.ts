// POST /v1/generations and GET /v1/generations/{id} (contract §2.1, §2.2; GET adds the live-progress
// headers), and Umbra's own GET /v1/generations (issue 11, "List") and POST /v1/generations/{id}/cancel:
// thin handlers, one call each.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BlobStore } from '../blobs/blob-store.js';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from '../contract/idempotency.js';
import { generationListSchema, generationSchema } from '../contract/generation.schema.js';
import type { AdmitDeps } from '../generations/admit.js';
import { admitGeneration, parseEmulatedFailure } from '../generations/admit.js';
import { cancelGeneration } from '../generations/cancel.js';
import { PROGRESS_HEADER, QUEUE_POSITION_HEADER } from '../contract/live-progress.js';
import { ownGeneration, progressOf, queuePositionOf } from '../generations/get.js';
import { listGenerations } from '../generations/list.js';
import { presentGeneration } from '../generations/present.js';
import { SettledBodies } from '../generations/settled-bodies.js';
import { authenticate } from '../policy/api-keys.js';
import type { Store } from '../store/store.js';
import { isSettled } from '../store/store.js';
import { noteGeneration } from './request-observer.js';

export interface GenerationRoutesDeps {
  store: Store;
  blobs: BlobStore;
  admit: AdmitDeps;
  urlTtlMs: number;
  now: () => number;
  /** Called after a 201 so an in-process worker can start at once. */
  onAdmitted: () => void;
}

/** What Fastify sets for a JSON body it serialises; a body sent as a string must say it itself. */
const JSON_TYPE = 'application/json; charset=utf-8';

export function registerGenerationRoutes(app: FastifyInstance, d: GenerationRoutesDeps): void {
  const settledBodies = new SettledBodies<ReturnType<FastifyReply['serialize']>>();

  app.post('/v1/generations', { schema: { response: { 201: generationSchema } } }, async (req, reply) => {
    const client = await authenticate(d.store, req.headers.authorization, d.now());
    const failHeader = req.headers['x-umbra-fail'];
    const emulated = parseEmulatedFailure(
      d.admit.emulator,
      Array.isArray(failHeader) ? failHeader[0] : failHeader,
    );
    const key = parseIdempotencyKey(req.headers[IDEMPOTENCY_KEY_HEADER]);
    const { row, headers, replayed } = await admitGeneration(d.admit, client, req.body, emulated, key);
    noteGeneration(req, row.id);
    if (!replayed) d.onAdmitted();
    return reply
      .code(201)
      .headers(headers)
      .send(await presentGeneration(row, d.blobs, d.now(), d.urlTtlMs));
  });

  app.get('/v1/generations', { schema: { response: { 200: generationListSchema } } }, async (req) =>
    listGenerations(d, await authenticate(d.store, req.headers.authorization, d.now()), req.query),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/generations/:id',
    { schema: { response: { 200: generationSchema } } },
    async (req, reply) => {
      const client = await authenticate(d.store, req.headers.authorization, d.now());
      // Unknown, foreign and malformed ids are indistinguishable (contract §2.2).
      const row = await ownGeneration(d.store, client.id, req.params.id);
      // Live progress travels in headers, set once the answer is sure to be this row (an error answer
      // carries none); the body stays exactly the contract's (issue 11).
      if (!isSettled(row)) {
        const position = await queuePositionOf(d.store, row);
        const generation = await presentGeneration(row, d.blobs, d.now(), d.urlTtlMs);
        reply.header(PROGRESS_HEADER, progressOf(row));
        if (position !== null) reply.header(QUEUE_POSITION_HEADER, position);
        return generation;
      }
      // A settled row's body changes only with its URLs' expiry: made once a second (issue 15).
      const body = await settledBodies.of(row, d.now(), async (at) =>
        reply.serialize(await presentGeneration(row, d.blobs, at, d.urlTtlMs)),
      );
      return reply.header(PROGRESS_HEADER, progressOf(row)).type(JSON_TYPE).send(body);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/generations/:id/cancel',
    { schema: { response: { 200: generationSchema } } },
    async (req) =>
      cancelGeneration(d, await authenticate(d.store, req.headers.authorization, d.now()), req.params.id),
  );
}
