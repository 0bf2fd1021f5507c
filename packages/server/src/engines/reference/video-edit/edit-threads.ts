// The edit threads of a process (or of one engine): a thread (edit.worker.ts) outlives its job and keeps
// its models loaded, so only the first edit on it pays for loading them. A job takes an idle thread or
// starts one (never waits: how many edits run at once is the job scheduler's business); when its session
// ends, the thread goes back to the idle set, of which at most `keep` are kept — the rest are terminated.
// Idle threads are unref'd (they never keep the process alive). A thread that dies or errors is dropped
// (its job, if any, fails) and a fresh one starts on the next job; a session whose end is not acknowledged
// in time (the thread is stuck) takes its thread down with it.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { EditReply, EditRequest, EditSessionOpen } from './edit-messages.js';

const WORKER_URL = new URL('./edit.worker.js', import.meta.url);

/** How long a thread may take to finish the frames still queued when its job ends (a few frames' work). */
const END_TIMEOUT_MS = 30_000;

/** A job's session on an edit thread. */
export interface EditSession {
  post(m: EditRequest, transfer?: ArrayBuffer[]): void;
  /**
   * Ends the session: the thread finishes what was sent (at most the frames in flight, or a model load
   * under way), then returns to the idle set; resolves then, or when the thread is gone. Replies after
   * this are dropped. Idempotent; never rejects.
   */
  release(): Promise<void>;
}

/** What a session reports back. */
export interface SessionHandlers {
  onReply: (m: EditReply) => void;
  /** The thread died or errored while the session was open. */
  onLost: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** The open (or ending) session's port, if any. */
  port: MessagePort | null;
  lost: ((err: Error) => void) | null;
  dead: boolean;
}

/** Counts for tests and logs. */
export interface EditThreadStats {
  /** Threads started so far. */
  started: number;
  /** Threads alive now (idle or busy). */
  alive: number;
  idle: number;
}

export class EditThreads {
  private readonly threads = new Set<Thread>();
  private readonly idle: Thread[] = [];
  private started = 0;
  private closed = false;

  /** @param keep idle threads kept between jobs (at least 1). */
  constructor(private readonly keep = 1) {}

  /** Opens a session on an idle thread, or on a new one. @throws after {@link close}. */
  open(h: SessionHandlers): EditSession {
    if (this.closed) throw new Error('edit threads are closed');
    const thread = this.idle.pop() ?? this.spawn();
    thread.worker.ref();
    const { port1, port2 } = new MessageChannel();
    thread.port = port1;
    let ended = false;
    let timer: NodeJS.Timeout | null = null;
    let released: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (released = resolve));
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      released();
      port1.close();
      if (thread.port !== port1) return;
      thread.port = null;
      thread.lost = null;
      if (thread.dead) return;
      if (this.closed || this.idle.length >= this.keep) {
        this.drop(thread);
        return;
      }
      thread.worker.unref();
      this.idle.push(thread);
    };
    thread.lost = (err) => {
      if (!ended) h.onLost(err);
      finish();
    };
    port1.on('message', (m: EditReply) => {
      if (m.kind === 'ended') finish();
      else if (!ended) h.onReply(m);
    });
    const open: EditSessionOpen = { kind: 'session', port: port2 };
    thread.worker.postMessage(open, [port2]);
    return {
      post: (m, transfer = []) => {
        if (!ended) port1.postMessage(m, transfer);
      },
      release: () => {
        if (ended) return back;
        ended = true;
        if (thread.dead) {
          finish();
          return back;
        }
        port1.postMessage({ kind: 'end' } satisfies EditRequest);
        timer = setTimeout(() => {
          this.drop(thread);
          finish();
        }, END_TIMEOUT_MS);
        timer.unref();
        return back;
      },
    };
  }

  /** Threads started, alive and idle. */
  stats(): EditThreadStats {
    return { started: this.started, alive: this.threads.size, idle: this.idle.length };
  }

  /** The live threads' workers (for tests that kill one). */
  workers(): Worker[] {
    return [...this.threads].map((t) => t.worker);
  }

  /** Terminates every thread; open sessions fail. Later {@link open} calls throw. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.threads];
    for (const t of all) this.lose(t, new Error('edit threads closed'));
    await Promise.all(all.map((t) => t.worker.terminate()));
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_URL);
    const thread: Thread = { worker, port: null, lost: null, dead: false };
    this.threads.add(thread);
    this.started++;
    worker.on('error', (err) => this.lose(thread, err));
    worker.on('exit', (code) => this.lose(thread, new Error(`edit thread exited with ${code}`)));
    return thread;
  }

  /** Forgets a thread that died (or is being closed) and fails its session. */
  private lose(thread: Thread, err: Error): void {
    if (thread.dead) return;
    thread.dead = true;
    this.threads.delete(thread);
    const i = this.idle.indexOf(thread);
    if (i >= 0) this.idle.splice(i, 1);
    thread.lost?.(err);
  }

  /** Terminates a thread we no longer want. */
  private drop(thread: Thread): void {
    this.lose(thread, new Error('edit thread dropped'));
    thread.worker.terminate().catch(() => undefined);
  }
}

let shared: EditThreads | null = null;

/**
 * The process's edit threads, for renders not given an engine's own (one idle thread kept). Never closed:
 * its idle thread is unref'd, so it does not keep the process alive.
 */
export const sharedEditThreads = (): EditThreads => (shared ??= new EditThreads(1));
