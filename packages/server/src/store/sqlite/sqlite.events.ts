// EventRepo on SQLite (the triggers of migration 7 write the log; this reads it).
import type { EventRepo, GenerationEvent } from '../store.js';
import { LATEST_EVENT_SQL, generationEventsSql, sweepEventsSql, toEvent } from '../events.sql.js';
import { toCount } from '../rows.js';
import { sqlitePlaceholder } from '../sql.js';
import type { EventWatch } from '../event-watch.js';
import { deferred, type SqliteDb } from './sqlite.db.js';

export class SqliteEventRepo implements EventRepo {
  constructor(
    private readonly db: SqliteDb,
    readonly watcher: EventWatch,
  ) {}

  ofGeneration(generationId: string, afterSeq: number, limit: number): Promise<GenerationEvent[]> {
    return deferred(() =>
      this.db.all(generationEventsSql(sqlitePlaceholder), [generationId, afterSeq, limit]).map(toEvent),
    );
  }

  latestSeq(): Promise<number> {
    return deferred(() => toCount(this.db.get(LATEST_EVENT_SQL)));
  }

  watch(onAppend: (latestSeq: number) => void): () => void {
    return this.watcher.watch(onAppend);
  }

  sweep(before: number): Promise<number> {
    return deferred(() => this.db.run(sweepEventsSql(sqlitePlaceholder), [before]));
  }
}
