// A streaming multipart/form-data reader for POST /v1/files (contract, Files API "Two upload modes", 1): text
// fields are collected, the part named `file` is handed over as a stream and never buffered whole.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { ApiError } from '../contract/api-error.js';

/** Generous for metadata, tight enough that fields cannot be used to send bulk data. */
const LIMITS = { fields: 32, fieldSize: 64 * 1024, files: 1, parts: 40, headerPairs: 100 };

const malformed = (): ApiError => new ApiError(400, 'Request body is not valid multipart/form-data');

/**
 * Reads the form in `req`. `onFile` gets the stream of the first part named `file` and must consume it;
 * other file parts are discarded. Resolves with the text fields once the whole form and `onFile` are
 * done; rejects with the first error (onFile's own, a malformed body, or a client that went away).
 */
export function readMultipart(
  req: IncomingMessage,
  onFile: (part: Readable) => Promise<void>,
): Promise<ReadonlyMap<string, string>> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let upload: Promise<void> = Promise.resolve();
    let part: Readable | null = null;
    let settled = false;
    let bb: BusboyInstance;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      part?.destroy();
      // Let the rest of the body drain, so the client reads our answer instead of a reset connection.
      req.resume();
      reject(err instanceof Error ? err : malformed());
    };
    try {
      bb = new Busboy({
        headers: { ...req.headers, 'content-type': req.headers['content-type'] ?? '' },
        limits: LIMITS,
      });
    } catch {
      reject(malformed());
      return;
    }
    bb.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) fail(new ApiError(422, `${name}: must be at most ${LIMITS.fieldSize} bytes`));
      else if (!fields.has(name)) fields.set(name, value);
    });
    bb.on('file', (name, stream) => {
      if (name !== 'file' || part !== null) {
        stream.resume();
        return;
      }
      part = stream;
      upload = onFile(stream);
      upload.catch(fail);
    });
    bb.on('finish', () => {
      upload.then(() => {
        if (settled) return;
        settled = true;
        resolve(fields);
      }, fail);
    });
    bb.on('error', () => fail(malformed()));
    req.on('error', fail);
    req.on('close', () => {
      if (!req.complete) fail(new ApiError(400, 'Request body ended early'));
    });
    req.pipe(bb);
  });
}
