// The HTTP floor: a bare Fastify process with Umbra's two generation routes, the same response headers
// and the same JSON body sizes, but no authentication, validation or database. Bodies come from the
// environment (captured from a real Umbra response by the HTTP benchmark). Prints its base URL.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const getBody = process.env.BARE_GET_BODY ?? '{}';
const postBody = process.env.BARE_POST_BODY ?? '{}';
const postId = (JSON.parse(postBody) as { id?: string }).id ?? '';

const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
app.addHook('onRequest', async (req, reply) => {
  reply.header('x-request-id', req.id).header('x-api-version', '1');
});
app.get<{ Params: { id: string } }>('/v1/generations/:id', (_req, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(getBody);
});
// Parses the JSON request like Umbra does, then answers with a body of the same size (fresh id).
app.post('/v1/generations', (req, reply) => {
  if (typeof req.body !== 'object' || req.body === null) return reply.code(400).send({ detail: 'bad' });
  return reply
    .code(201)
    .header('content-type', 'application/json; charset=utf-8')
    .send(postBody.replace(postId, randomUUID()));
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`Base URL: ${address}/v1\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
