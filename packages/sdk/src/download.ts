// Downloads of presigned URLs (a generation's outputs): into a file, a web stream or a Node writable.
// The main entry must load in browsers, so node:fs is imported lazily and only when given a path.
import type * as FsPromises from 'node:fs/promises';

/** The parts of a Node `Writable` that `download` uses (e.g. `fs.createWriteStream(…)`); it is ended when done. */
export interface NodeWritableLike {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(callback?: () => void): unknown;
  once(event: 'drain' | 'error', listener: (error?: Error) => void): unknown;
}

/** Where `download` puts the bytes: a file path (Node only), a web `WritableStream`, or a Node writable. */
export type DownloadTarget = string | WritableStream<Uint8Array> | NodeWritableLike;

/** What `download` wrote. */
export interface DownloadResult {
  /** Bytes written. */
  bytes: number;
  /** The response's `Content-Type` (e.g. `image/png`, `video/mp4`), if any. */
  contentType: string | null;
  /** The file written, when the target was a path. */
  path: string | null;
}

// A specifier in a variable keeps browser bundlers from trying to resolve node:fs; Node loads it on demand.
const FS_MODULE = 'node:fs/promises';
const loadFs = (): Promise<typeof FsPromises> =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ FS_MODULE);

/** Writes a response body to `target`; resolves with the number of bytes written. */
export function writeBody(body: ReadableStream<Uint8Array>, target: DownloadTarget): Promise<number> {
  if (typeof target === 'string') return toFile(body, target);
  if (isWebWritable(target)) return toWebStream(body, target);
  return toNodeWritable(body, target);
}

const isWebWritable = (t: WritableStream<Uint8Array> | NodeWritableLike): t is WritableStream<Uint8Array> =>
  typeof (t as WritableStream<Uint8Array>).getWriter === 'function';

/** Reads a web stream chunk by chunk (async iteration of ReadableStream is not in every browser). */
async function forEachChunk(
  body: ReadableStream<Uint8Array>,
  fn: (chunk: Uint8Array) => Promise<void>,
): Promise<number> {
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return bytes;
      bytes += value.byteLength;
      await fn(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    reader.releaseLock();
  }
}

async function toFile(body: ReadableStream<Uint8Array>, path: string): Promise<number> {
  const fs = await loadFs();
  const part = `${path}.part`;
  const handle = await fs.open(part, 'w');
  try {
    const bytes = await forEachChunk(body, async (chunk) => {
      await handle.write(chunk);
    });
    await handle.close();
    await fs.rename(part, path);
    return bytes;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(part, { force: true });
    throw err;
  }
}

async function toWebStream(
  body: ReadableStream<Uint8Array>,
  target: WritableStream<Uint8Array>,
): Promise<number> {
  const writer = target.getWriter();
  try {
    const bytes = await forEachChunk(body, (chunk) => writer.write(chunk));
    await writer.close();
    return bytes;
  } catch (err) {
    await writer.abort(err).catch(() => undefined);
    throw err;
  }
}

async function toNodeWritable(body: ReadableStream<Uint8Array>, target: NodeWritableLike): Promise<number> {
  let failure: Error | undefined;
  target.once('error', (e) => {
    failure = e ?? new Error('write failed');
  });
  const bytes = await forEachChunk(body, async (chunk) => {
    if (failure !== undefined) throw failure;
    // Respect backpressure: wait for 'drain' when the writable's buffer is full.
    if (!target.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        target.once('drain', () => resolve());
        target.once('error', (e) => reject(e ?? new Error('write failed')));
      });
    }
  });
  await new Promise<void>((resolve) => target.end(() => resolve()));
  if (failure !== undefined) throw failure;
  return bytes;
}
