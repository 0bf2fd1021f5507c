// The Files API routes (contract, Files API "Routes"): thin handlers, one use-case call each, with the same
// auth, headers, error bodies and RPM behaviour as the generation routes. POST /v1/files picks its mode
// by Content-Type: multipart/form-data streams the file inline, anything else is read as JSON.
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { createFileResponseSchema, fileListSchema, fileSchema } from '../contract/file.schema.js';
import { createInlineFile, createPresignedFile } from '../files/create.js';
import type { FilesDeps } from '../files/files.deps.js';
import { completeFile, deleteFile, getFile, listFiles } from '../files/files.js';
import { authenticate } from '../policy/api-keys.js';
import { readMultipart } from './multipart.js';

type FileRoute = { Params: { id: string } };

/** The raw request of a multipart body (handed through unparsed by the scope's content-type parser). */
const MULTIPART = Symbol('multipart');
type Multipart = { [MULTIPART]: IncomingMessage };
const isMultipart = (body: unknown): body is Multipart =>
  typeof body === 'object' && body !== null && MULTIPART in body;

export function registerFileRoutes(app: FastifyInstance, d: FilesDeps): void {
  const auth = (header: string | undefined) => authenticate(d.store, header, d.now());

  void app.register((scope, _opts, ready) => {
    // Only in this scope: a multipart body is left unread for the handler to stream. Every other
    // Content-Type keeps the app's JSON parser.
    scope.addContentTypeParser('multipart/form-data', (req, _payload, done) => {
      done(null, { [MULTIPART]: req.raw });
    });

    scope.post(
      '/v1/files',
      { schema: { response: { 201: createFileResponseSchema } } },
      async (req, reply) => {
        const client = await auth(req.headers.authorization);
        const body = req.body;
        const created = isMultipart(body)
          ? await createInlineFile(d, client, { read: (onFile) => readMultipart(body[MULTIPART], onFile) })
          : await createPresignedFile(d, client, body);
        return reply.code(201).headers(created.headers).send(created.body);
      },
    );

    scope.get('/v1/files', { schema: { response: { 200: fileListSchema } } }, async (req) =>
      listFiles(d, await auth(req.headers.authorization), req.query),
    );

    scope.get<FileRoute>('/v1/files/:id', { schema: { response: { 200: fileSchema } } }, async (req) =>
      getFile(d, await auth(req.headers.authorization), req.params.id),
    );

    scope.post<FileRoute>(
      '/v1/files/:id/complete',
      { schema: { response: { 200: fileSchema } } },
      async (req) => completeFile(d, await auth(req.headers.authorization), req.params.id),
    );

    scope.delete<FileRoute>('/v1/files/:id', async (req, reply) => {
      await deleteFile(d, await auth(req.headers.authorization), req.params.id);
      return reply.code(204).send();
    });
    ready();
  });
}
