// An HTTP response held open for server-sent events. It sends the stream's headers at once, waits for the
// socket to drain when a client reads slowly (so a stream never buffers without bound), and turns every
// way a connection can end — the client leaving, a reset, the server stopping — into one signal. Writes
// after the end are dropped, never thrown or emitted as 'error'.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The stream's side of an open response. */
export interface SseConnection {
  /** Sends a frame; resolves false once the connection is gone (the frame is dropped). */
  write(frame: string): Promise<boolean>;
  /** Aborted when the connection ends, whoever ended it. */
  readonly closed: AbortSignal;
  /** Ends the response (idempotent). */
  end(): void;
}

/**
 * Headers of every event stream: no caching, no buffering by proxies such as nginx, and the connection
 * closed with the stream. A stream holds its connection for its whole life, so there is little to reuse,
 * and a connection left idle after a stream would keep a stopping server waiting for its keep-alive
 * timeout.
 */
export const SSE_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'close',
};

/** Headers as a framework holds them before sending (absent ones undefined). */
export type PendingHeaders = Readonly<Record<string, string | number | string[] | undefined>>;

/** Starts a 200 event stream on `res` with `headers` (e.g. X-Request-Id) added to {@link SSE_HEADERS}. */
export function openSse(res: ServerResponse, headers: PendingHeaders): SseConnection {
  const ctl = new AbortController();
  const close = (): void => ctl.abort();
  // A client that goes away mid-write must not become an unhandled 'error'.
  res.on('error', close);
  res.on('close', close);
  const head: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) head[name] = value;
  res.writeHead(200, { ...head, ...SSE_HEADERS });
  res.flushHeaders();
  const gone = (): boolean => ctl.signal.aborted || res.writableEnded || res.destroyed;
  return {
    closed: ctl.signal,
    async write(frame) {
      if (gone()) return false;
      if (res.write(frame)) return true;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          ctl.signal.removeEventListener('abort', done);
          resolve();
        };
        res.on('drain', done);
        ctl.signal.addEventListener('abort', done, { once: true });
      });
      return !gone();
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
