// The worker routes as use cases (docs/worker-protocol.md): claim (long poll), heartbeat, complete, fail
// and release for remote workers, fenced by the lease and the attempt exactly like in-process workers, with the
// same retry policy (settle.ts). Workers PUT outputs straight to the blob store's upload targets (a signed
// route on this server, or a presigned bucket URL); `complete` checks what arrived.
import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '../blobs/blob-store.js';
import { ApiError } from '../contract/api-error.js';
import { FAILURES } from '../contract/failures.js';
import type {
  ClaimBody,
  CompleteBody,
  FailBody,
  HeartbeatBody,
  LeaseBody,
  ReleaseBody,
  WireJob,
} from '../contract/worker-protocol.js';
import { heartbeatEveryMs } from '../contract/worker-protocol.js';
import type { EngineRoutes } from '../engines/routes.js';
import { kindsRoutedTo } from '../engines/routes.js';
import type { Logger } from '../log.js';
import { settleCompletion } from '../policy/pricing.js';
import type { GenerationRow, Store, StoredOutput, WorkerTokenRecord } from '../store/store.js';
import { parseRemoteOwner, remoteOwnerPrefix } from '../store/workers.sql.js';
import type { JobSignal } from './job-signal.js';
import type { ExpectedOutput } from './outputs.js';
import { expectedOutputs, matchesContentType } from './outputs.js';
import { settleFailure } from './settle.js';

export interface RemoteJobsDeps {
  store: Store;
  blobs: BlobStore;
  signal: JobSignal;
  routes: EngineRoutes;
  log: Logger;
  now: () => number;
}

export interface RemoteJobsOptions {
  leaseMs: number;
  retryBaseMs: number;
  /** How often a waiting claim looks again for jobs admitted by other processes. */
  pollMs: number;
  /** Largest output a worker may upload (413 beyond where the store checks while uploading). */
  maxUploadBytes: number;
}

/** Input URLs live this long; upload URLs this long past the lease. */
const URL_SLACK_MS = 15 * 60_000;
/** `umbra workers` needs to know an instance is alive, not every call it made. */
const SEEN_EVERY_MS = 5_000;
/** Enough of an output's first bytes to tell its type. */
const HEAD_BYTES = 16;

const lost = (detail = 'lease lost: this attempt is no longer current'): ApiError =>
  new ApiError(409, detail);

export class RemoteJobs {
  /** Aborted at shutdown: waiting claims answer 204 at once instead of holding the server open. */
  private readonly closing = new AbortController();
  private readonly lastSeen = new Map<string, { at: number; kinds: string[] }>();

  constructor(
    private readonly d: RemoteJobsDeps,
    private readonly o: RemoteJobsOptions,
  ) {}

  /** The kinds a token may claim: routed to remote, allowed by the token, asked for in the claim. */
  kindsFor(token: WorkerTokenRecord, body: Pick<ClaimBody, 'models' | 'types'>): string[] {
    return kindsRoutedTo(this.d.routes, ['remote']).filter((k) => {
      const [model, type] = k.split('/');
      return (
        (token.models === null || token.models.some((m) => m === model)) &&
        (body.models === null || body.models.some((m) => m === model)) &&
        (body.types === null || body.types.some((t) => t === type))
      );
    });
  }

  /** Ends every waiting claim (the process is stopping). */
  close(): void {
    this.closing.abort();
  }

