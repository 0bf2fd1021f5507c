// `client.generations.events`: Umbra's live event stream of one generation (`GET /generations/{id}/events`,
// server-sent events), as an async iterable that reconnects by itself. A dropped connection is opened
// again with the id of the last event received (`Last-Event-ID`), so no event is lost or repeated.
import { APIConnectionError, APIUserAbortError, EventStreamUnavailableError } from './errors.js';
import { retryDelay } from './retry.js';
import { SseParser, readSse } from './sse.js';
import type { GenerationStreamMessage } from './stream-types.js';
import type { RequestOptions, Transport } from './transport.js';
import { sleep } from './transport.js';

/** Options of `generations.events`. */
export interface EventStreamOptions extends Pick<RequestOptions, 'headers'> {
  /**
   * Resume after this event: the `id` of the last event you processed (the stream's frames carry it;
   * `lastEventId` of a previous iteration's events). Default: from the generation's first event.
   */
  lastEventId?: string | number;
  /** Ends the iteration (and closes the connection) with `APIUserAbortError`. */
  signal?: AbortSignal;
  /**
   * Reconnections in a row that deliver nothing before giving up with `APIConnectionError`; default the
   * client's `maxRetries`. Any event received starts the count again.
   */
  maxRetries?: number;
  /**
   * A connection silent for this long (no event, no keep-alive) is dropped and opened again; default
   * the client's `timeout` (the server sends a keep-alive comment every 15 s).
   */
  timeout?: number;
}

const TERMINAL = new Set(['generation.completed', 'generation.failed']);
const KNOWN = new Set([
  'generation.queued',
  'generation.processing',
  'generation.progress',
  'generation.completed',
  'generation.failed',
  'queue_position',
]);

const isEventStream = (res: Response): boolean =>
  (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');

/**
 * The generation's events from `lastEventId` on, ending after `generation.completed` or
 * `generation.failed` (or at once when the generation ended before `lastEventId`).
 * @throws NotFoundError (and the other `APIError`s) as `get` would; `EventStreamUnavailableError` when the
 * server answers with something else than an event stream; `APIConnectionError` after `maxRetries`
 * fruitless reconnections; `APIUserAbortError` when `signal` fires.
 */
export async function* generationEvents(
  transport: Transport,
  id: string,
  o: EventStreamOptions = {},
): AsyncGenerator<GenerationStreamMessage, void> {
  const path = `/generations/${encodeURIComponent(id)}/events`;
  const maxRetries = o.maxRetries ?? transport.config.maxRetries;
  const idleMs = o.timeout ?? transport.config.timeout;
  const parser = new SseParser(o.lastEventId === undefined ? undefined : String(o.lastEventId));
  for (let fruitless = 0; ;) {
    const last = parser.lastEventId;
    const res = await transport.openStream(path, {
      ...(o.signal === undefined ? {} : { signal: o.signal }),
      headers: {
        accept: 'text/event-stream',
        ...o.headers,
        ...(last === undefined ? {} : { 'last-event-id': last }),
      },
    });
    // 204: the generation ended and every event was seen.
    if (res.status === 204) return void (await res.body?.cancel().catch(() => undefined));
    if (!isEventStream(res) || res.body === null) {
      await res.body?.cancel().catch(() => undefined);
      throw new EventStreamUnavailableError(
        `${path} answered ${res.status} ${res.headers.get('content-type') ?? 'without a content type'}, not an event stream`,
      );
    }
    let delivered = false;
    let why: string;
    parser.reset();
    const frames = readSse(res.body, parser, idleMs, o.signal);
    try {
      for (;;) {
        const next = await frames.next();
        if (next.done === true) {
          why = next.value === 'idle' ? `no data for ${idleMs} ms` : 'the server closed it';
          break;
        }
        const frame = next.value;
        if (!KNOWN.has(frame.event)) continue;
        const message = JSON.parse(frame.data) as GenerationStreamMessage;
        delivered = true;
        yield message;
        if (TERMINAL.has(message.type)) return;
      }
    } catch (err) {
      if (o.signal?.aborted) throw new APIUserAbortError();
      // A reset or a cut connection: reconnect like any network error.
      why = err instanceof Error ? err.message : String(err);
    } finally {
      // However the loop ended (the consumer stopped early too), the connection is released.
      await frames.return('ended');
    }
    if (o.signal?.aborted) throw new APIUserAbortError();
    fruitless = delivered ? 0 : fruitless + 1;
    if (fruitless > maxRetries) {
      throw new APIConnectionError(`event stream of generation ${id} dropped: ${why}`);
    }
    // The server's `retry:` hint wins over the library's backoff, as `Retry-After` does.
    await sleep(parser.retry ?? retryDelay(Math.max(0, fruitless - 1), null), o.signal);
  }
}
