// Wire types of live progress (Umbra's `GET /generations/{id}/events`; the hosted API has no such route).
// Written by hand like types.ts; packages/server/src/contract/sdk-types.test.ts fails to compile if they
// drift from the server's.
import type { Generation } from './types.js';

/** An event's `type`: `generation.` and the state the generation entered, or `generation.progress`. */
export type GenerationStreamEventType =
  | 'generation.queued'
  | 'generation.processing'
  | 'generation.progress'
  | 'generation.completed'
  | 'generation.failed';

/** One state change or progress step of a generation (the envelope of Umbra's webhooks, plus `progress`). */
export interface GenerationStreamEvent {
  type: GenerationStreamEventType;
  /** When it happened, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  /** Progress after the change, 0 to 1 (1 once completed). */
  progress: number;
  /**
   * The generation as `generations.get` returns it, as it was at this event: outputs (freshly signed)
   * only on `generation.completed`, the failure only on `generation.failed`.
   */
  data: Generation;
}

/**
 * Where a queued generation stands in its model's queue (1 = next). Sent when a stream starts on a
 * queued generation and whenever the position changes; it has no event id and is never replayed.
 */
export interface QueuePositionStreamEvent {
  type: 'queue_position';
  /** When the position was read, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  queue_position: number;
}

/** What `generations.events` yields; tell them apart by `type`. */
export type GenerationStreamMessage = GenerationStreamEvent | QueuePositionStreamEvent;
