// Wires the video-edit pipeline: a decoding ffmpeg writes side-by-side frames (source | full edit) to its
// stdout, the edit thread turns each into the output frame, and an encoding ffmpeg reads those from its
// stdin (plus, when debugging, a third ffmpeg encodes the control-signal mosaics). At most IN_FLIGHT frames
// exist between the processes at any time, so memory does not grow with the source's length. The edit
// thread is borrowed from an EditThreads for the job (a session of its own) and given back at the end,
// whatever the end was, with its models still loaded.
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ToolAborted, runFfmpeg } from '../../../media/ffmpeg/run.js';
import { failureFromWire } from '../../failure-wire.js';
import type { EditReply, EditRequest, EditWorkerConfig, FrameStats, ModelLoads } from './edit-messages.js';
import type { EditThreads } from './edit-threads.js';
import { guideNeededFrom } from './guides.js';

/** Frames between decoder and encoder: enough to keep the three busy, few enough to stay small. */
const IN_FLIGHT = 3;

/** Everything {@link runEditStream} runs. */
export interface EditStreamSpec {
  ffmpeg: string;
  decodeArgs: string[];
  encodeArgs: string[];
  /** Consumer of the encoder's stdout (the EXR export's linear frames), if any. */
  encodeStdout?: (out: Readable) => Promise<void>;
  /** The debug side video's encoder (rgb24 mosaics on stdin), or null. */
  debugArgs: string[] | null;
  config: EditWorkerConfig;
  /** Where the edit thread comes from. */
  threads: EditThreads;
  frames: number;
  /** Fitted rgb24 of a guide, in a buffer of its own (it is transferred to the edit thread). */
  loadGuide: (guide: number) => Promise<Uint8Array>;
  signal: AbortSignal;
  onFrames: (frames: number) => void;
}

type FrameReply = Extract<EditReply, { kind: 'frame' }>;

/** What the control signals found over the whole clip (for the render log and the tests). */
export interface SignalSummary {
  meanTracks: number;
  framesWithBodies: number;
  framesWithFaces: number;
  /** Mean identity similarity of output faces to source faces over the checked frames; null if none. */
  faceSimilarity: number | null;
}

/** What {@link runEditStream} returns. */
export interface EditStreamResult {
  signals: SignalSummary;
  /** The models the edit thread loaded for this job (none when it had them from an earlier one). */
  models: ModelLoads;
}

/** Folds per-frame stats into a {@link SignalSummary}. */
export const summarise = (stats: readonly FrameStats[]): SignalSummary => {
  const sims = stats.flatMap((s) => (s.faceSimilarity === null ? [] : [s.faceSimilarity]));
  return {
    meanTracks: stats.reduce((a, s) => a + s.tracks, 0) / Math.max(1, stats.length),
    framesWithBodies: stats.filter((s) => s.bodies > 0).length,
    framesWithFaces: stats.filter((s) => s.faces > 0).length,
    faceSimilarity: sims.length ? sims.reduce((a, b) => a + b, 0) / sims.length : null,
  };
};

const write = (s: Writable, bytes: Uint8Array): Promise<void> =>
  new Promise((resolve, reject) => s.write(bytes, (err) => (err ? reject(err) : resolve())));

/** A promise with its settle functions, for hand-overs between callbacks. */
const deferred = <T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } => {
  let resolve: (v: T) => void = () => undefined;
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are read by whoever awaits; this keeps an unawaited one from crashing the process.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
};

/**
 * Runs the pipeline to the end. Throws ToolAborted when `signal` stopped it, the first failure otherwise
 * (a ToolError carries the failing ffmpeg's stderr).
 */
