// EventRepo on PostgreSQL (the triggers of migration 7 write the log and NOTIFY at commit; this reads it).
import type { EventRepo, GenerationEvent } from '../store.js';
import {
  EVENTS_CHANNEL,
  LATEST_EVENT_SQL,
  generationEventsSql,
  sweepEventsSql,
  toEvent,
} from '../events.sql.js';
import { toCount } from '../rows.js';
import { pgPlaceholder } from '../sql.js';
import type { EventWatch, ForeignSignal } from '../event-watch.js';
import type { PgDb } from './postgres.db.js';

/** Safety net under NOTIFY: a missed notification (a reconnect) costs at most this much delay. */
const SAFETY_POLL_MS = 1000;
/** Wait before listening again after the LISTEN connection failed. */
const RELISTEN_MS = 1000;

export class PgEventRepo implements EventRepo {
  constructor(
    private readonly db: PgDb,
    readonly watcher: EventWatch,
  ) {}

  async ofGeneration(generationId: string, afterSeq: number, limit: number): Promise<GenerationEvent[]> {
    return (await this.db.query(generationEventsSql(pgPlaceholder), [generationId, afterSeq, limit])).map(
      toEvent,
    );
  }

  async latestSeq(): Promise<number> {
    return toCount((await this.db.query(LATEST_EVENT_SQL))[0]);
  }

  watch(onAppend: (latestSeq: number) => void): () => void {
    return this.watcher.watch(onAppend);
  }

  async sweep(before: number): Promise<number> {
    const [r] = await this.db.query(
      `WITH swept AS (${sweepEventsSql(pgPlaceholder)} RETURNING 1) SELECT count(*) AS n FROM swept`,
      [before],
    );
    return toCount(r);
  }
}

/**
 * Pokes on every NOTIFY of the events channel from this store's schema (other schemas of the database
 * are other deployments, or other tests), plus a slow poll. A lost LISTEN connection is opened again.
 */
export function notifySignal(db: PgDb): ForeignSignal {
  const schema = db.schema;
  let running = false;
  // Bumped by every start and stop, so a connection that opens after a stop (or a restart) is closed.
  let epoch = 0;
  let close: (() => Promise<void>) | null = null;
  let poll: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;

  const listen = (poke: (committed: boolean) => void): void => {
    retry = null;
    const mine = epoch;
    const again = (): void => {
      if (running && mine === epoch) retry = setTimeout(() => listen(poke), RELISTEN_MS).unref();
    };
    db.listen(
      EVENTS_CHANNEL,
      (payload) => {
        if (schema === null || payload === schema) poke(true);
      },
      () => {
        if (mine !== epoch) return;
        close = null;
        again();
      },
    ).then((c) => {
      if (!running || mine !== epoch) return void c();
      close = c;
      poke(true); // whatever was committed while not listening
    }, again);
  };

  return {
    start(poke) {
      if (running) return;
      running = true;
      epoch++;
      poll = setInterval(() => poke(false), SAFETY_POLL_MS).unref();
      listen(poke);
    },
    stop() {
      running = false;
      epoch++;
      if (poll !== null) clearInterval(poll);
      if (retry !== null) clearTimeout(retry);
      poll = retry = null;
      void close?.();
      close = null;
    },
  };
}
