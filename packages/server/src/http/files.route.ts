// Serves blobs behind signed, expiring URLs (contract §3.3): 403 when expired or tampered; Range support.
import type { FastifyInstance } from 'fastify';
import type { BlobStore } from '../blobs/blob-store.js';
import { isValidBlobKey } from '../blobs/disk.blob-store.js';
import type { UrlSigner } from '../blobs/url-signer.js';
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

export function registerFileRoute(
  app: FastifyInstance,
  blobs: BlobStore,
  signer: UrlSigner,
  now: () => number,
): void {
  app.get<{ Params: { '*': string }; Querystring: { expires?: string; signature?: string } }>(
    '/files/*',
    async (req, reply) => {
      const key = req.params['*'];
      if (!isValidBlobKey(key)) throw new ApiError(403, 'Invalid signature');
      const check = signer.check(key, req.query.expires, req.query.signature, now());
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
}
