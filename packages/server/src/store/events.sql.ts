// The outbox (docs/architecture.md "Roles and data flow"): every state change and progress step of a
// generation appends an event in the same transaction, and every event a webhook endpoint subscribed to
// queues one delivery per endpoint, also in that transaction. Both are done by triggers, so no transition,
// present or future, can change a row without its event: the guarantee lives in the schema, not in each
// statement.
import type { GenerationEvent, GenerationEventKind } from './store.js';
import { num, str, type Raw } from './rows.js';
import type { Placeholder } from './sql.js';

// Shared by both dialects. An endpoint's `events` column holds its event types between commas
// (`,generation.completed,generation.failed,`), so a subscription is a plain substring test.
const TABLES = (seq: string, real: string): string => `
CREATE TABLE generation_events (
  seq ${seq},
  generation_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('queued', 'processing', 'progress', 'completed', 'failed')),
  progress ${real} NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX generation_events_generation_idx ON generation_events (generation_id, seq);
CREATE INDEX generation_events_at_idx ON generation_events (at);
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX webhook_endpoints_client_idx ON webhook_endpoints (client_id, created_at, id);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
  client_id TEXT NOT NULL,
  generation_id TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  event_at BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at, id);
CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
  attempt INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
`;

// Generations that exist before this migration get one event for the state they are in, so a stream
// or a reader of any generation always finds at least one event.
const BACKFILL = `
INSERT INTO generation_events (generation_id, client_id, kind, progress, at)
SELECT id, client_id, state, progress, updated_at FROM generations ORDER BY created_at, id;
`;

/**
 * PostgreSQL channel on which every statement that appends events notifies, with the schema it wrote in
 * as the payload (processes on other schemas of the same database ignore it).
 */
export const EVENTS_CHANNEL = 'umbra_events';

// The event a row change announces: its new state, or `progress` when only the progress moved.
const KIND = `CASE WHEN OLD.state <> NEW.state THEN NEW.state ELSE 'progress' END`;
const ANNOUNCES = `OLD.state <> NEW.state OR OLD.progress <> NEW.progress`;
/** Delivery ids are derived from the event and the endpoint, so a fan-out can never queue one twice. */
const FAN_OUT = (contains: string): string => `
  INSERT INTO webhook_deliveries (id, endpoint_id, client_id, generation_id, event_seq, event_type, event_at,
    state, attempts, next_attempt_at, created_at, updated_at)
  SELECT 'msg_' || NEW.seq || '_' || e.id, e.id, NEW.client_id, NEW.generation_id, NEW.seq,
    'generation.' || NEW.kind, NEW.at, 'pending', 0, NEW.at, NEW.at, NEW.at
  FROM webhook_endpoints e
  WHERE e.client_id = NEW.client_id AND e.deleted_at IS NULL AND ${contains} > 0;`;

/** Migration 7 on SQLite. */
export const EVENTS_SQLITE_DDL = `${TABLES('INTEGER PRIMARY KEY AUTOINCREMENT', 'REAL')}${BACKFILL}
CREATE TRIGGER generations_event_on_insert AFTER INSERT ON generations BEGIN
  INSERT INTO generation_events (generation_id, client_id, kind, progress, at)
  VALUES (NEW.id, NEW.client_id, NEW.state, NEW.progress, NEW.created_at);
END;
CREATE TRIGGER generations_event_on_update AFTER UPDATE OF state, progress ON generations
WHEN ${ANNOUNCES} BEGIN
  INSERT INTO generation_events (generation_id, client_id, kind, progress, at)
  VALUES (NEW.id, NEW.client_id, ${KIND}, NEW.progress, NEW.updated_at);
END;
CREATE TRIGGER generation_events_fan_out AFTER INSERT ON generation_events BEGIN
${FAN_OUT(`instr(e.events, ',generation.' || NEW.kind || ',')`)}
END;
`;

/** Migration 7 on PostgreSQL; a statement-level trigger also NOTIFYs listeners once per statement (at commit). */
export const EVENTS_POSTGRES_DDL = `${TABLES('BIGSERIAL PRIMARY KEY', 'DOUBLE PRECISION')}${BACKFILL}
CREATE FUNCTION umbra_generation_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO generation_events (generation_id, client_id, kind, progress, at)
    VALUES (NEW.id, NEW.client_id, NEW.state, NEW.progress, NEW.created_at);
  ELSIF ${ANNOUNCES} THEN
    INSERT INTO generation_events (generation_id, client_id, kind, progress, at)
    VALUES (NEW.id, NEW.client_id, ${KIND}, NEW.progress, NEW.updated_at);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER generations_event AFTER INSERT OR UPDATE OF state, progress ON generations
  FOR EACH ROW EXECUTE FUNCTION umbra_generation_event();
CREATE FUNCTION umbra_event_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
${FAN_OUT(`strpos(e.events, ',generation.' || NEW.kind || ',')`)}
  RETURN NULL;
END $$;
CREATE TRIGGER generation_events_fan_out AFTER INSERT ON generation_events
  FOR EACH ROW EXECUTE FUNCTION umbra_event_fan_out();
CREATE FUNCTION umbra_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${EVENTS_CHANNEL}', current_schema());
  RETURN NULL;
END $$;
CREATE TRIGGER generation_events_notify AFTER INSERT ON generation_events
  FOR EACH STATEMENT EXECUTE FUNCTION umbra_event_notify();
`;

/** A generation's events after `seq`, oldest first; parameters: generation, seq, limit. */
export const generationEventsSql = (ph: Placeholder): string =>
  `SELECT * FROM generation_events WHERE generation_id = ${ph(1)} AND seq > ${ph(2)} ORDER BY seq LIMIT ${ph(3)}`;

/** The newest event's seq (0 when there is none). */
export const LATEST_EVENT_SQL = 'SELECT coalesce(max(seq), 0) AS n FROM generation_events';

/** Deletes events older than a time; parameter: before. */
export const sweepEventsSql = (ph: Placeholder): string =>
  `DELETE FROM generation_events WHERE at < ${ph(1)}`;

const KINDS: readonly GenerationEventKind[] = ['queued', 'processing', 'progress', 'completed', 'failed'];

export function toEvent(r: Raw): GenerationEvent {
  const kind = str(r.kind, 'kind');
  if (!(KINDS as readonly string[]).includes(kind)) throw new TypeError(`column kind: unknown event ${kind}`);
  return {
    seq: num(r.seq, 'seq'),
    generationId: str(r.generation_id, 'generation_id'),
    clientId: str(r.client_id, 'client_id'),
    kind: kind as GenerationEventKind,
    progress: num(r.progress, 'progress'),
    at: num(r.at, 'at'),
  };
}