export const runEditStream = async (s: EditStreamSpec): Promise<EditStreamResult> => {
  const inner = new AbortController();
  const state: { failure: Error | null } = { failure: null };
  const pending = new Map<number, ReturnType<typeof deferred<FrameReply>>>();
  const fail = (err: Error): void => {
    state.failure ??= err;
    for (const p of pending.values()) p.reject(state.failure);
    pending.clear();
    inner.abort();
  };
  let models: ModelLoads = { loads: 0, ms: 0 };
  const session = s.threads.open({
    onReply: (m) => {
      if (m.kind === 'error') return fail(failureFromWire(m.failure));
      if (m.kind === 'ready') {
        models = m.models;
        return;
      }
      if (m.kind !== 'frame') return;
      const p = pending.get(m.index);
      pending.delete(m.index);
      p?.resolve(m);
    },
    onLost: fail,
  });
  const post = (m: EditRequest, transfer: ArrayBuffer[] = []): void => session.post(m, transfer);
  const onAbort = (): void => fail(new ToolAborted());
  s.signal.addEventListener('abort', onAbort, { once: true });
  post({ kind: 'init', config: s.config });

  const decoded = deferred<Readable>();
  const readDone = deferred<void>();
  const debugIn = deferred<Writable>();
  const debugDone = deferred<void>();
  const { width: W, height: H } = s.config;
  const frameBytes = W * 2 * H * 3;
  const guidesSent = new Set<number>();
  const stats: FrameStats[] = [];

  const pump = async (stdin: Writable): Promise<void> => {
    const src = await decoded.promise;
    const dbg = s.debugArgs ? await debugIn.promise : null;
    const inflight: Promise<FrameReply>[] = [];
    const drainOne = async (): Promise<void> => {
      const next = inflight.shift();
      if (!next) return;
      const r = await next;
      stats.push(r.stats);
      await write(stdin, new Uint8Array(r.yuv));
      if (dbg && r.debug) await write(dbg, new Uint8Array(r.debug));
    };
    let sent = 0;
    const send = async (frame: Uint8Array): Promise<void> => {
      for (const pin of s.config.pins) {
        if (guidesSent.has(pin.guide) || guideNeededFrom(pin) > sent) continue;
        guidesSent.add(pin.guide);
        const rgb = await s.loadGuide(pin.guide);
        post({ kind: 'guide', guide: pin.guide, rgb: rgb.buffer as ArrayBuffer }, [
          rgb.buffer as ArrayBuffer,
        ]);
      }
      if (state.failure) throw state.failure;
      const reply = deferred<FrameReply>();
      pending.set(sent, reply);
      post({ kind: 'frame', index: sent, buf: frame.buffer as ArrayBuffer }, [frame.buffer as ArrayBuffer]);
      inflight.push(reply.promise);
      sent++;
      if (inflight.length >= IN_FLIGHT) await drainOne();
    };
    let frame = new Uint8Array(frameBytes);
    let fill = 0;
    for await (const chunk of src as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(chunk.length - at, frameBytes - fill);
        frame.set(chunk.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === frameBytes) {
          await send(frame);
          frame = new Uint8Array(frameBytes);
          fill = 0;
        }
      }
    }
    if (sent !== s.frames || fill !== 0) throw new Error(`decoder gave ${sent} of ${s.frames} frames`);
    while (inflight.length) await drainOne();
    stdin.end();
    await finished(stdin);
    if (dbg) {
      dbg.end();
      await finished(dbg);
    }
  };

  const runs: Promise<void>[] = [
    runFfmpeg(s.ffmpeg, s.decodeArgs, {
      signal: inner.signal,
      stdout: (out) => {
        decoded.resolve(out);
        return readDone.promise;
      },
    }),
    runFfmpeg(s.ffmpeg, s.encodeArgs, {
      signal: inner.signal,
      onFrames: s.onFrames,
      ...(s.encodeStdout ? { stdout: s.encodeStdout } : {}),
      stdin: async (stdin) => {
        try {
          await pump(stdin);
          readDone.resolve();
          debugDone.resolve();
        } catch (err) {
          const e = err instanceof Error ? err : new Error(String(err));
          fail(e);
          readDone.reject(e);
          debugDone.reject(e);
          throw e;
        }
      },
    }),
  ];
  if (s.debugArgs) {
    runs.push(
      runFfmpeg(s.ffmpeg, s.debugArgs, {
        signal: inner.signal,
        stdin: (input) => {
          debugIn.resolve(input);
          return debugDone.promise;
        },
      }),
    );
  }
  // The first process to fail stops the others; its error (not their aborts) is the one reported.
  for (const r of runs) r.catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
  try {
    await Promise.allSettled(runs);
  } finally {
    s.signal.removeEventListener('abort', onAbort);
    // Waits for the thread to finish what it was sent, so it is idle for the next job when this returns.
    await session.release();
  }
  if (s.signal.aborted) throw new ToolAborted();
  if (state.failure) throw state.failure;
  return { signals: summarise(stats), models };
};
