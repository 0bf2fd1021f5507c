// The worker routes as use cases (docs/worker-protocol.md): claim (long poll), heartbeat, upload,
// complete and fail for remote workers, fenced by the lease and the attempt exactly like in-process
// workers, with the same retry policy (settle.ts).
import { randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { UrlSigner } from '../blobs/url-signer.js';
import { ApiError } from '../contract/api-error.js';
import { FAILURES } from '../contract/failures.js';
import type { ClaimBody, FailBody, HeartbeatBody, LeaseBody, WireJob } from '../contract/worker-protocol.js';
import type { EngineRoutes } from '../engines/routes.js';
import { kindsRoutedTo } from '../engines/routes.js';
import type { Logger } from '../log.js';
import type { GenerationRow, Store, StoredOutput, WorkerTokenRecord } from '../store/store.js';
import { parseRemoteOwner, remoteOwnerPrefix } from '../store/workers.sql.js';
import type { JobSignal } from './job-signal.js';
import type { ExpectedOutput } from './outputs.js';
import { expectedOutputs, matchesContentType } from './outputs.js';
import { settleFailure } from './settle.js';

export interface RemoteJobsDeps {
  store: Store;
  blobs: BlobStore;
  signer: UrlSigner;
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
  /** Largest output a worker may upload (413 beyond). */
  maxUploadBytes: number;
}

/** Input URLs live this long; upload URLs this long past the lease. */
const URL_SLACK_MS = 15 * 60_000;
/** `umbra workers` needs to know an instance is alive, not every call it made. */
const SEEN_EVERY_MS = 5_000;
const UPLOAD_KEY = /^generations\/([0-9a-f-]{36})\/a(\d+)\/[A-Za-z0-9._-]+$/;

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
        if (row.emulateFailure === null) return this.toWire(row);
        // Emulator: the requested failure is the server's to apply, not the worker's.
        const f = row.emulateFailure;
        await this.d.store.generations.fail(
          row.id,
          row.leaseOwner ?? '',
          f,
          FAILURES[f].reason,
          this.d.now(),
        );
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

  async complete(token: WorkerTokenRecord, id: string, b: LeaseBody): Promise<{ state: 'completed' }> {
    const row = await this.held(token, id, b);
    const outputs: StoredOutput[] = [];
    for (const e of expectedOutputs(row.id, row.attempts, row.request)) {
      if ((await this.d.blobs.stat(e.key)) === null)
        throw new ApiError(422, `output '${e.type}' was not uploaded`);
      outputs.push({ type: e.type, key: e.key, contentType: e.contentType });
    }
    if (!(await this.d.store.generations.complete(id, b.lease, outputs, this.d.now()))) {
      await Promise.all(outputs.map((o) => this.d.blobs.delete(o.key)));
      throw lost();
    }
    this.d.log.info({ id, attempt: b.attempt, worker: token.name }, 'completed by remote worker');
    return { state: 'completed' };
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
      { id, attempt: b.attempt, worker: token.name, code: b.code, settled },
      'remote worker failed a job',
    );
    return { state: settled === 'retrying' ? 'queued' : 'failed' };
  }

  /**
   * Stores one uploaded output: signature (PUT) → current attempt → size cap → first bytes match the
   * job's output type. Bytes of a wrong type fail the job; a stale attempt keeps nothing.
   */
  async upload(
    key: string,
    q: { expires?: string; signature?: string },
    contentLength: number | null,
    body: Readable,
  ): Promise<{ size: number }> {
    const check = this.d.signer.check(key, q.expires, q.signature, this.d.now(), 'PUT');
    if (check !== 'valid')
      throw new ApiError(403, check === 'expired' ? 'URL has expired' : 'Invalid signature');
    const m = UPLOAD_KEY.exec(key);
    const row = m?.[1] === undefined ? null : await this.d.store.generations.get(m[1]);
    const current = (r: GenerationRow | null): r is GenerationRow =>
      r !== null && r.state === 'processing' && r.attempts === Number(m?.[2]);
    if (!current(row)) throw lost('this upload belongs to an attempt that is no longer current');
    const expected = expectedOutputs(row.id, row.attempts, row.request).find((e) => e.key === key);
    if (expected === undefined) throw new ApiError(404, 'Not an output of this job');
    if (contentLength !== null && contentLength > this.o.maxUploadBytes)
      throw tooLarge(this.o.maxUploadBytes);
    let mismatch = false;
    const guard = sizeAndTypeGuard(this.o.maxUploadBytes, expected, () => (mismatch = true));
    // The guard may refuse the first bytes before the blob store has attached its own listeners; the
    // store still sees the error (the stream is left errored), so this one only keeps it from escaping.
    guard.on('error', () => undefined);
    let size: number;
    try {
      ({ size } = await this.d.blobs.putStream(key, body.pipe(guard), expected.contentType));
    } catch (err) {
      // Drain what is left so the answer can be sent on a healthy connection.
      body.unpipe(guard);
      body.resume();
      if (mismatch) {
        await this.d.store.generations.fail(
          row.id,
          row.leaseOwner ?? '',
          'generation_failed',
          FAILURES.generation_failed.reason,
          this.d.now(),
        );
        this.d.log.warn(
          { id: row.id, attempt: row.attempts, expected: expected.contentType },
          'remote worker uploaded the wrong kind of file; job failed',
        );
      }
      throw err;
    }
    // The lease may have moved on while the bytes streamed in: keep nothing of a stale attempt.
    if (!current(await this.d.store.generations.get(row.id))) {
      await this.d.blobs.delete(key);
      throw lost('this upload belongs to an attempt that is no longer current');
    }
    return { size };
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

  private toWire(row: GenerationRow): WireJob {
    const now = this.d.now();
    return {
      id: row.id,
      attempt: row.attempts,
      lease: row.leaseOwner ?? '',
      lease_ms: this.o.leaseMs,
      model: row.model,
      type: row.type,
      request: row.request,
      inputs: row.inputs.map((i) => ({
        slot: i.slot,
        media_type: i.mediaType,
        generation_id: i.generationId,
        url: this.d.blobs.signedUrl(i.key, now + URL_SLACK_MS),
      })),
      outputs: expectedOutputs(row.id, row.attempts, row.request).map((e: ExpectedOutput) => ({
        type: e.type,
        content_type: e.contentType,
        width: e.width,
        height: e.height,
        method: 'PUT',
        url: this.d.blobs.uploadUrl(e.key, now + this.o.leaseMs + URL_SLACK_MS),
      })),
      max_upload_bytes: this.o.maxUploadBytes,
    };
  }
}

const tooLarge = (max: number): ApiError => new ApiError(413, `Upload exceeds the ${max}-byte limit`);

/** Passes bytes through while counting them and checking the first ones against the expected type. */
function sizeAndTypeGuard(max: number, expected: ExpectedOutput, onMismatch: () => void): Transform {
  const HEAD = 16;
  let seen = 0;
  let head: Buffer | null = Buffer.alloc(0);
  let failed = false;
  const wrongType = (): ApiError => {
    onMismatch();
    return new ApiError(422, `Upload is not ${expected.contentType} (the job's ${expected.type} output)`);
  };
  // After the first error the rest of the body is only drained: one error, never a second.
  const fail = (err: ApiError): ApiError => ((failed = true), err);
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (failed) return cb();
      seen += chunk.length;
      if (seen > max) return cb(fail(tooLarge(max)));
      if (head === null) return cb(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < HEAD) return cb();
      if (!matchesContentType(expected.contentType, head)) return cb(fail(wrongType()));
      const first = head;
      head = null;
      cb(null, first);
    },
    flush(cb) {
      if (failed || head === null) return cb();
      if (!matchesContentType(expected.contentType, head)) return cb(fail(wrongType()));
      cb(null, head);
    },
  });
}
