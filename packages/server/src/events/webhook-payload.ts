// The body of a delivery, built when it is sent: `{type, timestamp, data}` where `data` is the generation
// as GET /v1/generations/{id} answers it, as it was at the event. Built at send time, not stored: output
// URLs are signed fresh for every attempt (valid one hour from then), and a terminal generation never
// changes afterwards, so presenting the row now is presenting it as it was.
import type { BlobStore } from '../blobs/blob-store.js';
import type { WebhookEvent } from '../contract/webhook.wire.js';
import { presentGeneration } from '../generations/present.js';
import type { GenerationRow, WebhookDeliveryRecord } from '../store/store.js';

/** The row as its event saw it: a processing event shows the job rendering, without outputs or failure. */
function asAtEvent(d: WebhookDeliveryRecord, row: GenerationRow): GenerationRow {
  switch (d.eventType) {
    case 'generation.processing':
      return { ...row, state: 'processing', outputs: [], failureCode: null, failureReason: null };
    case 'generation.completed':
    case 'generation.failed':
      return row;
  }
}

export async function buildWebhookEvent(
  d: WebhookDeliveryRecord,
  row: GenerationRow,
  blobs: BlobStore,
  now: number,
  urlTtlMs: number,
): Promise<WebhookEvent> {
  return {
    type: d.eventType,
    timestamp: new Date(d.eventAt).toISOString(),
    data: await presentGeneration(asAtEvent(d, row), blobs, now, urlTtlMs),
  };
}
