// The lease loop (docs/architecture.md "Roles and data flow"): one lane per slot claims a job from the job
// source, keeps its lease alive with heartbeats and runs the pipeline, and ride out a source that fails — a
// failing claim, heartbeat or report is logged and retried with backoff, and a report that could not be
// delivered is delivered when the source is back (the lease and the attempt fence it); a lane whose job was
// handed back because a part was down backs off before it claims again. Stopping is bounded (issue 12,
// "Graceful shutdown"): claims stop at once, running jobs get a grace, the rest are handed back. The same
// loop serves in-process workers (store source) and `umbra worker` (HTTP source).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.js';
import type { ClaimedJob, Settled } from './job-source.js';
import type { PipelineDeps, PipelineOptions } from './pipeline.js';
import { WorkerStopping, runPipeline } from './pipeline.js';

export interface JobWorkerOptions extends PipelineOptions {
  /** Jobs rendered at once. */
  concurrency: number;
  /** Parent of each job's scratch directory. */
  scratchRoot: string;
}

export type JobWorkerDeps = PipelineDeps;

/**
 * After the grace, how long a stopping worker still tries to hand its jobs back (or deliver the ones that
 * finished); past it, stop returns and what is left keeps its lease until that expires.
 */
export const HAND_BACK_MS = 2000;

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
   * Stops claiming at once; running jobs get `graceMs` to finish (a job that finishes is delivered as
   * usual), then their renders are aborted with WorkerStopping and the jobs handed back to the queue at
   * once, without spending an attempt, so another worker takes them without waiting for the lease. Bounded:
   * what could not be handed back (or delivered) within HAND_BACK_MS more is left to its lease.
   */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping.abort();
    const abort = setTimeout(() => {
      for (const [gen, c] of this.running) {
        this.log.warn({ gen, graceMs }, 'grace over; handing the job back');
        c.abort(new WorkerStopping());
      }
    }, graceMs);
    const giveUp = setTimeout(() => this.abandon.abort(), graceMs + HAND_BACK_MS);
    const abandoned = new Promise<void>((resolve) =>
      this.abandon.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    // The lanes end once their running jobs are done and reported (or handed back).
    await Promise.race([this.loopDone ?? Promise.resolve(), abandoned]);
    clearTimeout(abort);
    clearTimeout(giveUp);
    if (this.running.size > 0) {
      // Abandoned reports reject at once; let their lanes log and clean up before the caller moves on.
      await Promise.race([this.loopDone, sleep(100)]);
      for (const gen of this.running.keys()) this.log.error({ gen }, 'stopped; job left to its lease');
    }
  }

  /** One lane per slot: each claims and runs one job at a time, so claims overlap (long polls too). */
  private async loop(): Promise<void> {
    await Promise.all(Array.from({ length: this.opts.concurrency }, () => this.lane()));
  }

  private async lane(): Promise<void> {
    let failures = 0;
    /** Consecutive jobs handed back because a dependency was down. */
    let outages = 0;
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
      if (job === null) continue;
      const settled = await this.run(job);
      if (settled !== 'released' || this.stopping.signal.aborted) {
        outages = 0;
        continue;
      }
      // Handed back because a part it needs is down: the next job would likely meet the same outage.
      outages++;
      this.log.warn({ source: this.deps.source.name, outages }, 'a dependency is down; backing off');
      await sleep(sourceBackoffMs(outages), undefined, { signal: this.stopping.signal }).catch(
        () => undefined,
      );
    }
  }

  /** Runs one job; never rejects. Null when its outcome could not be delivered. */
  private async run(job: ClaimedJob): Promise<Settled | null> {
    const ctl = new AbortController();
    // Claimed just as stop began: the pipeline hands it straight back.
    if (this.stopping.signal.aborted) ctl.abort(new WorkerStopping());
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
      return await runPipeline(
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
      return null;
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
        // Raced with the abandon signal, so a call that hangs cannot hold a stop past its bound.
        return await untilAborted(send(), this.abandon.signal);
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

/** `p`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
