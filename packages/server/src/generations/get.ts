// Reading one generation of the caller's client: the look-up every per-generation route shares, and the
// live-progress headers GET /v1/generations/{id} adds to its unchanged body (issue 11).
import { ApiError } from '../contract/api-error.js';
import { canonicalId } from '../contract/ids.js';
import { formatProgress } from '../contract/live-progress.js';
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

/** The `Umbra-Progress` header's value: the row's progress, `1` once completed. */
export const progressOf = (row: GenerationRow): string =>
  formatProgress(row.state === 'completed' ? 1 : row.progress);

/**
 * The `Umbra-Queue-Position` header's value while `row` is queued; null otherwise, and when a worker
 * claimed it since the row was read (then it has no place in the queue).
 */
export async function queuePositionOf(store: Store, row: GenerationRow): Promise<string | null> {
  if (row.state !== 'queued') return null;
  const position = await store.generations.queuePosition(row.id);
  return position === null ? null : String(position);
}
