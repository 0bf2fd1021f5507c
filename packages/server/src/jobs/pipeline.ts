// The pipeline (docs/architecture.md "Roles and data flow"): resolve inputs → render → store outputs →
// outcome, for one claimed job, over any job source. The lease loop (job-worker.ts) decides when it runs; the
// pipeline decides what happens.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAILURES } from '../contract/failures.js';
import type { Engine, RenderedFile } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import { resolveInputs } from '../inputs/resolve-inputs.js';
import type { Logger } from '../log.js';
import type { Moderator } from '../policy/moderation.js';
import { DependencyUnavailable } from '../unavailable.js';
import type { ClaimedJob, JobFacts, JobFailure, JobSource, Settled } from './job-source.js';
import { moderateInputs, moderateOutputs } from './moderate.js';

/**
 * Why a render was aborted when its worker stops and the grace ran out (or the job was claimed just as the
 * stop began): the job is handed back to the queue, not failed.
 */
export class WorkerStopping extends Error {
  constructor() {
    super('worker stopping');
    this.name = 'WorkerStopping';
  }
}

/** How long a job handed back because a part was down waits before it may be claimed again. */
export const UNAVAILABLE_RELEASE_DELAY_MS = 3000;

/** The DependencyUnavailable that `err` is or was caused by (a few causes deep), or null. */
export function unavailableIn(err: unknown): DependencyUnavailable | null {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof DependencyUnavailable) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return null;
}

/** Aborted because the worker is stopping (and not, say, because the lease was lost). */
const stoppingIn = (signal: AbortSignal): boolean =>
  signal.aborted && signal.reason instanceof WorkerStopping;

export interface PipelineDeps {
  source: JobSource;
  /** The engine the registry maps this job's model/type to; null = this worker does not render it. */
  engineFor: (job: ClaimedJob) => Engine | null;
  log: Logger;
  now: () => number;
  /** Checks input and output images (UMBRA_MODERATION); absent = no moderation. */
  moderator?: Moderator;
}

export interface PipelineOptions {
  /** Emulator: time each job spends before rendering. */
  emulateLatencyMs: number;
  /** ffmpeg/ffprobe for probing video inputs (UMBRA_FFMPEG / UMBRA_FFPROBE); null = PATH, else npm. */
  ffmpegPath: string | null;
  ffprobePath: string | null;
}

/** Anything not classified is retryable and shows the client only the documented generic reason. */
export function classify(err: unknown): JobFailure {
  if (err instanceof EngineFailure) return { code: err.code, reason: err.message, retryable: err.retryable };
  return {
    code: 'generation_failed',
    reason: FAILURES.generation_failed.reason,
    retryable: true,
    cause: err instanceof Error ? err.message : String(err),
  };
}

/**
 * Renders one job in `scratch` and reports its outcome to the source. `report` retries a report that
 * could not be delivered (the source is down) until it lands; the lease and the attempt fence it. A job
 * that could not run because a part was down (DependencyUnavailable), or whose render was aborted because
 * the worker is stopping (WorkerStopping), is handed back (`released`) rather than failed.
 */
export async function runPipeline(
  d: PipelineDeps,
  o: PipelineOptions,
  job: ClaimedJob,
  scratch: string,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  report: (what: string, send: () => Promise<Settled>) => Promise<Settled>,
): Promise<Settled> {
  const started = d.now();
  const facts: JobFacts = { upstreamId: null, sourceSeconds: null };
  const engine = d.engineFor(job);
  // One line per transition of the job, each naming it (`gen`) and its attempt.
  const line = { gen: job.id, attempt: job.attempt };
  d.log.info(
    { ...line, model: job.model, type: job.type, engine: engine?.name ?? 'none', source: d.source.name },
    'processing',
  );
  let files: RenderedFile[];
  try {
    // A job claimed just as its worker began to stop goes straight back.
    signal.throwIfAborted();
    if (o.emulateLatencyMs > 0) await sleep(o.emulateLatencyMs, undefined, { signal });
    if (job.emulateFailure !== null) {
      throw new EngineFailure(job.emulateFailure, FAILURES[job.emulateFailure].reason, false);
    }
    if (engine === null) throw new Error(`no engine for ${job.model}/${job.type} in this worker`);
    const inputs = await resolveInputs(job.inputs, join(scratch, 'in'), {
      fetch: (input, path) => d.source.fetchInput(job, input, path, signal),
      verify: engine.rawInputs !== true,
      ffmpeg: o.ffmpegPath,
      ffprobe: o.ffprobePath,
      type: job.type,
      signal,
    });
    if (inputs.source?.kind === 'video') facts.sourceSeconds = inputs.source.durationSeconds ?? null;
    await moderateInputs(d.moderator, inputs, signal);
    files = await engine.render({
      generationId: job.id,
      request: job.request,
      inputs,
      scratchDir: scratch,
      signal,
      onProgress,
      onUpstreamId: (id) => {
        facts.upstreamId = id;
        d.log.info({ ...line, upstreamId: id }, 'relayed upstream');
      },
    });
    // A render that finished is delivered even if the grace ran out just after; a lost lease is not.
    if (!stoppingIn(signal)) signal.throwIfAborted();
    await moderateOutputs(d.moderator, files, stoppingIn(signal) ? new AbortController().signal : signal);
  } catch (err) {
    const down = unavailableIn(err);
    if (down !== null || stoppingIn(signal)) {
      // Not the job's fault: it goes back to the queue without spending an attempt.
      const delayMs = down === null ? 0 : UNAVAILABLE_RELEASE_DELAY_MS;
      const settled = await report('release', () =>
        d.source.release(job, delayMs).then((held): Settled => (held ? 'released' : 'lost')),
      );
      const back = { ...line, ms: d.now() - started, delayMs };
      if (settled !== 'released') d.log.warn(back, 'lease lost before the job was handed back');
      else if (down !== null) d.log.warn({ ...back, part: down.part, cause: down.message }, 'handed back');
      else d.log.warn(back, 'handed back: worker stopping');
      return settled;
    }
    const failure = { ...classify(err), upstreamId: facts.upstreamId };
    const settled = await report('fail', () => d.source.fail(job, failure));
    const failed = { ...line, ms: d.now() - started, code: failure.code, cause: failure.cause };
    if (settled === 'retrying') d.log.warn(failed, 'retrying');
    else if (settled === 'failed') d.log.warn({ ...failed, reason: failure.reason }, 'failed');
    else d.log.warn(failed, 'lease lost before the failure was recorded; attempt discarded');
    return settled;
  }
  // Outside the try: a completion is retried by `report` until it lands (a DependencyUnavailable too), and
  // one abandoned at stop is left to the lease rather than reported as a failure.
  const settled = await report('complete', () => d.source.complete(job, files, facts));
  const ms = d.now() - started;
  if (settled === 'completed') d.log.info({ ...line, ms }, 'completed');
  else d.log.warn({ ...line, ms }, 'lease lost before completion; attempt discarded');
  return settled;
}
