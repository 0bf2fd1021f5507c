// Outbox event → wire event (issue 11, "Live progress"): the generation as GET presents it, as it was at
// that event. The envelope is the one webhook deliveries use (`type`, `timestamp`, `data`), plus progress.
import type { BlobStore } from '../blobs/blob-store.js';
import type { GenerationStreamEvent } from '../contract/live-progress.js';
import type { GenerationState } from '../contract/wire.js';
import type { GenerationEvent, GenerationEventKind, GenerationRow } from '../store/store.js';
import { presentGeneration } from './present.js';

/** The state a generation is in after an event of this kind. */
export const stateAfter = (kind: GenerationEventKind): GenerationState =>
  // Only the lease holder's heartbeats move progress, so a progress step always happens while processing.
  kind === 'progress' ? 'processing' : kind;

/** Whether the event ends the generation (nothing follows it). */
export const isTerminal = (kind: GenerationEventKind): boolean => kind === 'completed' || kind === 'failed';

/**
 * Presents `event` of the generation `row`. For a terminal event `row` must be read after it (the row
 * and its terminal event are committed together, and a terminal row never changes again), so the
 * outputs or the failure are the ones the event announced; other events show no outputs and no failure.
 */
export async function presentEvent(
  row: GenerationRow,
  event: GenerationEvent,
  blobs: BlobStore,
  now: number,
  urlTtlMs: number,
): Promise<GenerationStreamEvent> {
  const state = stateAfter(event.kind);
  return {
    type: `generation.${event.kind}`,
    timestamp: new Date(event.at).toISOString(),
    progress: state === 'completed' ? 1 : event.progress,
    data: await presentGeneration({ ...row, state }, blobs, now, urlTtlMs),
  };
}
