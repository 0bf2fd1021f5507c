// Morph thread: estimates the motion between two pinned stills and synthesises the frames of each
// segment as yuv420p, so flow estimation and per-pixel work never block the server's event loop. Frames
// go back to the main thread in a small set of recycled buffers; running out of buffers is the
// back-pressure that keeps memory constant however long the shot is.
import { parentPort } from 'node:worker_threads';
import { prepareMorph, renderMorphFrame, type MorphPair } from './morph.js';
import { rgbToYuv420, type YuvFrame } from './yuv.js';
import { failureToWire } from '../../failure-wire.js';
import type { MorphReply, MorphRequest } from './morph-messages.js';

const port = parentPort;
if (!port) throw new Error('morph.worker must run in a worker thread');

const free: ArrayBuffer[] = [];
let wake: (() => void) | null = null;
const buffer = async (): Promise<ArrayBuffer> => {
  for (;;) {
    const b = free.pop();
    if (b) return b;
    await new Promise<void>((r) => (wake = r));
  }
};

const reply = (m: MorphReply, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

// The end still of one segment is the start still of the next: converted once.
let cached: { pin: number; frame: YuvFrame } | null = null;
const yuv = (pin: number, rgb: Uint8Array, width: number, height: number): YuvFrame => {
  if (cached?.pin === pin) return cached.frame;
  const frame = rgbToYuv420(rgb, width, height);
  cached = { pin, frame };
  return frame;
};

let chain: Promise<void> = Promise.resolve();

port.on('message', (msg: MorphRequest) => {
  if (msg.kind === 'buffer') {
    free.push(msg.buf);
    wake?.();
    wake = null;
    return;
  }
  // Segments run one after another, in the order they were sent.
  chain = chain.then(async () => {
    try {
      const { width, height } = msg;
      const a = yuv(msg.from.pin, msg.from.rgb, width, height);
      let pair: MorphPair | null = null;
      if (msg.to) pair = prepareMorph(a, yuv(msg.to.pin, msg.to.rgb, width, height));
      for (const spec of msg.frames) {
        const buf = await buffer();
        renderMorphFrame(a, pair, spec.t, spec.camera, new Uint8Array(buf));
        reply({ kind: 'frame', buf }, [buf]);
      }
      reply({ kind: 'segment-done' });
    } catch (err) {
      reply({ kind: 'error', failure: failureToWire(err) });
    }
  });
});
