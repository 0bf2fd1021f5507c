// Telling readers of the event log that it grew. Both adapters share this: a Store pokes it after each of
// its own writes, and an adapter-specific signal (a poll on SQLite, NOTIFY on PostgreSQL) pokes it for the
// writes of other processes. A poke reads the newest seq once, however many came in meanwhile, and calls
// the watchers only when it moved, so a spurious poke costs one indexed read and no watcher work.
import type { GenerationRepo } from './store.js';

/** Something that pokes an EventWatch from outside the process; started with the first watcher. */
export interface ForeignSignal {
  start(poke: () => void): void;
  stop(): void;
}

export class EventWatch {
  private readonly watchers = new Set<(seq: number) => void>();
  private seen = -1;
  private checking = false;
  private again = false;

  constructor(
    private readonly latest: () => Promise<number>,
    private readonly foreign: ForeignSignal,
  ) {}

  watch(onAppend: (latestSeq: number) => void): () => void {
    this.watchers.add(onAppend);
    if (this.watchers.size === 1) this.foreign.start(() => this.poke());
    return () => {
      if (this.watchers.delete(onAppend) && this.watchers.size === 0) this.foreign.stop();
    };
  }

  /** Events may have been appended: check, and call the watchers if so. Never throws. */
  poke(): void {
    if (this.watchers.size === 0) return;
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    this.latest()
      .then((seq) => {
        if (seq === this.seen) return;
        this.seen = seq;
        for (const w of [...this.watchers]) w(seq);
      })
      // A failed read is retried by the next poke (the poll or the next write).
      .catch(() => undefined)
      .finally(() => {
        this.checking = false;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Stops the foreign signal (the Store is closing). */
  close(): void {
    this.watchers.clear();
    this.foreign.stop();
  }
}

/** A foreign signal that polls on an interval (SQLite, whose writers in other processes cannot notify). */
export function pollingSignal(intervalMs: number): ForeignSignal {
  let timer: NodeJS.Timeout | null = null;
  return {
    start(poke) {
      timer ??= setInterval(poke, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}

// The GenerationRepo calls that may append events (every transition of a row).
const WRITES = [
  'admit',
  'claim',
  'heartbeat',
  'complete',
  'fail',
  'requeue',
  'release',
  'reapExpired',
  'expireStale',
  'cancel',
] as const satisfies ReadonlyArray<keyof GenerationRepo>;

/** The repo with a poke after each write that settles, so this process's watchers hear of it at once. */
export function poking(repo: GenerationRepo, watch: EventWatch): GenerationRepo {
  const writes = new Set<string | symbol>(WRITES);
  return new Proxy(repo, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (!writes.has(prop) || typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        try {
          return (await Reflect.apply(value, target, args)) as unknown;
        } finally {
          watch.poke();
        }
      };
    },
  });
}
