// Row → wire object (contract §3.1), with freshly signed output URLs on every call (contract §3.3).
import type { BlobStore } from '../blobs/blob-store.js';
import type { Generation } from '../contract/wire.js';
import type { GenerationRow } from '../store/store.js';

/** ISO-8601 UTC to the second, as in the documented example `2026-04-08T12:00:00Z`. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function presentGeneration(
  row: GenerationRow,
  blobs: BlobStore,
  now: number,
  urlTtlMs: number,
): Promise<Generation> {
  const failed = row.state === 'failed';
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    model: row.model,
    created_at: isoSeconds(row.createdAt),
    output:
      row.state === 'completed'
        ? await Promise.all(
            row.outputs.map(async (o) => ({
              type: o.type,
              url: await blobs.signedUrl(o.key, now + urlTtlMs),
            })),
          )
        : [],
    failure_reason: failed ? row.failureReason : null,
    failure_code: failed ? row.failureCode : null,
  };
}
