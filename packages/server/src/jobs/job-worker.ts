// The lease loop (DESIGN.md): one lane per slot claims a job from the job source, keeps its lease alive
// with heartbeats and runs the pipeline, and ride out a source that fails — a failing claim, heartbeat or
// report is logged and retried with backoff, and a report that could not be delivered is delivered when
// the source is back (the lease and the attempt fence it). The same loop serves in-process workers
// (store source) and `umbra worker` (HTTP source).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.js';
import type { ClaimedJob, Settled } from './job-source.js';
import type { PipelineDeps, PipelineOptions } from './pipeline.js';
import { runPipeline } from './pipeline.js';

export interface JobWorkerOptions extends PipelineOptions {
  /** Jobs rendered at once. */
  concurrency: number;
  /** Parent of each job's scratch directory. */
  scratchRoot: string;
}

export type JobWorkerDeps = PipelineDeps;

/** Backoff after the n-th consecutive failure of a source call: 250 ms doubling to 5 s. */
export const sourceBackoffMs = (failures: number): number =>
  Math.min(5000, 250 * 2 ** Math.max(0, failures - 1));

export class JobWorker {
  private readonly running = new Map<string, AbortController>();
  /** Aborted on stop: ends a waiting claim. */
  private readonly stopping = new AbortController();
  /** Aborted when stop's grace has run out twice: reports stop retrying (the lease will expire). */
  private readonly abandon = new AbortController();
  private loopDone: Promise<void> | null = null;

  constructor(
    private readonly deps: JobWorkerDeps,
    private readonly opts: JobWorkerOptions,
  ) {}

  private get log(): Logger {
    return this.deps.log;
  }

  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Look for work now (e.g. right after a local POST) instead of at the next poll. */
  wake(): void {
    this.deps.source.wake();
  }

  /** Number of jobs this worker is rendering now. */
  get active(): number {
    return this.running.size;
  }

  /**
   * Stops claiming; waits up to `graceMs` for running jobs, then aborts them (they are reported as
   * retryable failures, so they go back to the queue). A job whose report cannot be delivered within a
   * second grace keeps its lease until it expires and is then requeued by a reaper.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping.abort();
    const abort = setTimeout(
      () => this.running.forEach((c) => c.abort(new Error('worker stopping'))),
      graceMs,
    );
    const giveUp = setTimeout(() => this.abandon.abort(), 2 * graceMs);
    // The lanes end once their running jobs are done and reported.
    await this.loopDone;
    clearTimeout(abort);
    clearTimeout(giveUp);
  }

  /** One lane per slot: each claims and runs one job at a time, so claims overlap (long polls too). */
  private async loop(): Promise<void> {
    await Promise.all(Array.from({ length: this.opts.concurrency }, () => this.lane()));
  }

  private async lane(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let job: ClaimedJob | null = null;
      try {
        job = await this.deps.source.claim(this.stopping.signal);
        failures = 0;
      } catch (err) {
        failures++;
        this.log.error({ err, source: this.deps.source.name, failures }, 'claim failed; backing off');
        await sleep(sourceBackoffMs(failures), undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
        continue;
      }
      // A job claimed just as stop began still runs: stop waits for running jobs anyway.
      if (job === null) continue;
      await this.run(job);
    }
  }

  /** Runs one job; never rejects. */
  private async run(job: ClaimedJob): Promise<void> {
    const ctl = new AbortController();
    this.running.set(job.id, ctl);
    let progress = 0;
    let beating = false;
    const heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      this.deps.source
        .heartbeat(job, progress)
        .then((held) => {
          if (!held) ctl.abort(new Error('lease lost'));
        })
        .catch((err: unknown) => this.log.warn({ err, gen: job.id }, 'heartbeat failed'))
        .finally(() => (beating = false));
    }, job.heartbeatMs);
    let scratch: string | null = null;
    try {
      scratch = await this.newScratch(job.id);
      await runPipeline(
        this.deps,
        this.opts,
        job,
        scratch,
        ctl.signal,
        (f) => {
          progress = Math.max(progress, Math.min(1, f));
        },
        (what, send) => this.report(job, what, send),
      );
    } catch (err) {
      // Only a report abandoned at stop (or a scratch dir that cannot be made) gets here.
      this.log.error({ err, gen: job.id }, 'job left to its lease');
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
      if (scratch !== null) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Sends a job's outcome until the source takes it; throws only when abandoned at stop. */
  private async report(job: ClaimedJob, what: string, send: () => Promise<Settled>): Promise<Settled> {
    for (let failures = 1; ; failures++) {
      try {
        return await send();
      } catch (err) {
        if (this.abandon.signal.aborted) throw err;
        this.log.error(
          { err, gen: job.id, attempt: job.attempt, failures },
          `${what} not delivered; retrying`,
        );
        await sleep(sourceBackoffMs(failures), undefined, { signal: this.abandon.signal }).catch(
          () => undefined,
        );
      }
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
}
