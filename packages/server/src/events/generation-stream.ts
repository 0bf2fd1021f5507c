// One generation's live event stream (issue 11, "Live progress"; docs/live-progress.md). It reads the
// outbox: the events after the client's Last-Event-ID, then each new one as the store's watch announces
// it (this process's writes at once, other processes' through NOTIFY or a poll). It sends each as an SSE
// frame whose id is the event's seq, so a reconnecting client resumes exactly where it stopped, and ends
// after the terminal event. Between events: a keep-alive comment, and the queue position while queued.
import type { BlobStore } from '../blobs/blob-store.js';
import type { QueuePositionStreamEvent } from '../contract/live-progress.js';
import type { GenerationState } from '../contract/wire.js';
import { isTerminal, presentEvent, stateAfter } from '../generations/present-event.js';
import type { GenerationRow, Store } from '../store/store.js';
import { sseComment, sseEvent, sseRetry } from './sse-frame.js';
import type { SseConnection } from './sse-response.js';

export interface GenerationStreamDeps {
  store: Store;
  blobs: BlobStore;
  /** Lifetime of the output URLs in a `generation.completed` event. */
  urlTtlMs: number;
  now: () => number;
}

/** Timings of a stream. */
export interface GenerationStreamSettings {
  /** A comment goes out after this long without a frame, so proxies keep an idle stream open. */
  keepAliveMs: number;
  /** The reconnection delay the stream suggests to clients (`retry:`). */
  retryMs: number;
  /** While queued, the position is read again at most this often (and only after the log moved). */
  queueCheckMs: number;
}

/** Defaults: a comment every 15 s (well under the usual 60 s proxy idle timeouts). */
export const STREAM_DEFAULTS: GenerationStreamSettings = {
  keepAliveMs: 15_000,
  retryMs: 1000,
  queueCheckMs: 1000,
};

/** Events read at once; a client far behind gets them in pages. */
const PAGE = 100;
/** Whether the generation has events after `afterSeq`, or has not ended: is there anything to stream? */
export async function hasMoreEvents(store: Store, row: GenerationRow, afterSeq: number): Promise<boolean> {
  if (row.state !== 'completed' && row.state !== 'failed') return true;
  return (await store.events.ofGeneration(row.id, afterSeq, 1)).length > 0;
}

/**
 * Streams `start`'s events after `afterSeq` to `conn` until the terminal event has been sent, the
 * connection ends or `stop` is aborted. Resolves when done; rejects only if the store fails.
 */
export async function streamGeneration(
  d: GenerationStreamDeps,
  s: GenerationStreamSettings,
  start: GenerationRow,
  afterSeq: number,
  conn: SseConnection,
  stop: AbortSignal,
): Promise<void> {
  let cursor = afterSeq;
  let row = start;
  let state: GenerationState = start.state;
  // Work waiting: a read of the log (because the watch woke us), a look at the queue position (the log
  // moved since the last one).
  let read = true;
  let queueStale = true;
  let queueReadAt = -Infinity;
  let position: number | null = null;
  let lastFrameAt = Date.now();
  let wake: (() => void) | null = null;
  const rouse = (): void => {
    read = queueStale = true;
    wake?.();
  };
  const ended = (): boolean => stop.aborted || conn.closed.aborted;
  const send = async (frame: string): Promise<boolean> => {
    lastFrameAt = Date.now();
    return conn.write(frame);
  };

  // Subscribe before the first read, so nothing appended in between is missed.
  const unwatch = d.store.events.watch(rouse);
  const onEnd = (): void => wake?.();
  stop.addEventListener('abort', onEnd);
  conn.closed.addEventListener('abort', onEnd);
  try {
    if (!(await send(sseRetry(s.retryMs)))) return;
    while (!ended()) {
      if (read) {
        read = false;
        if (!(await sendNewEvents())) return;
      }
      if (state === 'queued' && queueStale && Date.now() - queueReadAt >= s.queueCheckMs) {
        queueStale = false;
        queueReadAt = Date.now();
        if (!(await sendQueuePosition())) return;
      }
      if (Date.now() - lastFrameAt >= s.keepAliveMs) {
        if (!(await send(sseComment('keep-alive')))) return;
        // A safety net under the watch: look at the log once per keep-alive too.
        read = true;
        continue;
      }
      if (read || ended()) continue;
      const deadlines = [lastFrameAt + s.keepAliveMs];
      if (state === 'queued' && queueStale) deadlines.push(queueReadAt + s.queueCheckMs);
      await sleepUntil(Math.min(...deadlines));
    }
  } finally {
    unwatch();
    stop.removeEventListener('abort', onEnd);
    conn.closed.removeEventListener('abort', onEnd);
  }

  /** Sends every event after the cursor; false when the stream is over (the end sent, or the client left). */
  async function sendNewEvents(): Promise<boolean> {
    for (;;) {
      const events = await d.store.events.ofGeneration(row.id, cursor, PAGE);
      for (const e of events) {
        // The terminal event's row is read after it: outputs and failure are final by then.
        if (isTerminal(e.kind)) row = (await d.store.generations.get(row.id)) ?? row;
        const data = await presentEvent(row, e, d.blobs, d.now(), d.urlTtlMs);
        if (!(await send(sseEvent({ id: e.seq, event: data.type, data })))) return false;
        cursor = e.seq;
        state = stateAfter(e.kind);
        // A job that is retried queues again: its new place is news even if the number is the same.
        if (state !== 'queued') position = null;
        if (isTerminal(e.kind)) return false;
      }
      if (events.length < PAGE) return true;
    }
  }

  /** Sends the queue position if it changed; false when the client left. */
  async function sendQueuePosition(): Promise<boolean> {
    const n = await d.store.generations.queuePosition(row.id);
    if (n === null || n === position) return true;
    position = n;
    const data: QueuePositionStreamEvent = {
      type: 'queue_position',
      timestamp: new Date(d.now()).toISOString(),
      queue_position: n,
    };
    return send(sseEvent({ event: data.type, data }));
  }

  /** Sleeps until `deadline` (ms since the epoch), a wake-up from the watch, or the end. */
  function sleepUntil(deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      wake = done;
    });
  }
}
