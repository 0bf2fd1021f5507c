// The in-process job source: claims straight from the store, reads inputs from and writes outputs to the
// blob store. Every transition is conditional on the lease, so a worker that lost its lease can never
// overwrite the row; its late outputs land under its own attempt's keys and are deleted.
import { heartbeatEveryMs } from '../contract/worker-protocol.js';
import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../blobs/blob-store.js';
import { settleCompletion } from '../policy/pricing.js';
import type { RenderedFile } from '../engines/engine.js';
import type { GenerationRow, Store, StoredOutput } from '../store/store.js';
import type { ClaimedJob, JobFacts, JobFailure, JobInput, JobSource, Settled } from './job-source.js';
import { JobSignal } from './job-signal.js';
import { outputKey } from './outputs.js';
import { settleFailure } from './settle.js';

export interface StoreJobSourceOptions {
  leaseMs: number;
  /** How long an empty claim waits before the loop asks again (unless woken). */
  pollMs: number;
  retryBaseMs: number;
  /** `model/type` pairs this worker renders; null = every pair. */
  kinds: readonly string[] | null;
}

/** The job as a worker sees it; `upstreamId` of chained inputs is looked up here, where the store is. */
export async function toClaimedJob(store: Store, row: GenerationRow, leaseMs: number): Promise<ClaimedJob> {
  const inputs: JobInput[] = [];
  for (const i of row.inputs) {
    const chained = i.generationId === null ? null : await store.generations.get(i.generationId);
    inputs.push({
      slot: i.slot,
      mediaType: i.mediaType,
      generationId: i.generationId,
      upstreamId: chained?.upstreamId ?? null,
    });
  }
  return {
    id: row.id,
    attempt: row.attempts,
    type: row.type,
    model: row.model,
    request: row.request,
    inputs,
    leaseMs,
    heartbeatMs: heartbeatEveryMs(leaseMs),
    emulateFailure: row.emulateFailure,
  };
}

export class StoreJobSource implements JobSource {
  readonly name = 'store';
  /** Lease owner of every claim of this source. */
  readonly owner = `worker-${randomUUID()}`;
  /** Wakes every waiting claim of this worker's lanes. */
  private readonly arrivals = new JobSignal();
  /** Per claimed job: its row's blob keys and attempt limit (the worker never sees them). */
  private readonly held = new Map<string, GenerationRow>();

  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly opts: StoreJobSourceOptions,
    private readonly now: () => number,
  ) {}

  async claim(signal: AbortSignal): Promise<ClaimedJob | null> {
    const row = await this.store.generations.claim(
      this.owner,
      this.now(),
      this.opts.leaseMs,
      this.opts.kinds ?? undefined,
    );
    if (row !== null) {
      this.held.set(row.id, row);
      return toClaimedJob(this.store, row, this.opts.leaseMs);
    }
    await this.arrivals.wait(this.opts.pollMs, signal);
    return null;
  }

  wake(): void {
    this.arrivals.notify();
  }

  heartbeat(job: ClaimedJob, progress: number): Promise<boolean> {
    return this.store.generations.heartbeat(job.id, this.owner, this.now(), this.opts.leaseMs, progress);
  }

  async fetchInput(job: ClaimedJob, input: JobInput, destPath: string): Promise<void> {
    const key = this.row(job).inputs.find((i) => i.slot === input.slot)?.key;
    if (key === undefined) throw new Error(`job ${job.id} has no input ${input.slot}`);
    await this.blobs.download(key, destPath);
  }

  async complete(job: ClaimedJob, files: RenderedFile[], facts: JobFacts): Promise<Settled> {
    const outputs: StoredOutput[] = [];
    for (const [i, file] of files.entries()) {
      const key = outputKey(job.id, job.attempt, file, i);
      await this.blobs.putFile(key, file.path, file.contentType);
      outputs.push({ type: file.type, key, contentType: file.contentType });
    }
    const settlement = settleCompletion(this.row(job).request, facts.sourceSeconds);
    const ok = await this.store.generations.complete(job.id, this.owner, outputs, this.now(), {
      upstreamId: facts.upstreamId,
      ...settlement,
    });
    if (!ok) await Promise.all(outputs.map((o) => this.blobs.delete(o.key)));
    this.held.delete(job.id);
    return ok ? 'completed' : 'lost';
  }

  async fail(job: ClaimedJob, failure: JobFailure): Promise<Settled> {
    const row = this.row(job);
    const lease = { id: job.id, owner: this.owner, attempt: job.attempt, maxAttempts: row.maxAttempts };
    const settled = await settleFailure(
      this.store.generations,
      lease,
      failure,
      this.now(),
      this.opts.retryBaseMs,
    );
    this.held.delete(job.id);
    return settled;
  }

  async release(job: ClaimedJob, delayMs: number): Promise<boolean> {
    const now = this.now();
    const ok = await this.store.generations.release(job.id, this.owner, now + delayMs, now);
    this.held.delete(job.id);
    return ok;
  }

  private row(job: ClaimedJob): GenerationRow {
    const row = this.held.get(job.id);
    if (row === undefined) throw new Error(`job ${job.id} is not held by this worker`);
    return row;
  }
}
