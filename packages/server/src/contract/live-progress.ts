// The wire of live progress (issue 11; docs/live-progress.md): the headers GET /v1/generations/{id} adds
// (its body never changes), and `GET /v1/generations/{id}/events`, an Umbra route of its own: a
// server-sent event stream of one generation's state changes and progress steps. Pure data and parsing,
// no I/O; the client library's types must match these (sdk-types.test.ts).
import { ApiError } from './api-error.js';
import type { Generation } from './wire.js';

/** What an event announces: the state a generation entered, or a step of its rendering. */
export const GENERATION_STREAM_EVENT_TYPES = [
  'generation.queued',
  'generation.processing',
  'generation.progress',
  'generation.completed',
  'generation.failed',
] as const;
/** An event's `type` (also the SSE `event:` field): `generation.` + a state, or `generation.progress`. */
export type GenerationStreamEventType = (typeof GENERATION_STREAM_EVENT_TYPES)[number];

/**
 * One state change or progress step (the `data:` of a frame whose `id:` is the event's sequence
 * number). The envelope of webhook deliveries — `type`, `timestamp`, `data` — plus `progress`.
 */
export interface GenerationStreamEvent {
  type: GenerationStreamEventType;
  /** When the change happened, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  /** The generation's progress after the change, 0..1 (1 once completed). */
  progress: number;
  /**
   * The generation exactly as `GET /v1/generations/{id}` answers it, as it was at this event: the
   * event's state, outputs (freshly signed) only on `generation.completed`, the failure only on
   * `generation.failed`. `generation.progress` happens while `processing`.
   */
  data: Generation;
}

/**
 * Where a queued generation stands in its model's queue (1 = next to be claimed). Sent when a stream
 * starts on a queued generation and whenever the position changes while it waits. Not an event of the
 * log: its frame has no `id:` and is never replayed.
 */
export interface QueuePositionStreamEvent {
  type: 'queue_position';
  /** When the position was read, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  queue_position: number;
}

/** Anything the stream sends as a frame's `data:`; tell them apart by `type`. */
export type GenerationStreamMessage = GenerationStreamEvent | QueuePositionStreamEvent;

/** Header (and the SSE standard's name) a reconnecting client sends: the `id:` of the last event it got. */
export const LAST_EVENT_ID_HEADER = 'last-event-id';
/** The same as a query parameter, for clients that cannot set headers. */
export const LAST_EVENT_ID_QUERY = 'last_event_id';

export const BAD_LAST_EVENT_ID = 'Last-Event-ID: must be the id of an event (a non-negative integer)';

/**
 * The sequence number to resume after: the `Last-Event-ID` header, else the `last_event_id` query
 * parameter, else 0 (from the first event). Empty counts as absent, as browsers never send one.
 * @throws ApiError 400 for anything but one non-negative integer.
 */
export function parseLastEventId(header: unknown, query: unknown): number {
  const raw = header !== undefined && header !== '' ? header : query;
  if (raw === undefined || raw === '') return 0;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new ApiError(400, BAD_LAST_EVENT_ID);
  return Number(raw);
}

/** Response header of `GET /v1/generations/{id}`: the generation's progress, 0 to 1 (`1` once completed). */
export const PROGRESS_HEADER = 'umbra-progress';
/** Response header of `GET /v1/generations/{id}` while queued: its place in its model's queue, from 1. */
export const QUEUE_POSITION_HEADER = 'umbra-queue-position';

/** A progress fraction as the header writes it: at most three decimals, no exponent (`0.42`, `1`). */
export const formatProgress = (fraction: number): string =>
  String(Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 1000);
