// Telling readers of the event log that it grew. Both adapters share this: a Store pokes it after each of
// its own writes, and an adapter-specific signal (a poll on SQLite, NOTIFY on PostgreSQL) pokes it for the
// writes of other processes. A poke reads the newest seq once, however many came in meanwhile.
//
// Two kinds of poke. A guess — a poll, or this process's own write, which may have appended nothing (a
// heartbeat whose progress did not change) — calls the watchers only when the newest seq moved, so it
// costs one indexed read. A NOTIFY always calls them: PostgreSQL sends it only for a commit that appended
// events, and since seqs are taken before commit, that commit may hold an event numbered below the newest
// one already seen — the newest seq does not move, yet a reader has something new. (This process's own
// writes on PostgreSQL come back as NOTIFYs too; on SQLite, with one writer at a time, seqs commit in
// order, so comparing is enough.)
import type { GenerationRepo } from './store.js';

/** Something that pokes an EventWatch from outside the process; started with the first watcher. */
export interface ForeignSignal {
  /** `poke(true)` for a commit that appended events (NOTIFY), `poke(false)` for a guess (a poll). */
  start(poke: (committed: boolean) => void): void;
  stop(): void;
}

export class EventWatch {
  private readonly watchers = new Set<(seq: number) => void>();
  private seen = -1;
  private checking = false;
  /** Pokes that came during a check: one more check follows, forced if any of them was a commit. */
  private again: 'none' | 'poll' | 'commit' = 'none';

  constructor(
    private readonly latest: () => Promise<number>,
    private readonly foreign: ForeignSignal,
  ) {}

  watch(onAppend: (latestSeq: number) => void): () => void {
    this.watchers.add(onAppend);
    if (this.watchers.size === 1) this.foreign.start((committed) => this.poke(committed));
    return () => {
      if (this.watchers.delete(onAppend) && this.watchers.size === 0) this.foreign.stop();
    };
  }

  /**
   * Events may have been appended: check, and call the watchers — always when `committed` says events
   * were, otherwise only when the newest seq moved. Never throws.
   */
  poke(committed: boolean): void {
    if (this.watchers.size === 0) return;
    if (this.checking) {
      if (committed) this.again = 'commit';
      else if (this.again === 'none') this.again = 'poll';
      return;
    }
    this.checking = true;
    this.latest()
      .then((seq) => {
        if (!committed && seq === this.seen) return;
        this.seen = Math.max(this.seen, seq);
        for (const w of [...this.watchers]) w(seq);
      })
      // A failed read is retried by the next poke (the poll or the next write).
      .catch(() => undefined)
      .finally(() => {
        this.checking = false;
        const again = this.again;
        this.again = 'none';
        if (again !== 'none') this.poke(again === 'commit');
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
      timer ??= setInterval(() => poke(false), intervalMs);
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
          watch.poke(false);
        }
      };
    },
  });
}
