// The disk blob store's own routes, registered only when that store is in use (an S3 bucket serves its
// presigned URLs itself): signed, expiring downloads (contract §3.3: 403 when expired or tampered, Range
// support) and signed uploads (the Files API's presigned mode and remote workers' outputs).
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { DiskBlobStore } from '../blobs/disk.blob-store.js';
import { FILE_ROUTE, UPLOAD_ROUTE } from '../blobs/disk.blob-store.js';
import { ApiError } from '../contract/api-error.js';

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range, clamped; null = whole body; 'bad' = 416. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'bad' {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return header.trim().startsWith('bytes=') ? 'bad' : null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'bad';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'bad';
  return { start, end };
}

export function registerDiskBlobRoutes(app: FastifyInstance, blobs: DiskBlobStore, now: () => number): void {
  app.get<{ Params: { '*': string }; Querystring: { expires?: string; signature?: string } }>(
    `${FILE_ROUTE}*`,
    async (req, reply) => {
      const key = req.params['*'];
      const check = blobs.checkDownload(key, req.query.expires, req.query.signature, now());
      if (check === 'invalid') throw new ApiError(403, 'Invalid signature');
      if (check === 'expired') throw new ApiError(403, 'URL has expired');
      const info = await blobs.stat(key);
      if (info === null) throw new ApiError(404, 'File not found');
      const range = parseRange(req.headers.range, info.size);
      reply.header('accept-ranges', 'bytes');
      if (range === 'bad') {
        return reply
          .code(416)
          .header('content-range', `bytes */${info.size}`)
          .send({ detail: 'Range not satisfiable' });
      }
      reply.header('content-type', info.contentType).header('cache-control', 'private, max-age=3600');
      if (range === null) {
        reply.header('content-length', info.size);
        return reply.send(await blobs.read(key));
      }
      reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${info.size}`)
        .header('content-length', range.end - range.start + 1);
      return reply.send(await blobs.read(key, range));
    },
  );

  // The signature is the credential, as with an object store's presigned PUT. Its own scope, because its
  // body parser hands over the raw stream whatever the Content-Type.
  void app.register((scope, _opts, ready) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.put<{
      Params: { '*': string };
      Querystring: { expires?: string; max?: string; signature?: string };
    }>(`${UPLOAD_ROUTE}*`, async (req, reply) => {
      const length = req.headers['content-length'];
      const body = (req.body as Readable | undefined) ?? req.raw;
      const outcome = await blobs.acceptUpload(
        req.params['*'],
        req.query,
        req.headers['content-type'],
        length === undefined ? null : Number(length),
        body,
        now(),
      );
      if (!outcome.ok) throw new ApiError(outcome.status, outcome.detail);
      return reply.code(200).send({ size: outcome.info.size });
    });
    ready();
  });
}
