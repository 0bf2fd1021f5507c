// Blobs in an S3-compatible bucket (AWS S3, MinIO, R2, …). URLs are the bucket's own presigned URLs, so
// downloads and uploads never pass through this server. The only module that imports the AWS SDK.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobInfo, BlobStore, OwnUrl, UploadOptions, UploadTarget } from './blob-store.js';
import { isValidBlobKey } from './blob-store.js';
import { OwnUrlChecker, presignWindow, windowEnd } from './s3-urls.js';

/** Static credentials; without them the AWS SDK's default chain is used (env, shared profile, instance role). */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3BlobStoreOptions {
  /** The bucket (it must exist). */
  bucket: string;
  /** Endpoint of an S3-compatible service, e.g. http://minio:9000; null = AWS S3 for `region`. */
  endpoint: string | null;
  /** Region the requests are signed for. */
  region: string;
  /** Bucket in the path (`<endpoint>/<bucket>/<key>`) rather than the host; most non-AWS services need it. */
  forcePathStyle: boolean;
  /**
   * The endpoint clients reach the bucket at, when it is not `endpoint` (e.g. the service's public name
   * while this server talks to it on an internal one). Presigned URLs are signed for this host.
   */
  publicEndpoint: string | null;
  /** Prepended to every object key ('' = none, else ending in `/`), so a bucket can be shared. */
  prefix: string;
  /** null = the AWS SDK's default credential chain. */
  credentials: S3Credentials | null;
  /** The clock URLs are signed by. Default Date.now. */
  now?: () => number;
}

// Multipart parts: memory per upload is bounded by PART_BYTES × PART_QUEUE, whatever the blob's size.
const PART_BYTES = 8 * 1024 * 1024;
const PART_QUEUE = 2;

/** A request the bucket answered "no such object" to. */
const isNotFound = (err: unknown): boolean =>
  err instanceof S3ServiceException &&
  (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404);

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

const isPrematureClose = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';

/** Counts the bytes that pass. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err: null, chunk: Buffer) => void): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  /** Signs URLs for the host clients see (the public endpoint when set); never sends a request. */
  private readonly presigner: S3Client;
  private readonly own: OwnUrlChecker;
  private readonly now: () => number;

  constructor(private readonly o: S3BlobStoreOptions) {
    this.now = o.now ?? Date.now;
    const config = (endpoint: string | null): S3ClientConfig => ({
      region: o.region,
      forcePathStyle: o.forcePathStyle,
      ...(endpoint === null ? {} : { endpoint }),
      ...(o.credentials === null ? {} : { credentials: o.credentials }),
      // Flexible checksums (aws-chunked bodies with trailers) are not understood by many S3-compatible
      // services; send and check checksums only where an operation requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // An unreachable bucket fails in seconds, as an error the callers retry, not after a TCP timeout.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    });
    this.client = new S3Client(config(o.endpoint));
    this.presigner = o.publicEndpoint === null ? this.client : new S3Client(config(o.publicEndpoint));
    const clients = this.presigner === this.client ? [this.client] : [this.presigner, this.client];
    this.own = new OwnUrlChecker(clients, o.bucket, o.prefix, async () => {
      const credentials = await this.client.config.credentials();
      return credentials.accessKeyId;
    });
  }

  /** Where the blobs are, for people: `s3://bucket/prefix` and the endpoint when not AWS's. */
  describe(): string {
    const at = this.o.endpoint === null ? `AWS ${this.o.region}` : this.o.endpoint;
    return `s3://${this.o.bucket}/${this.o.prefix} (${at})`;
  }

  private objectKey(key: string): string {
    if (!isValidBlobKey(key)) throw new Error(`invalid blob key: ${key}`);
    return this.o.prefix + key;
  }

  putFile(key: string, srcPath: string, contentType: string): Promise<BlobInfo> {
    return this.putStream(key, createReadStream(srcPath), contentType);
  }

  async putBuffer(key: string, data: Buffer, contentType: string): Promise<BlobInfo> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.o.bucket,
        Key: this.objectKey(key),
        Body: data,
        ContentType: contentType,
        ContentLength: data.length,
      }),
    );
    return { size: data.length, contentType };
  }

  /**
   * Multipart for anything past one part; a stream that errors aborts the upload, so nothing is kept (a
   * bucket only shows an object once its single PUT or multipart completion has succeeded).
   */
  async putStream(key: string, data: Readable, contentType: string): Promise<BlobInfo> {
    const objectKey = this.objectKey(key);
    const counter = new ByteCounter();
    // The pipeline passes a source error on to the counter, which the upload is reading.
    const piped = pipeline(data, counter);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.o.bucket, Key: objectKey, Body: counter, ContentType: contentType },
      partSize: PART_BYTES,
      queueSize: PART_QUEUE,
      leavePartsOnError: false,
    });
    // An upload that fails stops reading: end the streams so the pipeline settles too.
    const uploaded = upload.done().then(
      () => null,
      (err: unknown) => {
        data.destroy();
        counter.destroy();
        return asError(err);
      },
    );
    const source = await piped.then(
      () => null,
      (err: unknown) => asError(err),
    );
    // Waited for either way: a failed multipart upload is aborted before this returns.
    const failed = await uploaded;
    if (failed !== null) throw source !== null && !isPrematureClose(source) ? source : failed;
    if (source !== null) throw source;
    return { size: counter.bytes, contentType };
  }

  async stat(key: string): Promise<BlobInfo | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.o.bucket, Key: this.objectKey(key) }),
      );
      return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  private async body(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const got = await this.client.send(
      new GetObjectCommand({
        Bucket: this.o.bucket,
        Key: this.objectKey(key),
        ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
      }),
    );
    if (!(got.Body instanceof Readable)) throw new Error(`no body for blob ${key}`);
    return got.Body;
  }

  async download(key: string, destPath: string): Promise<void> {
    await mkdir(dirname(destPath), { recursive: true });
    try {
      await pipeline(await this.body(key), createWriteStream(destPath));
    } catch (err) {
      await rm(destPath, { force: true });
      throw err;
    }
  }

  read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return this.body(key, range);
  }

  async delete(key: string): Promise<void> {
    // S3 answers a delete of a missing object with success.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: this.objectKey(key) }));
  }

  /** A presigned GET valid until `expiresAt`, at most 7 days from now (SigV4's limit). */
  signedUrl(key: string, expiresAt: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.o.bucket, Key: this.objectKey(key) });
    return getSignedUrl(this.presigner, command, presignWindow(expiresAt, this.now()));
  }

  ownUrl(url: string, now: number): Promise<OwnUrl> {
    return this.own.check(url, now);
  }

  /**
   * A presigned PUT whose signature covers the Content-Type: the bucket refuses any other type. It cannot
   * limit the size (`maxBytes`), so callers check the stored size after the upload.
   */
  async uploadTarget(key: string, o: UploadOptions): Promise<UploadTarget> {
    const window = presignWindow(o.expiresAt, this.now());
    const command = new PutObjectCommand({
      Bucket: this.o.bucket,
      Key: this.objectKey(key),
      ContentType: o.contentType,
    });
    const url = await getSignedUrl(this.presigner, command, {
      ...window,
      signableHeaders: new Set(['content-type']),
    });
    return { url, method: 'PUT', headers: { 'content-type': o.contentType }, expiresAt: windowEnd(window) };
  }

  /** Closes the clients' connection pools. */
  close(): void {
    this.client.destroy();
    if (this.presigner !== this.client) this.presigner.destroy();
  }
}
