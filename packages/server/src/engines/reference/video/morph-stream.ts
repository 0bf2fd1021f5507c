// Feeds ffmpeg's stdin with the frames of a morph timeline, produced on a worker thread. The main thread
// only decodes the pinned stills (two at a time) and moves finished frames from the worker to the pipe;
// a fixed pool of frame buffers circulates between them, so memory does not grow with duration.
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { stillRgb } from '../../../media/stills.js';
import { yuv420Bytes } from './yuv.js';
import { failureFromWire } from '../../failure-wire.js';
import type { MorphReply, MorphRequest } from './morph-messages.js';
import type { MorphSegment } from './morph-plan.js';

/** Frames in flight between the worker and the pipe: enough to keep both busy, few enough to stay small. */
const BUFFERS = 3;

const WORKER_URL = new URL('./morph.worker.js', import.meta.url);

/** What {@link feedMorph} needs. */
export interface MorphFeed {
  width: number;
  height: number;
  /** Fitted PNG of each pin, in pin order. */
  stills: readonly string[];
  segments: readonly MorphSegment[];
  signal: AbortSignal;
}

/** Writes every frame of the timeline to `stdin`, then ends it. */
export const feedMorph = async (stdin: Writable, feed: MorphFeed): Promise<void> => {
  const worker = new Worker(WORKER_URL);
  const post = (m: MorphRequest, transfer: ArrayBuffer[] = []): void => worker.postMessage(m, transfer);
  let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  // Held in an object: set from callbacks, which control-flow narrowing cannot see.
  const state: { failure: Error | null } = { failure: null };
  const fail = (err: Error): void => {
    state.failure ??= err;
    settle?.reject(state.failure);
  };
  const check = (): void => {
    if (state.failure) throw state.failure;
  };
  const onAbort = (): void => fail(new Error('aborted'));
  feed.signal.addEventListener('abort', onAbort, { once: true });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`morph thread exited with ${code}`)));
  worker.on('message', (m: MorphReply) => {
    if (m.kind === 'frame') {
      // The buffer goes back to the worker only once the pipe has taken the bytes.
      stdin.write(new Uint8Array(m.buf), (err) => {
        if (err) fail(err);
        else post({ kind: 'buffer', buf: m.buf }, [m.buf]);
      });
    } else if (m.kind === 'segment-done') settle?.resolve();
    else fail(failureFromWire(m.failure));
  });
  try {
    for (let i = 0; i < BUFFERS; i++) {
      const buf = new ArrayBuffer(yuv420Bytes(feed.width, feed.height));
      post({ kind: 'buffer', buf }, [buf]);
    }
    for (const seg of feed.segments) {
      check();
      const rgb = (pin: number): Promise<Uint8Array> =>
        stillRgb(feed.stills[pin] ?? '', feed.width, feed.height);
      const from = { pin: seg.from, rgb: await rgb(seg.from) };
      const to = seg.to === null ? null : { pin: seg.to, rgb: await rgb(seg.to) };
      const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      check();
      const transfer = [from.rgb.buffer as ArrayBuffer, ...(to ? [to.rgb.buffer as ArrayBuffer] : [])];
      post(
        { kind: 'segment', width: feed.width, height: feed.height, from, to, frames: seg.frames },
        transfer,
      );
      await done;
    }
    stdin.end();
    await finished(stdin);
  } finally {
    feed.signal.removeEventListener('abort', onAbort);
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
};
