// Reading one generation of the caller's client: the look-up every per-generation route shares, and the
// live-progress headers GET /v1/generations/{id} adds to its unchanged body (issue 11).
import { ApiError } from '../contract/api-error.js';
import { canonicalId } from '../contract/ids.js';
import { PROGRESS_HEADER, QUEUE_POSITION_HEADER, formatProgress } from '../contract/live-progress.js';
import type { GenerationRow, Store } from '../store/store.js';

/**
 * The client's generation `id`.
 * @throws ApiError 404 `Generation not found` alike for an unknown id, another client's, and a malformed
 * one (contract §2.2).
 */
export async function ownGeneration(store: Store, clientId: string, id: string): Promise<GenerationRow> {
  const key = canonicalId(id);
  const row = key === null ? null : await store.generations.get(key);
  if (row === null || row.clientId !== clientId) throw new ApiError(404, 'Generation not found');
  return row;
}

/** `Umbra-Progress` always (`1` once completed), and `Umbra-Queue-Position` while queued. */
export async function progressHeaders(store: Store, row: GenerationRow): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    [PROGRESS_HEADER]: formatProgress(row.state === 'completed' ? 1 : row.progress),
  };
  if (row.state === 'queued') {
    // Null when a worker claimed it since the row was read: then it has no place in the queue.
    const position = await store.generations.queuePosition(row.id);
    if (position !== null) headers[QUEUE_POSITION_HEADER] = String(position);
  }
  return headers;
}
