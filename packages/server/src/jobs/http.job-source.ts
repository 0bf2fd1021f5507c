// The remote job source: `umbra worker` claims over the worker routes (docs/worker-protocol.md), fetches
// inputs from signed URLs, streams outputs to the upload targets the claim names, and reports. It needs
// no database, no blob store and no shared disk. Network errors and 5xx answers are thrown, so the lease
// loop backs off and sends again; 409 means the lease is gone.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { GenerationType, Model } from '../contract/wire.js';
import { FAILURES } from '../contract/failures.js';
import type { WireJob } from '../contract/worker-protocol.js';
import { DEFAULT_WAIT_SECONDS, WORKER_PROTOCOL, heartbeatEveryMs } from '../contract/worker-protocol.js';
import type { RenderedFile } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import type { ClaimedJob, JobFacts, JobFailure, JobInput, JobSource, Settled } from './job-source.js';

export interface HttpJobSourceOptions {
  /** The server's base URL as printed at start-up, e.g. http://10.0.0.5:8080/v1. */
  serverUrl: string;
  /** `umbra-wkr-…` */
  token: string;
  /** This process's name in `umbra workers`. */
  instance: string;
  /** Models to claim; null = whatever the token allows. */
  models: Model[] | null;
  types: GenerationType[] | null;
  /** Long-poll length of each claim (0-25 s). */
  waitSeconds?: number;
}

/** A server answer that is not a success, a 409 or a documented refusal: retry later. */
export class SourceUnavailable extends Error {
  override name = 'SourceUnavailable';
}

export class HttpJobSource implements JobSource {
  readonly name = 'http';
  private readonly base: string;
  private readonly jobs = new Map<string, WireJob>();

  constructor(private readonly o: HttpJobSourceOptions) {
    this.base = o.serverUrl.replace(/\/+$/, '');
  }

  async claim(signal: AbortSignal): Promise<ClaimedJob | null> {
    const res = await this.call(
      'POST',
      '/worker/claim',
      {
        protocol: WORKER_PROTOCOL,
        instance: this.o.instance,
        models: this.o.models,
        types: this.o.types,
        wait_seconds: this.o.waitSeconds ?? DEFAULT_WAIT_SECONDS,
      },
      signal,
    ).catch((err: unknown) => {
      if (signal.aborted) return null;
      throw err;
    });
    if (res === null || res.status === 204) return null;
    const { job } = (await res.json()) as { job: WireJob };
    this.jobs.set(job.id, job);
    return {
      id: job.id,
      attempt: job.attempt,
      type: job.type,
      model: job.model,
      request: job.request,
      inputs: job.inputs.map((i) => ({
        slot: i.slot,
        mediaType: i.media_type,
        generationId: i.generation_id,
        upstreamId: null,
      })),
      leaseMs: job.lease_ms,
      // A server from before heartbeat_ms leaves the cadence to the worker.
      heartbeatMs: Number.isFinite(job.heartbeat_ms) ? job.heartbeat_ms : heartbeatEveryMs(job.lease_ms),
      emulateFailure: null,
    };
  }

  wake(): void {
    // The server wakes a long-polling claim itself.
  }

  async heartbeat(job: ClaimedJob, progress: number): Promise<boolean> {
    const res = await this.leaseCall(job, 'heartbeat', { progress });
    return res.status === 200;
  }

