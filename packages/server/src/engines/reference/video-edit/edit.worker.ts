// Edit thread: runs the per-frame pipeline (frame-processor.ts) off the server's event loop. It lives
// across jobs (edit-threads.ts) and keeps its models loaded (model-cache.ts); each job is a session on a
// port of its own. Frames arrive in order and go back in order as yuv420p; the main thread bounds how many
// are in flight.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { rgbToYuv420 } from '../video/yuv.js';
import { failureToWire } from '../../failure-wire.js';
import type { EditReply, EditRequest, EditSessionOpen } from './edit-messages.js';
import { EditFrameProcessor } from './frame-processor.js';
import { modelLoads } from './model-cache.js';

const parent = parentPort;
if (!parent) throw new Error('edit.worker must run in a worker thread');

/** One job's session: its processor lives and dies with it. */
const serve = (port: MessagePort): void => {
  let processor: EditFrameProcessor | null = null;
  let width = 0;
  let height = 0;
  // After a failure the job is being torn down: nothing but `end` is worth doing.
  let failed = false;
  const reply = (m: EditReply, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

  const handle = async (msg: EditRequest): Promise<void> => {
    if (msg.kind === 'end') {
      processor = null;
      reply({ kind: 'ended' });
      port.close();
      return;
    }
    if (failed) return;
    if (msg.kind === 'init') {
      const before = modelLoads();
      processor = await EditFrameProcessor.create(msg.config);
      const after = modelLoads();
      width = msg.config.width;
      height = msg.config.height;
      reply({ kind: 'ready', models: { loads: after.count - before.count, ms: after.ms - before.ms } });
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
      .catch((err: unknown) => {
        failed = true;
        reply({ kind: 'error', failure: failureToWire(err) });
      });
  });
};

parent.on('message', (msg: EditSessionOpen) => {
  if (msg.kind === 'session') serve(msg.port);
});
