// Admission-time ingest (contract §2.9 order: after limits, before 201): every ImageRef of a request
// becomes bytes in the blob store, or a synchronous 413/422 with the documented detail (contract §4.2).
// Decoding and pixel checks happen later in the worker (verify-image.ts), as failure codes.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, OwnUrl } from '../blobs/blob-store.js';
import { ApiError } from '../contract/api-error.js';
import { listRefs } from '../contract/image-refs.js';
import type { MediaKind, RefSlot } from '../contract/image-refs.js';
import { chainedSourceProblem } from '../contract/video-source.js';
import type { GenerationRequest } from '../contract/wire.js';
import type { FileRecord, GenerationRow, StoredInput } from '../store/store.js';
import { decodeBase64Strict } from './base64.js';
import { fetchToFile } from './guarded-fetch.js';
import { IngestError, maxBytesFor, sizeLimitReason } from './ingest-error.js';

export interface IngestDeps {
  blobs: BlobStore;
  /** A generation by id (any client); ownership is checked here. */
  getGeneration: (id: string) => Promise<GenerationRow | null>;
  /** A file of the client by id (null when missing or another client's). */
  getFile: (clientId: string, id: string) => Promise<FileRecord | null>;
  /** Directory for in-flight downloads. */
  tmpDir: string;
  /** TEST ONLY: allow http:// URLs on loopback. */
  allowLoopbackFetch: boolean;
  now: () => number;
  fetchTimeoutMs?: number;
}

const kindOfMime = (mime: string): MediaKind | null => {
  const m = mime.trim().toLowerCase();
  if (m.startsWith('image/')) return 'image';
  if (m.startsWith('video/')) return 'video';
  return null;
};

/**
 * Output of a prior generation usable at this position: same client, completed, right kind. For the source
 * of an edit/reframe, rules the prior request already settles (its length bound, its output ratio) answer
 * 422 now instead of failing the job later (contract §7 items 6 and 10).
 */
function chainedInput(
  slot: RefSlot,
  clientId: string,
  row: GenerationRow | null,
  request: GenerationRequest,
): StoredInput {
  const id = slot.ref.generation_id ?? '';
  // Another client's generation answers exactly like a missing one (contract §7 item 13).
  if (row === null || row.clientId !== clientId) {
    throw new ApiError(422, `${slot.slot}: generation not found`);
  }
  if (row.state !== 'completed') throw new ApiError(422, `${slot.slot}: generation is not completed`);
  const out = row.outputs.find((o) => o.type === slot.expects);
  if (out === undefined) throw new ApiError(422, `${slot.slot}: generation has no ${slot.expects} output`);
  if (slot.slot === 'source' && slot.expects === 'video') {
    const problem = chainedSourceProblem(request, row.request);
    if (problem !== null) throw new ApiError(422, problem);
  }
  return { slot: slot.slot, key: out.key, mediaType: out.contentType, generationId: id };
}

/**
 * A file referenced by `file_id` (contract, Files API "Referencing a file"): the client's own, not deleted or
 * expired, `ready`, and of the kind this position takes. Its verified bytes are used in place.
 */
function fileInput(slot: RefSlot, f: FileRecord | null, now: number): StoredInput {
  const gone = f === null || f.state === 'deleted' || (f.expiresAt !== null && f.expiresAt <= now);
  if (gone) throw new ApiError(422, `${slot.slot}: file not found`);
  if (f.state !== 'ready' || f.blobKey === null) throw new ApiError(422, `${slot.slot}: file is not ready`);
  if (kindOfMime(f.mimeType) !== slot.expects) {
    throw new ApiError(422, `${slot.slot}: file has the wrong media type`);
  }
  return { slot: slot.slot, key: f.blobKey, mediaType: f.mimeType, generationId: null };
}

const OWN_URL_PROBLEM = {
  expired: 'URL has expired',
  invalid: 'URL signature is invalid',
} as const;

export class Ingestor {
  constructor(private readonly deps: IngestDeps) {}

  /**
   * Stores the bytes of every reference of `request` under `inputs/<generationId>/…`. On any error the
   * blobs written so far are removed and the ApiError is thrown. A chained source video is also checked
   * against the rules its prior generation already settles (see `chainedSourceProblem`).
   */
  async ingestAll(
    generationId: string,
    clientId: string,
    request: GenerationRequest,
  ): Promise<StoredInput[]> {
    const stored: StoredInput[] = [];
    try {
      for (const s of listRefs(request))
        stored.push(await this.ingestOne(generationId, clientId, s, request));
      return stored;
    } catch (err) {
      await this.discard(generationId, stored);
      throw err;
    }
  }

