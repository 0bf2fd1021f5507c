import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerConsoleRoutes } from './console.route.js';

const appWith = (dir: string | null): FastifyInstance => {
  const app = Fastify({ logger: false });
  app.get('/healthz', () => ({ ok: true }));
  app.get('/v1/generations', () => ({ data: [] }));
  registerConsoleRoutes(app, dir);
  return app;
};

describe('console routes', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-console-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'not an asset');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('serves the page at / without caching and hashed assets with a long cache', async () => {
    const app = appWith(dir);
    const page = await app.inject({ url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /^text\/javascript/);
    assert.match(js.headers['cache-control'] as string, /max-age=31536000, immutable/);
  });

  it('never serves a file outside the assets folder, and leaves other routes alone', async () => {
    const app = appWith(dir);
    for (const url of ['/assets/../secret.txt', '/assets/%2e%2e/secret.txt', '/assets/missing.js']) {
      assert.equal((await app.inject({ url })).statusCode, 404, url);
    }
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { ok: true });
    assert.deepEqual((await app.inject({ url: '/v1/generations' })).json(), { data: [] });
    assert.equal((await app.inject({ url: '/docs' })).statusCode, 404);
  });

  it('answers 503 with what to run when the console is not built', async () => {
    for (const d of [null, join(dir, 'nowhere')]) {
      const res = await appWith(d).inject({ url: '/' });
      assert.equal(res.statusCode, 503);
      assert.match(res.json<{ detail: string }>().detail, /npm run build/);
    }
  });
});
