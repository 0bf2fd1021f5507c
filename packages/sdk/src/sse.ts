// Reading `text/event-stream` (the WHATWG server-sent events format) from a fetch body, with no
// dependencies: a pure incremental parser, and a reader that feeds it from a byte stream.

/** One dispatched event: its `event:` name (default `message`) and its joined `data:` lines. */
export interface SseFrame {
  event: string;
  data: string;
  /** The last event id at this frame (its own `id:`, or an earlier one); what a reconnection sends back. */
  lastEventId?: string;
}

/**
 * Parses a stream of text into frames. What outlives a connection — the last event id and the `retry:`
 * hint — stays across {@link SseParser.reset}, as the standard keeps them for the reconnection.
 */
export class SseParser {
  /** The server's suggested reconnection delay in ms, once it sent one. */
  retry: number | undefined;
  /** The last `id:` seen (even on a frame without data); undefined until there is one. */
  lastEventId: string | undefined;
  private buffer = '';
  private data: string[] = [];
  private event = '';

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId;
  }

  /** A new connection: drops a frame the old one left half-sent. */
  reset(): void {
    this.buffer = '';
    this.data = [];
    this.event = '';
  }

  /** Feeds a chunk of text; returns the frames it completed. */
  push(text: string): SseFrame[] {
    this.buffer += text;
    const frames: SseFrame[] = [];
    for (;;) {
      // A line ends at CRLF, LF or CR; a CR at the very end may be half of a CRLF still to come.
      const m = /\r\n|\n|\r(?!$)/.exec(this.buffer);
      if (m === null) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const frame = this.line(line);
      if (frame !== null) frames.push(frame);
    }
    return frames;
  }

  private line(line: string): SseFrame | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
    return null;
  }

  private dispatch(): SseFrame | null {
    const { data, event, lastEventId } = this;
    this.data = [];
    this.event = '';
    if (data.length === 0) return null;
    return {
      event: event === '' ? 'message' : event,
      data: data.join('\n'),
      ...(lastEventId === undefined ? {} : { lastEventId }),
    };
  }
}

/** Why a stream stopped without its consumer asking: the server ended it, or it went quiet too long. */
export type SseEnd = 'ended' | 'idle';

/**
 * Reads `body` as frames until it ends, goes `idleMs` without a byte (then it is cancelled), or `signal`
 * aborts (then it is cancelled and the generator returns early). Returns why it ended; a network error
 * while reading is thrown. Leaving the loop early cancels the body too.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  parser: SseParser,
  idleMs: number,
  signal?: AbortSignal,
): AsyncGenerator<SseFrame, SseEnd> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  const arm = (): void => {
    clearTimeout(timer);
    if (Number.isFinite(idleMs)) {
      timer = setTimeout(() => {
        idle = true;
        cancel();
      }, idleMs);
    }
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    arm();
    for (;;) {
      if (signal?.aborted) return 'ended';
      const { done, value } = await reader.read();
      if (done) return idle ? 'idle' : 'ended';
      arm();
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
    cancel();
  }
}