  /** Waits up to `waitSeconds` for a job; null when none came, the worker hung up or the server stops. */
  async claim(token: WorkerTokenRecord, body: ClaimBody, hungUp: AbortSignal): Promise<WireJob | null> {
    const gone = AbortSignal.any([hungUp, this.closing.signal]);
    const kinds = this.kindsFor(token, body);
    await this.seen(token, body.instance, kinds);
    const deadline = this.d.now() + body.waitSeconds * 1000;
    const owner = (): string => `${remoteOwnerPrefix(token.id, body.instance)}${randomUUID()}`;
    for (;;) {
      if (gone.aborted) return null;
      const row =
        kinds.length === 0
          ? null
          : await this.d.store.generations.claim(owner(), this.d.now(), this.o.leaseMs, kinds);
      if (row !== null) {
        const line = { gen: row.id, attempt: row.attempts, worker: token.name, instance: body.instance };
        if (row.emulateFailure === null) {
          this.d.log.info({ ...line, model: row.model, type: row.type }, 'processing by remote worker');
          return await this.toWire(row);
        }
        // Emulator: the requested failure is the server's to apply, not the worker's.
        const f = row.emulateFailure;
        await this.d.store.generations.fail(
          row.id,
          row.leaseOwner ?? '',
          f,
          FAILURES[f].reason,
          this.d.now(),
        );
        this.d.log.warn({ ...line, code: f }, 'failed (emulated, at claim)');
        continue;
      }
      const left = deadline - this.d.now();
      if (left <= 0) return null;
      await this.d.signal.wait(Math.min(left, this.o.pollMs), gone);
    }
  }

  async heartbeat(
    token: WorkerTokenRecord,
    id: string,
    b: HeartbeatBody,
  ): Promise<{ lease_expires_at: number }> {
    await this.held(token, id, b);
    const now = this.d.now();
    if (!(await this.d.store.generations.heartbeat(id, b.lease, now, this.o.leaseMs, b.progress)))
      throw lost();
    const instance = parseRemoteOwner(b.lease)?.instance;
    if (instance !== undefined) void this.seen(token, instance, null).catch(() => undefined);
    return { lease_expires_at: now + this.o.leaseMs };
  }

  async complete(token: WorkerTokenRecord, id: string, b: CompleteBody): Promise<{ state: 'completed' }> {
    const row = await this.held(token, id, b);
    const outputs: StoredOutput[] = [];
    for (const e of expectedOutputs(row.id, row.attempts, row.request)) {
      const info = await this.d.blobs.stat(e.key);
      if (info === null) throw new ApiError(422, `output '${e.type}' was not uploaded`);
      const wrong = await this.wrongUpload(e, info.size);
      if (wrong !== null) {
        // Bytes that are not what the job makes will not be better next time: the job fails.
        await this.d.store.generations.fail(
          row.id,
          b.lease,
          'generation_failed',
          FAILURES.generation_failed.reason,
          this.d.now(),
        );
        await this.d.blobs.delete(e.key);
        this.d.log.warn(
          { gen: id, attempt: b.attempt, worker: token.name, code: 'generation_failed', why: wrong },
          'failed: remote output refused',
        );
        throw new ApiError(422, `${wrong}; the job has failed`);
      }
      outputs.push({ type: e.type, key: e.key, contentType: e.contentType });
    }
    // The worker measured the source; the price follows from it here, where the prices are.
    const settlement = settleCompletion(row.request, b.sourceSeconds);
    const completed = await this.d.store.generations.complete(id, b.lease, outputs, this.d.now(), {
      upstreamId: null,
      ...settlement,
    });
    if (!completed) {
      await Promise.all(outputs.map((o) => this.d.blobs.delete(o.key)));
      throw lost();
    }
    // Earlier attempts' upload targets may still have taken bytes that nothing will ever reference.
    for (let attempt = 1; attempt < row.attempts; attempt++) {
      for (const e of expectedOutputs(row.id, attempt, row.request)) await this.d.blobs.delete(e.key);
    }
    this.d.log.info({ gen: id, attempt: b.attempt, worker: token.name }, 'completed by remote worker');
    return { state: 'completed' };
  }

  /** Why an uploaded output cannot be kept (over the size cap, or not the job's type), or null. */
  private async wrongUpload(e: ExpectedOutput, size: number): Promise<string | null> {
    if (size > this.o.maxUploadBytes)
      return `the ${e.type} output exceeds the ${this.o.maxUploadBytes}-byte limit`;
    const head = await buffer(await this.d.blobs.read(e.key, { start: 0, end: HEAD_BYTES - 1 }));
    return matchesContentType(e.contentType, head) ? null : `the ${e.type} output is not ${e.contentType}`;
  }

