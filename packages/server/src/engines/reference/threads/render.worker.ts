// Render thread entry point: receives tasks from the pool, runs them, reports progress and the result.
// Rendering happens here so the caller's event loop never blocks on pixel work.
import { parentPort } from 'node:worker_threads';
import { renderImageEdit } from '../image-edit/render-edit.js';
import { renderImage } from '../image/render-image.js';
import { failureToWire } from '../../failure-wire.js';
import type { WorkerReply, WorkerRequest } from './task.js';

const port = parentPort;
if (!port) throw new Error('render.worker must run in a worker thread');

const reply = (m: WorkerReply): void => port.postMessage(m);

port.on('message', (msg: WorkerRequest) => {
  const { id, task } = msg;
  const progress = (fraction: number): void => reply({ id, kind: 'progress', fraction });
  const run = task.kind === 'image' ? renderImage : renderImageEdit;
  run(task, progress).then(
    (result) => reply({ id, kind: 'done', result }),
    (err: unknown) => reply({ id, kind: 'error', failure: failureToWire(err) }),
  );
});
