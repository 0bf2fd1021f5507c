// The worker loop (DESIGN.md): claim a row under a lease, keep the lease alive, run the pipeline
// (resolve inputs → engine → blob store → completed/failed), and reap rows whose worker died.
// Every transition is conditional in the store, so a worker that lost its lease can never overwrite
// the row; its late output lands under its own attempt's keys and is deleted.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobStore } from '../blobs/blob-store.js';
import { extensionForContentType } from '../blobs/content-type.js';
import { FAILURES } from '../contract/failures.js';
import type { FailureCode } from '../contract/wire.js';
import type { Engine, RenderedFile } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import { resolveInputs } from '../inputs/resolve-inputs.js';
import type { Logger } from '../log.js';
import { ACTIVE_JOB_TTL_MS, RPM_WINDOW_MS } from '../policy/rate-limit.js';
import type { GenerationRow, Store, StoredOutput } from '../store/store.js';

export interface JobWorkerOptions {
  /** Jobs rendered at once. */
  concurrency: number;
  leaseMs: number;
  retryBaseMs: number;
  pollMs: number;
  /** Emulator: time each job spends before rendering. */
  emulateLatencyMs: number;
  /** Parent of each job's scratch directory. */
  scratchRoot: string;
  /** ffmpeg/ffprobe for probing video inputs (UMBRA_FFMPEG / UMBRA_FFPROBE); null = PATH, else npm. */
  ffmpegPath: string | null;
  ffprobePath: string | null;
}

export interface JobWorkerDeps {
  store: Store;
  blobs: BlobStore;
  engine: Engine;
  log: Logger;
  now: () => number;
}

/** Retry delay after the n-th failed attempt: base · 2^(n−1), capped at 5 min, jittered down by ≤ 25 %. */
export const retryDelayMs = (baseMs: number, attempt: number, rand: number = Math.random()): number =>
  Math.round(Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000) * (1 - 0.25 * rand));

const outputKey = (row: GenerationRow, file: RenderedFile, index: number): string => {
  const name = file.type === 'exr' ? 'frames' : index === 0 ? 'output' : `output-${index}`;
  return `generations/${row.id}/a${row.attempts}/${name}.${extensionForContentType(file.contentType)}`;
};

