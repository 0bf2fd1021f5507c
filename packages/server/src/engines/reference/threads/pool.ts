// A fixed-size pool of render threads. Threads start lazily, are unref'd while idle (an idle pool never
// keeps the process alive), and a thread whose job is aborted is terminated and replaced on demand.
import { Worker } from 'node:worker_threads';
import { failureFromWire } from '../../failure-wire.js';
import type { RenderTask, TaskResult, WorkerReply } from './task.js';

/** Rejection from the pool when a job's signal fires. */
export class RenderAborted extends Error {
  constructor() {
    super('render aborted');
    this.name = 'AbortError';
  }
}

interface Pending {
  id: number;
  task: RenderTask;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker | null;
  job: Pending | null;
}

/** Runs render tasks on up to `size` threads; extra tasks wait in FIFO order. */
export class RenderPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    private readonly script: URL,
  ) {
    this.slots = Array.from({ length: Math.max(1, Math.floor(size)) }, () => ({ worker: null, job: null }));
  }

  /** Number of threads. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Queues a task; resolves with its file, rejects with RenderAborted on abort. A failure the task
   * classified arrives as an EngineFailure, anything else as a plain Error (see failure-wire.ts).
   */
  run(task: RenderTask, signal: AbortSignal, onProgress: (f: number) => void): Promise<TaskResult> {
    if (this.closed) return Promise.reject(new Error('render pool is closed'));
    if (signal.aborted) return Promise.reject(new RenderAborted());
    return new Promise<TaskResult>((resolve, reject) => {
      const job: Pending = { id: this.nextId++, task, signal, onProgress, resolve, reject };
      job.onAbort = () => this.abort(job);
      signal.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates every thread and rejects whatever has not finished. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error('render pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        const { worker, job } = slot;
        slot.worker = null;
        slot.job = null;
        if (job) this.settle(job, new Error('render pool closed'));
        if (worker) await worker.terminate();
      }),
    );
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const worker = slot.worker ?? this.spawn(slot);
      worker.ref();
      worker.postMessage({ id: job.id, task: job.task });
    }
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.script);
    slot.worker = worker;
    worker.on('message', (m: WorkerReply) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      if (m.kind === 'progress') {
        job.onProgress(m.fraction);
        return;
      }
      slot.job = null;
      worker.unref();
      if (m.kind === 'done') this.settle(job, null, m.result);
      else this.settle(job, failureFromWire(m.failure));
      this.pump();
    });
    const lost = (err: Error): void => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      const job = slot.job;
      slot.job = null;
      if (job) this.settle(job, err);
      this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`render thread exited with code ${code}`)));
    return worker;
  }

  private abort(job: Pending): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, new RenderAborted());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    // The CPU work cannot be interrupted cooperatively, so the thread goes; a fresh one starts on demand.
    const worker = slot.worker;
    slot.worker = null;
    slot.job = null;
    this.settle(job, new RenderAborted());
    if (worker) void worker.terminate();
    this.pump();
  }

  private settle(job: Pending, err: Error | null, result?: TaskResult): void {
    if (job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    if (err) job.reject(err);
    else if (result) job.resolve(result);
  }
}
