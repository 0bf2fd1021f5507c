// GET /openapi.json (the OpenAPI 3.1 document, generated from contract/) and GET /docs, a reference page
// rendered from it by Swagger UI, whose self-contained build is served from its npm package through this
// server: the page loads nothing from any other host, so it works offline.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from '../contract/openapi/document.js';

/** Where the page's assets are served. */
export const DOCS_ASSETS_PATH = '/docs/assets/';

/** The renderer's files the page uses, and their types. Nothing else of the package is served. */
const RENDERER_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** Our own script that starts the renderer (a file, not inline, so the page's CSP can forbid inline code). */
const INIT_FILE = 'init.js';
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    // Never ask the public validator service about the document.
    validatorUrl: null,
  });
});
`;

// Relative URLs, so the page also works behind a proxy that mounts the server under a path.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Umbra API reference</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="docs/assets/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="reference"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/${INIT_FILE}"></script>
</body>
</html>
`;

/** The page may load only from this server (styles inline too: the renderer sets style attributes). */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** The directory of the installed renderer package. */
const rendererDir = (): string =>
  dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

export function registerDocsRoutes(app: FastifyInstance): void {
  const document = JSON.stringify(buildOpenApiDocument());
  const dir = rendererDir();

  app.get('/openapi.json', (_req, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(document),
  );

  app.get('/docs', (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-cache')
      .send(PAGE),
  );

  app.get<{ Params: { asset: string } }>(`${DOCS_ASSETS_PATH}:asset`, async (req, reply) => {
    const name = req.params.asset;
    if (name === INIT_FILE) {
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(INIT_SCRIPT);
    }
    const type = Object.hasOwn(RENDERER_FILES, name) ? RENDERER_FILES[name] : undefined;
    if (type === undefined) return reply.code(404).send({ detail: 'Not Found' });
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=3600')
      .send(await readFile(join(dir, name)));
  });
}
