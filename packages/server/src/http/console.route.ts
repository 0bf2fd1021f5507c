// The web console (packages/web) at the server's root URL: `/` is its one HTML page (never cached, so a new
// build shows at once), `/assets/*` its content-hashed files (cached for a year: a new build has new
// names). Nothing else: the console routes by the URL's hash, so it cannot shadow /v1, /files, the health
// and metrics routes or any later one. Without a build, `/` says how to make one.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const NOT_BUILT = 'The web console is not built: run `npm run build` (it builds packages/web), then restart';

/**
 * Where the console's build output lives: `dist/console` of the `@umbra/web` package, found the way Node
 * finds any dependency. Null when the package is not installed.
 */
export function locateConsoleBuild(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@umbra/web/package.json');
    return join(dirname(pkg), 'dist', 'console');
  } catch {
    return null;
  }
}

const readOrNull = async (path: string): Promise<Buffer | null> => {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
};

/** Adds `/`, `/index.html` and `/assets/*`, served from `dir` (null: the console is not installed). */
export function registerConsoleRoutes(app: FastifyInstance, dir: string | null): void {
  const page = async (_req: unknown, reply: FastifyReply): Promise<FastifyReply> => {
    const html = dir === null ? null : await readOrNull(join(dir, 'index.html'));
    if (html === null) return reply.code(503).header('cache-control', 'no-store').send({ detail: NOT_BUILT });
    return reply
      .header('content-type', CONTENT_TYPES['.html'])
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(html);
  };
  app.get('/', page);
  app.get('/index.html', page);
  app.get<{ Params: { '*': string } }>('/assets/*', async (req, reply) => {
    const root = dir === null ? null : resolve(dir, 'assets');
    const path = root === null ? null : resolve(root, req.params['*']);
    // Only files inside the assets folder: `..` and absolute paths answer as missing.
    const body =
      root === null || path === null || !path.startsWith(root + sep) ? null : await readOrNull(path);
    if (body === null) return reply.code(404).send({ detail: 'Not Found' });
    return reply
      .header('content-type', CONTENT_TYPES[extname(path ?? '')] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
