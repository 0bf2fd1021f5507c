// The BlobStore conformance suite on the local disk, its URLs served by the disk store's own HTTP plugin
// on a minimal Fastify app (as a server with the disk store serves them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { ApiError } from '../contract/api-error.js';
import { registerDiskBlobRoutes } from '../http/disk-blobs.plugin.js';
import { runBlobStoreConformance } from './testing/blob-store.conformance.js';
import { DiskBlobStore } from './disk.blob-store.js';
import { UrlSigner } from './url-signer.js';

runBlobStoreConformance('disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'umbra-disk-blobs-'));
  let origin = 'http://127.0.0.1:0';
  const store = new DiskBlobStore(root, new UrlSigner('conformance-secret'), () => origin);
  const app = Fastify();
  app.setErrorHandler((err, _req, reply) =>
    err instanceof ApiError ? reply.code(err.status).send({ detail: err.detail }) : reply.send(err),
  );
  registerDiskBlobRoutes(app, store, () => Date.now());
  origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    store,
    // The same route on another server.
    lookalike: (url) => url.replace(new URL(origin).host, '127.0.0.2:8080'),
    async close() {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});
