// The relay engine (docs/architecture.md "Engines"): forwards a job to any server that speaks this contract (the
// hosted API, or another Umbra), polls it, and downloads its outputs into the scratch dir, so the pipeline
// keeps them in our blob store beyond the upstream's 1-hour URLs. It is an HTTP client of its upstream and
// nothing else: no store, no blobs.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APIConnectionError, APIError, FileFailedError, NotFoundError, Umbra, UmbraError } from '@umbra/sdk';
import type { Generation, GenerationCreateParams } from '@umbra/sdk';
import { listRefs } from '../../contract/image-refs.js';
import type { ImageRef } from '../../contract/wire.js';
import { isVideoType } from '../../contract/wire.js';
import type { Engine, RenderJob, RenderedFile, ResolvedMedia } from '../engine.js';
import { EngineFailure } from '../engine.js';
import type { RelayStage } from './relay-failures.js';
import { failedUpstream, retryIn, upstreamFailure } from './relay-failures.js';
import { readHead } from '../../inputs/sniff.js';
import { outputContentType, outputKind } from './relay-outputs.js';
import type { UpstreamBytes } from './relay-request.js';
import { buildUpstreamRequest, mediaTypeForFormat, needsBytes, upstreamRef } from './relay-request.js';

export interface RelayEngineOptions {
  /** The upstream's API root including `/v1` (UMBRA_RELAY_URL). */
  baseURL: string;
  /** The bearer key sent upstream (UMBRA_RELAY_API_KEY). */
  apiKey: string;
  /** Milliseconds between polls of a running upstream job. Default 2000 (the API docs say 2–5 s). */
  pollMs?: number;
  /**
   * How long one upstream call keeps being retried on network errors, 429 and 5xx, counted from its
   * first failure, before the job fails. Default 60 000 ms.
   */
  retryWindowMs?: number;
  /** Timeout of one HTTP attempt (a create carries small inputs as base64). Default 120 000 ms. */
  attemptTimeoutMs?: number;
  /**
   * Inputs larger than this many bytes are uploaded through the upstream's Files API (streamed, never read
   * whole) and sent as `{file_id}`, when the upstream has one; smaller ones, or all of them when it does
   * not, travel inline as base64. Default 4 MiB.
   */
  inlineMaxBytes?: number;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * Progress while the upstream works (the wire carries none): from 0.1 after the create towards 0.9,
 * two thirds of the way after `expectedMs`. Downloads take it from 0.9 to 1.
 */
export const pollProgress = (elapsedMs: number, expectedMs: number): number =>
  0.1 + 0.8 * (1 - Math.exp(-Math.max(0, elapsedMs) / expectedMs));

/** Every resolved input of a job, in slot order. */
const allInputs = (job: RenderJob): ResolvedMedia[] => {
  const i = job.inputs;
  return [i.source, ...i.imageRefs, i.startFrame, i.endFrame, ...i.keyframes, ...i.editKeyframes].filter(
    (m): m is ResolvedMedia => m !== null,
  );
};

/** Upstream files of large inputs expire after a day: long enough for any job, short enough to not pile up. */
const FILE_LIFETIME_MS = 24 * 3600_000;

export class RelayEngine implements Engine {
  readonly name = 'relay';
  /** The upstream checks the inputs itself, so its failure codes (e.g. `corrupt_input`) come through. */
  readonly rawInputs = true;
  private readonly client: Umbra;
  /** The upstream's origin, named in every failure reason this engine writes. */
  readonly origin: string;
  private readonly pollMs: number;
  private readonly retryWindowMs: number;
  private readonly inlineMaxBytes: number;
  private readonly now: () => number;
  /** Whether the upstream has a Files API: unknown until the first large input asks. */
  private filesOffered: boolean | null = null;

  constructor(o: RelayEngineOptions) {
    // Retries are ours (bounded in time, see relay-failures.ts), so the client makes one attempt per call.
    this.client = new Umbra({
      apiKey: o.apiKey,
      baseURL: o.baseURL,
      maxRetries: 0,
      timeout: o.attemptTimeoutMs ?? 120_000,
      ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
    });
    this.origin = new URL(o.baseURL).origin;
    this.pollMs = o.pollMs ?? 2000;
    this.retryWindowMs = o.retryWindowMs ?? 60_000;
    this.inlineMaxBytes = o.inlineMaxBytes ?? 4 * 1024 * 1024;
    this.now = o.now ?? Date.now;
  }

  async render(job: RenderJob): Promise<RenderedFile[]> {
    const body = buildUpstreamRequest(job.request, await this.upstreamRefs(job));
    // A create retried after a lost answer may start a second upstream job; the API has no idempotency key.
    const created = await this.call(
      'create',
      (signal) => this.client.generations.create(body as unknown as GenerationCreateParams, { signal }),
      job.signal,
    );
    job.onUpstreamId?.(created.id);
    job.onProgress(0.1);
    const done = await this.untilDone(created, job);
    return this.downloadAll(done, job);
  }

  /** One upstream ImageRef per input slot: the upstream's own id when it has the input, else the bytes. */
  private async upstreamRefs(job: RenderJob): Promise<Map<string, ImageRef>> {
    const asked = new Map(listRefs(job.request).map((r) => [r.slot, r.ref]));
    const refs = new Map<string, ImageRef>();
    for (const media of allInputs(job)) {
      const bytes = needsBytes(media) ? await this.bytesFor(media, job.signal) : null;
      refs.set(media.slot, upstreamRef(asked.get(media.slot), media, bytes));
    }
    return refs;
  }

