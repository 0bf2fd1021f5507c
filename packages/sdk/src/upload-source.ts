// What `files.upload` accepts, turned into what the two upload modes need: a Blob (replayable, for the
// inline form or a PUT that may be retried) or a one-shot stream with a known size. In Node a path becomes
// a disk-backed Blob and a stream is read only as far as the inline threshold, so a large file is never
// held in memory. The browser path loads no Node module: node:fs is imported lazily, only for a path.
import type * as Fs from 'node:fs';
import { UmbraError } from './errors.js';
import { SNIFF_BYTES, mediaTypeForName, sniffMediaType } from './sniff.js';

/**
 * The bytes to upload: a `Blob`/`File`, a `Uint8Array` or `ArrayBuffer`, a web `ReadableStream`, any async
 * iterable of byte chunks (a Node `Readable`, e.g. `fs.createReadStream(…)`), or — in Node — a file path.
 */
export type UploadSource =
  Blob | Uint8Array | ArrayBuffer | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A source made ready to send. Exactly one of `blob` and `stream` is set. */
export interface PreparedSource {
  /** Size in bytes: exact for a Blob, the declared `size_bytes` for a stream. */
  size: number;
  /** From the Blob's own type, else the bytes' magic numbers, else the name's extension; null if unknown. */
  mimeType: string | null;
  /** A path's base name or a `File`'s name. */
  filename: string | null;
  /** Replayable bytes (in memory only when small, or backed by the file on disk). */
  blob: Blob | null;
  /** Bytes that can be read once, larger than the inline threshold. */
  stream: ReadableStream<Uint8Array> | null;
}

// A specifier in a variable keeps browser bundlers from trying to resolve node:fs; Node loads it on demand.
const FS_MODULE = 'node:fs';
const loadFs = (): Promise<typeof Fs> => import(/* @vite-ignore */ /* webpackIgnore: true */ FS_MODULE);

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

const isWebStream = (s: object): s is ReadableStream<Uint8Array> =>
  typeof (s as ReadableStream<Uint8Array>).getReader === 'function';

const isAsyncIterable = (s: object): s is AsyncIterable<Uint8Array> => Symbol.asyncIterator in s;

/**
 * Prepares `source`. A stream is read up to `inlineMax + 1` bytes: if it ends by then it becomes a Blob
 * (and may go inline); otherwise its size must be declared in `declaredSize`, since a presigned PUT needs
 * the exact length up front.
 */
export async function prepareSource(
  source: UploadSource,
  inlineMax: number,
  declaredSize: number | undefined,
): Promise<PreparedSource> {
  if (typeof source === 'string') return fromPath(source);
  if (source instanceof Blob) {
    const name = (source as Blob & { name?: unknown }).name;
    return fromBlob(source, typeof name === 'string' && name !== '' ? name : null);
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    return fromBlob(new Blob([source]), null);
  }
  if (isWebStream(source)) return fromChunks(readerOf(source), inlineMax, declaredSize);
  if (isAsyncIterable(source)) return fromChunks(source[Symbol.asyncIterator](), inlineMax, declaredSize);
  throw new UmbraError('upload: expected a Blob, bytes, a stream or a file path');
}

async function fromPath(path: string): Promise<PreparedSource> {
  if (
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== 'string'
  ) {
    throw new UmbraError('upload: a file path needs Node; pass a Blob or File in a browser');
  }
  const fs = await loadFs();
  // A Blob backed by the file: its bytes are read from disk as they are sent, on every attempt.
  const blob = await fs.openAsBlob(path);
  return fromBlob(blob, baseName(path));
}

async function fromBlob(blob: Blob, filename: string | null): Promise<PreparedSource> {
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const mimeType =
    (blob.type === '' ? null : blob.type) ??
    sniffMediaType(head) ??
    (filename === null ? null : mediaTypeForName(filename));
  return { size: blob.size, mimeType, filename, blob, stream: null };
}

function readerOf(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

async function fromChunks(
  it: AsyncIterator<Uint8Array>,
  inlineMax: number,
  declaredSize: number | undefined,
): Promise<PreparedSource> {
  const head: Uint8Array[] = [];
  let read = 0;
  const want = Math.max(inlineMax + 1, SNIFF_BYTES);
  while (read < want) {
    const r = await it.next();
    if (r.done === true) {
      const blob = new Blob(head);
      return fromBlob(blob, null);
    }
    head.push(r.value);
    read += r.value.byteLength;
  }
  if (declaredSize === undefined) {
    await it.return?.();
    throw new UmbraError(
      `upload: a stream longer than ${inlineMax} bytes needs its size_bytes (a presigned PUT sends the length first)`,
    );
  }
  const first = concatHead(head, SNIFF_BYTES);
  return {
    size: declaredSize,
    mimeType: sniffMediaType(first),
    filename: null,
    blob: null,
    stream: prefixed(head, it),
  };
}

function concatHead(chunks: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    if (at >= n) break;
    const part = c.subarray(0, n - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out.subarray(0, at);
}

/** The chunks already read, then the rest of the source, pulled only as fast as the request sends them. */
function prefixed(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  const queued = [...head];
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        const next = queued.shift();
        if (next !== undefined) return ctl.enqueue(next);
        const r = await rest.next();
        if (r.done === true) ctl.close();
        else ctl.enqueue(r.value);
      },
      async cancel() {
        await rest.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