  /** Removes blobs this request wrote (chained inputs belong to their own generation and stay). */
  async discard(generationId: string, inputs: StoredInput[]): Promise<void> {
    const mine = inputs.filter((i) => i.key.startsWith(`inputs/${generationId}/`));
    await Promise.all(mine.map((i) => this.deps.blobs.delete(i.key)));
  }

  private async ingestOne(
    generationId: string,
    clientId: string,
    s: RefSlot,
    request: GenerationRequest,
  ): Promise<StoredInput> {
    const { ref } = s;
    if (ref.generation_id != null) {
      // Ids are stored lower-case; a UUID is case-insensitive on the wire.
      const row = await this.deps.getGeneration(ref.generation_id.toLowerCase());
      return chainedInput(s, clientId, row, request);
    }
    if (ref.file_id != null) {
      const file = await this.deps.getFile(clientId, ref.file_id.toLowerCase());
      return fileInput(s, file, this.deps.now());
    }
    const key = `inputs/${generationId}/${s.slot}`;
    const declared = ref.media_type ?? null;
    if (declared !== null && kindOfMime(declared) !== s.expects) {
      throw new ApiError(
        422,
        `${s.slot}: content-type is not ${s.expects === 'image' ? 'an image' : 'a video'}`,
      );
    }
    try {
      if (ref.data != null) {
        const bytes = decodeBase64Strict(ref.data, maxBytesFor(s.expects), s.expects);
        await this.deps.blobs.putBuffer(key, bytes, declared ?? 'application/octet-stream');
        return { slot: s.slot, key, mediaType: declared ?? 'application/octet-stream', generationId: null };
      }
      if (ref.url != null) return await this.fetchUrl(s, key, ref.url);
    } catch (err) {
      if (err instanceof IngestError) throw err.toApiError(s.slot);
      throw err;
    }
    // The body validator guarantees exactly one of url/data/generation_id/file_id.
    throw new ApiError(400, `${s.slot}: provide either 'url' or 'data', not neither`);
  }

  /**
   * One of our own signed URLs (an output fed back in): checked like a download, then used in place —
   * no network fetch, so the URL guard keeps refusing every other loopback or http address.
   */
  private async ownBlob(s: RefSlot, own: Exclude<OwnUrl, { kind: 'foreign' }>): Promise<StoredInput> {
    if (own.kind !== 'valid') throw new ApiError(422, `${s.slot}: ${OWN_URL_PROBLEM[own.kind]}`);
    const info = await this.deps.blobs.stat(own.key);
    if (info === null) throw new ApiError(422, `${s.slot}: failed to fetch URL (HTTP 404)`);
    if (kindOfMime(info.contentType) !== s.expects) {
      throw new ApiError(
        422,
        `${s.slot}: content-type is not ${s.expects === 'image' ? 'an image' : 'a video'}`,
      );
    }
    if (info.size > maxBytesFor(s.expects)) {
      throw new ApiError(413, `${s.slot}: ${sizeLimitReason(s.expects, maxBytesFor(s.expects))}`);
    }
    return { slot: s.slot, key: own.key, mediaType: info.contentType, generationId: null };
  }

  private async fetchUrl(s: RefSlot, key: string, url: string): Promise<StoredInput> {
    const own = await this.deps.blobs.ownUrl(url, this.deps.now());
    if (own.kind !== 'foreign') return this.ownBlob(s, own);
    await mkdir(this.deps.tmpDir, { recursive: true });
    const tmp = join(this.deps.tmpDir, `fetch-${randomUUID()}`);
    try {
      const got = await fetchToFile(url, tmp, {
        expect: s.expects,
        maxBytes: maxBytesFor(s.expects),
        timeoutMs: this.deps.fetchTimeoutMs ?? 18_000,
        allowLoopbackHttp: this.deps.allowLoopbackFetch,
      });
      await this.deps.blobs.putFile(key, tmp, got.contentType);
      return { slot: s.slot, key, mediaType: got.contentType, generationId: null };
    } finally {
      await rm(tmp, { force: true });
    }
  }
}
