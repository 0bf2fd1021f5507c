// POST /v1/generations/{id}/cancel (issue 11, "Cancel") as a use case. A queued job ends at once; a
// processing one ends at once too, and its worker stops at its next heartbeat, which the store now answers
// "lease gone" (in-process, remote and relayed alike: the relay engine stops polling when aborted). The
// reservation is refunded in the same transaction. The job ends `failed` with `generation_failed`, so its
// body stays inside the hosted API's failure enum; only the reason tells it was canceled.
import { ApiError } from '../contract/api-error.js';
import { canonicalId } from '../contract/ids.js';
import type { Generation } from '../contract/wire.js';
import type { ClientRecord } from '../store/store.js';
import type { ListGenerationsDeps } from './list.js';
import { presentGeneration } from './present.js';

/** The failure_reason of a canceled generation. */
export const CANCELED_REASON = 'Canceled by the client';

/**
 * Cancels the client's generation and answers it as GET now would (state `failed`).
 * @throws ApiError 404 (unknown, another client's or malformed id), 409 (it had already ended).
 */
export async function cancelGeneration(
  d: ListGenerationsDeps,
  client: ClientRecord,
  id: string,
): Promise<Generation> {
  const key = canonicalId(id);
  const r = key === null ? null : await d.store.generations.cancel(client.id, key, CANCELED_REASON, d.now());
  if (r === null) throw new ApiError(404, 'Generation not found');
  if (r.outcome === 'terminal') {
    // Final: the SDKs (ours and Stainless-made ones) retry a 409 unless told not to.
    throw new ApiError(
      409,
      `Generation is already ${r.row.state}; only a queued or processing generation can be canceled`,
      { 'x-should-retry': 'false' },
    );
  }
  return presentGeneration(r.row, d.blobs, d.now(), d.urlTtlMs);
}
