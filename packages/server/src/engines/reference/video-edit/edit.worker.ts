// Edit thread: runs the per-frame pipeline (frame-processor.ts) off the server's event loop. Frames
// arrive in order and go back in order as yuv420p; the main thread bounds how many are in flight.
import { parentPort } from 'node:worker_threads';
import { rgbToYuv420 } from '../video/yuv.js';
import { failureToWire } from '../../failure-wire.js';
import type { EditReply, EditRequest } from './edit-messages.js';
import { EditFrameProcessor } from './frame-processor.js';

const port = parentPort;
if (!port) throw new Error('edit.worker must run in a worker thread');

let processor: EditFrameProcessor | null = null;
let width = 0;
let height = 0;

const reply = (m: EditReply, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

const handle = async (msg: EditRequest): Promise<void> => {
  if (msg.kind === 'init') {
    processor = await EditFrameProcessor.create(msg.config);
    width = msg.config.width;
    height = msg.config.height;
    return;
  }
  if (!processor) throw new Error('edit thread used before init');
  if (msg.kind === 'guide') {
    processor.addGuide(msg.guide, new Uint8Array(msg.rgb));
    return;
  }
  const done = await processor.process(msg.index, new Uint8Array(msg.buf));
  const yuv = rgbToYuv420(done.rgb, width, height).y.buffer as ArrayBuffer;
  const debug = done.debug ? (done.debug.buffer as ArrayBuffer) : null;
  const stats = {
    tracks: done.tracks,
    bodies: done.bodies,
    faces: done.faces,
    faceSimilarity: done.faceSimilarity,
  };
  reply({ kind: 'frame', index: msg.index, yuv, debug, stats }, debug ? [yuv, debug] : [yuv]);
};

// Messages are handled strictly in order (the model loads asynchronously; frames depend on each other).
let chain: Promise<void> = Promise.resolve();
port.on('message', (msg: EditRequest) => {
  chain = chain
    .then(() => handle(msg))
    .catch((err: unknown) => reply({ kind: 'error', failure: failureToWire(err) }));
});