export class JobWorker {
  readonly id = `worker-${randomUUID()}`;
  private readonly running = new Map<string, AbortController>();
  private readonly finished = new Set<Promise<void>>();
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private reaper: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: JobWorkerDeps,
    private readonly opts: JobWorkerOptions,
  ) {}

  start(): void {
    if (this.loopDone !== null) return;
    this.loopDone = this.loop();
    const every = Math.max(100, Math.floor(this.opts.leaseMs / 2));
    this.reaper = setInterval(() => void this.reap(), every);
    this.reaper.unref();
    void this.reap();
  }

  /** Look for work now (e.g. right after a local POST) instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Number of jobs this worker is rendering now. */
  get active(): number {
    return this.running.size;
  }

  /**
   * Stops claiming; waits up to `graceMs` for running jobs, then aborts them. An aborted job keeps its
   * lease until it expires and is then requeued by any worker's reaper.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.reaper) clearInterval(this.reaper);
    this.wake();
    await this.loopDone;
    const all = Promise.all([...this.finished]);
    const timer = setTimeout(() => this.running.forEach((c) => c.abort()), graceMs);
    await all;
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (this.running.size < this.opts.concurrency) {
        let row: GenerationRow | null = null;
        try {
          row = await this.deps.store.generations.claim(this.id, this.deps.now(), this.opts.leaseMs);
        } catch (err) {
          this.deps.log.error({ err }, 'claim failed');
        }
        if (row !== null) {
          const done = this.run(row);
          this.finished.add(done);
          void done.finally(() => this.finished.delete(done));
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.opts.pollMs);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private async reap(): Promise<void> {
    const now = this.deps.now();
    try {
      const { requeued, failed } = await this.deps.store.generations.reapExpired(now);
      const stale = await this.deps.store.generations.expireStale(now - ACTIVE_JOB_TTL_MS, now);
      // Hits older than the RPM window never count again; clients that went quiet leave them behind.
      await this.deps.store.rate.prune(now - RPM_WINDOW_MS);
      if (requeued + failed + stale > 0) {
        this.deps.log.warn({ requeued, failed, stale }, 'reaped jobs whose worker stopped');
        if (requeued > 0) this.wake();
      }
    } catch (err) {
      this.deps.log.error({ err }, 'reaper failed');
    }
  }

  private async run(row: GenerationRow): Promise<void> {
    const ctl = new AbortController();
    this.running.set(row.id, ctl);
    const { store, log } = this.deps;
    let progress = 0;
    const heartbeat = setInterval(
      () =>
        void store.generations
          .heartbeat(row.id, this.id, this.deps.now(), this.opts.leaseMs, progress)
          .then((held) => {
            if (!held) ctl.abort(new Error('lease lost'));
          })
          .catch((err: unknown) => log.warn({ err, id: row.id }, 'heartbeat failed')),
      Math.max(50, Math.floor(this.opts.leaseMs / 3)),
    );
    let scratch: string | null = null;
    const started = this.deps.now();
    try {
      if (this.opts.emulateLatencyMs > 0)
        await sleep(this.opts.emulateLatencyMs, undefined, { signal: ctl.signal });
      if (row.emulateFailure !== null) {
        throw new EngineFailure(row.emulateFailure, FAILURES[row.emulateFailure].reason, false);
      }
      scratch = await this.newScratch(row.id);
      const inputs = await resolveInputs(this.deps.blobs, row.inputs, join(scratch, 'in'), {
        ffmpeg: this.opts.ffmpegPath,
        ffprobe: this.opts.ffprobePath,
        type: row.type,
        signal: ctl.signal,
      });
      const files = await this.deps.engine.render({
        generationId: row.id,
        request: row.request,
        inputs,
        scratchDir: scratch,
        signal: ctl.signal,
        onProgress: (f) => {
          progress = Math.max(progress, Math.min(1, f));
        },
      });
      ctl.signal.throwIfAborted();
      const outputs: StoredOutput[] = [];
      for (const [i, file] of files.entries()) {
        const key = outputKey(row, file, i);
        await this.deps.blobs.putFile(key, file.path, file.contentType);
        outputs.push({ type: file.type, key, contentType: file.contentType });
      }
      if (await store.generations.complete(row.id, this.id, outputs, this.deps.now())) {
        log.info(
          { id: row.id, type: row.type, ms: this.deps.now() - started, engine: this.deps.engine.name },
          'completed',
        );
      } else {
        log.warn({ id: row.id }, 'lease lost before completion; discarding this attempt');
        await Promise.all(outputs.map((o) => this.deps.blobs.delete(o.key)));
      }
    } catch (err) {
      await this.settleFailure(row, err);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(row.id);
      if (scratch !== null) await rm(scratch, { recursive: true, force: true });
      this.wake();
    }
  }

  /** A fresh scratch dir for one job; the root is created only when missing (first job, or removed since). */
  private async newScratch(id: string): Promise<string> {
    const prefix = join(this.opts.scratchRoot, `${id}-`);
    try {
      return await mkdtemp(prefix);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(this.opts.scratchRoot, { recursive: true });
      return mkdtemp(prefix);
    }
  }

  private async settleFailure(row: GenerationRow, err: unknown): Promise<void> {
    const { store, log } = this.deps;
    const now = this.deps.now();
    const classified = err instanceof EngineFailure ? err : null;
    const code: FailureCode = classified?.code ?? 'generation_failed';
    const retryable = classified === null ? true : classified.retryable;
    if (retryable && row.attempts < row.maxAttempts) {
      const runAfter = now + retryDelayMs(this.opts.retryBaseMs, row.attempts);
      const ok = await store.generations.requeue(row.id, this.id, runAfter, now);
      log.warn(
        { id: row.id, attempt: row.attempts, runAfter, err: String(err), applied: ok },
        'job failed; will retry',
      );
      return;
    }
    // Unclassified errors are internal: the client sees the documented generic text, the log sees why.
    const reason = classified?.message ?? FAILURES.generation_failed.reason;
    const ok = await store.generations.fail(row.id, this.id, code, reason, now);
    log.warn(
      { id: row.id, code, reason, err: classified ? undefined : String(err), applied: ok },
      'job failed',
    );
  }
}
