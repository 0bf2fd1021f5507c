// The request observer (issue 12, "Logs"; issue 15): every response is counted, and its access-log line is
// written at the level it belongs to — info, warn for a 5xx, debug for probes — and only built when that
// level is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import type { HttpRequestFacts } from '../metrics/metrics.js';
import { registerRequestObserver } from './request-observer.js';

async function observed(
  level: string,
): Promise<{ lines: Record<string, unknown>[]; facts: HttpRequestFacts[] }> {
  const lines: Record<string, unknown>[] = [];
  const facts: HttpRequestFacts[] = [];
  const logger: FastifyBaseLogger = pino(
    { level },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  const app = Fastify({ loggerInstance: logger });
  registerRequestObserver(app, { request: (f) => void facts.push(f) });
  app.get('/healthz', () => ({ ok: true }));
  app.get('/v1/generations/:id', () => ({ ok: true }));
  app.get('/boom', (_req, reply) => reply.code(503).send({ detail: 'down' }));
  for (const url of ['/healthz', '/v1/generations/abc?x=1', '/boom', '/nowhere']) await app.inject(url);
  await app.close();
  return { lines: lines.filter((l) => l.msg === 'request'), facts };
}

describe('registerRequestObserver', () => {
  it('at info: a line per request but probes, with the path without its query and the generation', async () => {
    const { lines, facts } = await observed('info');
    assert.deepEqual(
      lines.map((l) => [l.level, l.path, l.status, l.gen]),
      [
        [30, '/v1/generations/abc', 200, 'abc'],
        [40, '/boom', 503, undefined],
        [30, '/nowhere', 404, undefined],
      ],
    );
    assert.ok(lines.every((l) => typeof l.reqId === 'string' && typeof l.ms === 'number'));
    assert.deepEqual(
      facts.map((f) => [f.method, f.route, f.status]),
      [
        ['GET', '/healthz', 200],
        ['GET', '/v1/generations/:id', 200],
        ['GET', '/boom', 503],
        ['GET', null, 404],
      ],
    );
  });

  it('at warn: only the 5xx line, while every request is still counted', async () => {
    const { lines, facts } = await observed('warn');
    assert.deepEqual(
      lines.map((l) => [l.level, l.path]),
      [[40, '/boom']],
    );
    assert.equal(facts.length, 4);
  });

  it('at debug: probes too; at silent: nothing', async () => {
    assert.deepEqual(
      (await observed('debug')).lines.map((l) => [l.level, l.path]),
      [
        [20, '/healthz'],
        [30, '/v1/generations/abc'],
        [40, '/boom'],
        [30, '/nowhere'],
      ],
    );
    assert.deepEqual((await observed('silent')).lines, []);
  });
});