  /** A large input as an upstream file when the upstream takes files; otherwise its bytes inline. */
  private async bytesFor(media: ResolvedMedia, signal: AbortSignal): Promise<UpstreamBytes> {
    if ((await stat(media.path)).size > this.inlineMaxBytes && this.filesOffered !== false) {
      const fileId = await this.uploadFile(media, signal);
      if (fileId !== null) return { fileId };
    }
    return { base64: (await readFile(media.path)).toString('base64') };
  }

  /** Uploads one input and waits until the upstream has ingested it; null when it has no Files API. */
  private async uploadFile(media: ResolvedMedia, signal: AbortSignal): Promise<string | null> {
    const upload = (s: AbortSignal): Promise<string | null> =>
      this.client.files
        .upload(
          media.path,
          {
            mime_type: mediaTypeForFormat(media.format),
            purpose: media.slot === 'source' ? 'input' : 'reference',
            // Files of abandoned attempts are the upstream's to clean up, not ours to track.
            expires_at: new Date(this.now() + FILE_LIFETIME_MS).toISOString(),
          },
          { signal: s, wait: true, pollInterval: this.pollMs, inlineThreshold: 0 },
        )
        .then(
          (file) => file.id,
          (err: unknown) => {
            // The first upload answered 404: an upstream that predates the Files API.
            if (err instanceof NotFoundError && this.filesOffered === null) return null;
            throw err;
          },
        );
    try {
      const fileId = await this.call('upload', upload, signal);
      this.filesOffered = fileId !== null;
      return fileId;
    } catch (err) {
      if (err instanceof FileFailedError) {
        const why = err.failureReason ?? err.file.state;
        throw new EngineFailure('invalid_request', `upstream ${this.origin} refused ${media.slot}: ${why}`);
      }
      throw err;
    }
  }

  private async untilDone(created: Generation, job: RenderJob): Promise<Generation> {
    const started = this.now();
    const expectedMs = isVideoType(job.request.type) ? 60_000 : 15_000;
    let g = created;
    for (;;) {
      if (g.state === 'completed') return g;
      if (g.state === 'failed') throw failedUpstream(g);
      await sleep(this.pollMs, undefined, { signal: job.signal });
      g = await this.call(
        'poll',
        (signal) => this.client.generations.get(created.id, { signal }),
        job.signal,
      );
      job.onProgress(pollProgress(this.now() - started, expectedMs));
    }
  }

  private async downloadAll(done: Generation, job: RenderJob): Promise<RenderedFile[]> {
    const files: RenderedFile[] = [];
    let fresh: Generation | null = null;
    for (const [i, out] of done.output.entries()) {
      const type = outputKind(out.type);
      if (type === null) continue;
      const path = join(job.scratchDir, `upstream-output-${i}`);
      let contentType: string | null;
      try {
        contentType = await this.download((fresh ?? done).output[i]?.url ?? out.url, path, job.signal);
      } catch (err) {
        // An output URL that expired while we waited (403): ask once for freshly signed URLs.
        if (fresh !== null || !(err instanceof EngineFailure && err.code === 'output_not_found')) throw err;
        fresh = await this.call(
          'poll',
          (signal) => this.client.generations.get(done.id, { signal }),
          job.signal,
        );
        contentType = await this.download(fresh.output[i]?.url ?? out.url, path, job.signal);
      }
      files.push({
        type,
        path,
        contentType: outputContentType(type, (await readHead(path)).head, contentType),
      });
      job.onProgress(0.9 + (0.1 * (i + 1)) / done.output.length);
    }
    if (files.length === 0) {
      throw new EngineFailure(
        'output_not_found',
        `upstream ${this.origin} completed generation ${done.id} without an output this server can keep`,
        false,
      );
    }
    return files;
  }

  /** Downloads one output URL to `path`; resolves with the answer's Content-Type. */
  private async download(url: string, path: string, signal: AbortSignal): Promise<string | null> {
    const got = await this.call(
      'download',
      async (s) => {
        try {
          return await this.client.files.download(url, path, { signal: s });
        } catch (err) {
          if (err instanceof UmbraError || s.aborted) throw err;
          // The body broke off mid-stream: as retryable as a connection that never came up.
          const text = err instanceof Error ? err.message : String(err);
          throw new APIConnectionError(`download interrupted: ${text}`, { cause: err });
        }
      },
      signal,
    );
    return got.contentType;
  }

  /**
   * One upstream call, retried while `retryIn` allows (network errors, 429, 5xx; Retry-After honoured);
   * then the classified failure of `upstreamFailure`. The job's signal stops it at any point.
   */
  private async call<T>(
    stage: RelayStage,
    fn: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> {
    let firstFailure: number | null = null;
    for (let retry = 0; ; retry++) {
      try {
        return await fn(signal);
      } catch (err) {
        signal.throwIfAborted();
        firstFailure ??= this.now();
        const wait = retryIn(err, retry, this.now() - firstFailure, this.retryWindowMs);
        if (wait === null) {
          if (err instanceof APIError || err instanceof APIConnectionError || !(err instanceof Error))
            throw upstreamFailure(err, stage, this.origin);
          throw err;
        }
        await sleep(wait, undefined, { signal });
      }
    }
  }
}
