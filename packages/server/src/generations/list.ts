// GET /v1/generations (issue 11, "List") as a use case: one page of the caller's client's generations,
// newest first, each presented exactly as GET /v1/generations/{id} presents it (fresh output URLs).
import type { BlobStore } from '../blobs/blob-store.js';
import { pageOf } from '../contract/list-query.js';
import { parseGenerationListQuery } from '../contract/validate-list.js';
import type { GenerationList } from '../contract/wire.js';
import type { ClientRecord, Store } from '../store/store.js';
import { presentGeneration } from './present.js';

export interface ListGenerationsDeps {
  store: Store;
  blobs: BlobStore;
  /** Lifetime of the output URLs signed for the page (contract §3.3: one hour). */
  urlTtlMs: number;
  now: () => number;
}

/**
 * One page; `next_cursor` names the last generation of a full page that has more after it. Keyset
 * paging on (created_at, id) never repeats or skips a generation while new ones arrive: they are newer
 * than every cursor.
 * @throws ApiError 422 (a bad query value).
 */
export async function listGenerations(
  d: ListGenerationsDeps,
  client: ClientRecord,
  query: unknown,
): Promise<GenerationList> {
  const q = parseGenerationListQuery(query);
  // One row more than asked tells whether another page follows.
  const rows = await d.store.generations.list(client.id, {
    limit: q.limit + 1,
    state: q.state,
    type: q.type,
    model: q.model,
    after: q.after,
  });
  const page = pageOf(rows, q.limit);
  const now = d.now();
  return {
    data: await Promise.all(page.rows.map((r) => presentGeneration(r, d.blobs, now, d.urlTtlMs))),
    has_more: page.has_more,
    next_cursor: page.next_cursor,
  };
}
