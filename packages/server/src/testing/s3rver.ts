// A real S3-compatible bucket for tests: s3rver on a temp directory and an ephemeral loopback port, behind
// a front door that checks every request's SigV4 signature as S3 does (sigv4-verify.ts says why). Clients
// talk to the front door; s3rver stores the bytes, answers the S3 protocol and checks presigned expiry.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3BlobStoreOptions } from '../blobs/s3.blob-store.js';
import { verifySigV4 } from './sigv4-verify.js';

/** s3rver's built-in account. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface TestBucket {
  /** The bucket's endpoint (the front door), e.g. http://127.0.0.1:PORT; path-style addressing. */
  endpoint: string;
  /** s3rver itself, without the front door: it does not check SigV4 signatures. */
  rawEndpoint: string;
  bucket: string;
  /** Another bucket on the same service. */
  otherBucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Options for an S3BlobStore on this bucket. */
  storeOptions(o?: Partial<S3BlobStoreOptions>): S3BlobStoreOptions;
  /** Environment for loadConfig() that puts a server's blobs in this bucket. */
  env: Record<string, string>;
  /** The bucket stops answering, as a stopped S3 server: connections reset, new ones refused. */
  down(): Promise<void>;
  /** Answers again, on the same endpoint and with the same objects. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const xmlError = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** Starts s3rver with two empty buckets. The caller closes it. */
export async function startTestBucket(): Promise<TestBucket> {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-s3rver-'));
  const bucket = 'umbra-test';
  const otherBucket = 'someone-else';
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }, { name: otherBucket }],
  });
  const { port: rawPort } = await s3rver.run();
  const secrets = new Map([[S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey]]);

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    // Expiry is left to s3rver, which checks it itself (s3rver.test.ts shows it).
    const refusal = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
      secrets,
      Date.now(),
      false,
    );
    if (refusal !== null) {
      // Refused before the body is read: the connection closes so the rest of an upload is not awaited.
      res.writeHead(403, { 'content-type': 'application/xml', connection: 'close' });
      res.end(xmlError(refusal.code, refusal.message));
      req.resume();
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: rawPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  };
  const front = createServer(forward);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const frontPort = (front.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${frontPort}`;
  const stopFront = async (): Promise<void> => {
    if (!front.listening) return;
    front.closeAllConnections();
    await new Promise<void>((resolve) => front.close(() => resolve()));
  };
  const region = 'us-east-1';
  return {
    endpoint,
    rawEndpoint: `http://127.0.0.1:${rawPort}`,
    bucket,
    otherBucket,
    region,
    credentials: { ...S3RVER_CREDENTIALS },
    storeOptions: (o = {}) => ({
      bucket,
      endpoint,
      region,
      forcePathStyle: true,
      publicEndpoint: null,
      prefix: '',
      credentials: { ...S3RVER_CREDENTIALS },
      ...o,
    }),
    env: {
      UMBRA_S3_BUCKET: bucket,
      UMBRA_S3_ENDPOINT: endpoint,
      UMBRA_S3_REGION: region,
      UMBRA_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    },
    down: stopFront,
    async up() {
      await new Promise<void>((resolve) => front.listen(frontPort, '127.0.0.1', resolve));
    },
    async close() {
      await stopFront();
      await s3rver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