  async fetchInput(job: ClaimedJob, input: JobInput, destPath: string, signal: AbortSignal): Promise<void> {
    const url = this.wire(job).inputs.find((i) => i.slot === input.slot)?.url;
    if (url === undefined) throw new Error(`job ${job.id} has no input ${input.slot}`);
    const res = await fetch(url, { signal });
    if (res.status === 404)
      throw new EngineFailure('invalid_request', `${input.slot}: input media is no longer available`);
    if (!res.ok || res.body === null) throw new SourceUnavailable(`input ${input.slot}: HTTP ${res.status}`);
    await mkdir(dirname(destPath), { recursive: true });
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(destPath));
  }

  async complete(job: ClaimedJob, files: RenderedFile[], facts: JobFacts): Promise<Settled> {
    const wire = this.wire(job);
    for (const file of files) {
      const target = wire.outputs.find((t) => t.type === file.type);
      if (target === undefined) continue; // not asked for (e.g. a debug side file)
      const res = await fetch(target.url, {
        method: target.method,
        headers: {
          'content-type': target.content_type,
          ...Object.fromEntries(Object.entries(target.headers).map(([k, v]) => [k.toLowerCase(), v])),
        },
        body: Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      });
      // 422: the server refused the bytes and has failed the job itself.
      const settled = await this.settledBy(res, res.status === 422 ? 'failed' : 'refused');
      if (settled === 'refused')
        return this.refused(job, `the ${file.type} upload was refused (HTTP ${res.status})`);
      if (settled !== null) return this.done(job, settled);
    }
    // An edit or reframe is charged by its source's length, which only the worker has measured.
    const res = await this.leaseCall(
      job,
      'complete',
      facts.sourceSeconds === null ? {} : { source_seconds: facts.sourceSeconds },
    );
    const settled = await this.settledBy(res, 'refused');
    if (settled === 'refused') return this.refused(job, `completion was refused (HTTP ${res.status})`);
    return this.done(job, settled ?? 'completed');
  }

  /** The server refused an output for good: end the job rather than leave it to its lease. */
  private async refused(job: ClaimedJob, why: string): Promise<Settled> {
    return this.fail(job, {
      code: 'generation_failed',
      reason: FAILURES.generation_failed.reason,
      retryable: false,
      cause: why,
    });
  }

  async fail(job: ClaimedJob, failure: JobFailure): Promise<Settled> {
    const res = await this.leaseCall(job, 'fail', {
      failure_code: failure.code,
      failure_reason: failure.reason,
      retryable: failure.retryable,
    });
    const settled = await this.settledBy(res, 'failed' as const);
    if (settled !== null) return this.done(job, settled);
    const { state } = (await res.json()) as { state: string };
    return this.done(job, state === 'queued' ? 'retrying' : 'failed');
  }

  async release(job: ClaimedJob, delayMs: number): Promise<boolean> {
    const res = await this.leaseCall(job, 'release', { delay_ms: delayMs });
    const settled = await this.settledBy(res, 'lost' as const);
    this.jobs.delete(job.id);
    return settled === null;
  }

  /**
   * null: the call succeeded. 409: the lease is gone. Another 4xx: the server refused for good (e.g. the
   * upload's type or size; it has failed the job) — `refused`. 5xx and odd answers throw (retry later).
   */
  private async settledBy<R extends Settled | 'refused'>(
    res: Response,
    refused: R,
  ): Promise<Settled | R | null> {
    if (res.ok) return null;
    const detail = await res.text().catch(() => '');
    if (res.status === 409) return 'lost';
    if (
      res.status >= 400 &&
      res.status < 500 &&
      res.status !== 401 &&
      res.status !== 408 &&
      res.status !== 429
    )
      return refused;
    throw new SourceUnavailable(`HTTP ${res.status}: ${detail.slice(0, 200)}`);
  }

  private done(job: ClaimedJob, settled: Settled): Settled {
    this.jobs.delete(job.id);
    return settled;
  }

  private wire(job: ClaimedJob): WireJob {
    const w = this.jobs.get(job.id);
    if (w === undefined) throw new Error(`job ${job.id} was not claimed here`);
    return w;
  }

  private leaseCall(job: ClaimedJob, what: string, body: object): Promise<Response> {
    const w = this.wire(job);
    return this.call('POST', `/worker/jobs/${job.id}/${what}`, {
      attempt: w.attempt,
      lease: w.lease,
      ...body,
    });
  }

  /** One call to a worker route; throws on network errors, 401 (bad or revoked token) and 5xx. */
  private async call(method: string, path: string, body: object, signal?: AbortSignal): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401 || res.status >= 500) {
      const detail = await res.text().catch(() => '');
      throw new SourceUnavailable(`${path}: HTTP ${res.status} ${detail.slice(0, 200)}`);
    }
    return res;
  }
}