  async fail(token: WorkerTokenRecord, id: string, b: FailBody): Promise<{ state: 'failed' | 'queued' }> {
    const row = await this.held(token, id, b);
    const failure = { code: b.code, reason: b.reason ?? FAILURES[b.code].reason, retryable: b.retryable };
    const lease = { id, owner: b.lease, attempt: row.attempts, maxAttempts: row.maxAttempts };
    const settled = await settleFailure(
      this.d.store.generations,
      lease,
      failure,
      this.d.now(),
      this.o.retryBaseMs,
    );
    if (settled === 'lost') throw lost();
    this.d.log.warn(
      { gen: id, attempt: b.attempt, worker: token.name, code: b.code, reason: failure.reason },
      settled === 'retrying' ? 'retrying after a remote worker failed it' : 'failed by remote worker',
    );
    return { state: settled === 'retrying' ? 'queued' : 'failed' };
  }

  /**
   * Hands the job back to the queue without spending its attempt (the worker is stopping, or a part it
   * depends on is down), claimable after `delayMs`; waiting claims are woken when it is claimable now.
   */
  async release(token: WorkerTokenRecord, id: string, b: ReleaseBody): Promise<{ state: 'queued' }> {
    await this.held(token, id, b);
    const now = this.d.now();
    if (!(await this.d.store.generations.release(id, b.lease, now + b.delayMs, now))) throw lost();
    this.d.log.warn(
      { gen: id, attempt: b.attempt, worker: token.name, delayMs: b.delayMs },
      'handed back by remote worker',
    );
    if (b.delayMs === 0) this.d.signal.notify();
    return { state: 'queued' };
  }

  /** The row a lease call names, when the caller still holds it; else 409 (and never another token's). */
  private async held(token: WorkerTokenRecord, id: string, b: LeaseBody): Promise<GenerationRow> {
    if (parseRemoteOwner(b.lease)?.tokenId !== token.id)
      throw lost('this lease was not issued to this worker token');
    const row = await this.d.store.generations.get(id);
    if (
      row === null ||
      row.state !== 'processing' ||
      row.leaseOwner !== b.lease ||
      row.attempts !== b.attempt
    )
      throw lost();
    return row;
  }

  /** Records the instance for `umbra workers`, at most every few seconds (heartbeats reuse the claim's kinds). */
  private async seen(token: WorkerTokenRecord, instance: string, kinds: string[] | null): Promise<void> {
    const k = `${token.id}/${instance}`;
    const now = this.d.now();
    const prev = this.lastSeen.get(k);
    const use = kinds ?? prev?.kinds;
    if (use === undefined) return;
    const changed = prev === undefined || use.join() !== prev.kinds.join();
    if (!changed && now - prev.at < SEEN_EVERY_MS) return;
    this.lastSeen.set(k, { at: now, kinds: use });
    await this.d.store.workers.seen(token.id, instance, use, now);
  }

  private async toWire(row: GenerationRow): Promise<WireJob> {
    const now = this.d.now();
    const uploadUntil = now + this.o.leaseMs + URL_SLACK_MS;
    return {
      id: row.id,
      attempt: row.attempts,
      lease: row.leaseOwner ?? '',
      lease_ms: this.o.leaseMs,
      heartbeat_ms: heartbeatEveryMs(this.o.leaseMs),
      model: row.model,
      type: row.type,
      request: row.request,
      inputs: await Promise.all(
        row.inputs.map(async (i) => ({
          slot: i.slot,
          media_type: i.mediaType,
          generation_id: i.generationId,
          url: await this.d.blobs.signedUrl(i.key, now + URL_SLACK_MS),
        })),
      ),
      outputs: await Promise.all(
        expectedOutputs(row.id, row.attempts, row.request).map(async (e: ExpectedOutput) => {
          const target = await this.d.blobs.uploadTarget(e.key, {
            expiresAt: uploadUntil,
            contentType: e.contentType,
            maxBytes: this.o.maxUploadBytes,
          });
          return {
            type: e.type,
            content_type: e.contentType,
            width: e.width,
            height: e.height,
            method: target.method,
            url: target.url,
            headers: target.headers,
          };
        }),
      ),
      max_upload_bytes: this.o.maxUploadBytes,
    };
  }
}
