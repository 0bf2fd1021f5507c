// The pipeline (DESIGN.md): resolve inputs → render → store outputs → outcome, for one claimed job, over
// any job source. The lease loop (job-worker.ts) decides when it runs; the pipeline decides what happens.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAILURES } from '../contract/failures.js';
import type { Engine } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import { resolveInputs } from '../inputs/resolve-inputs.js';
import type { Logger } from '../log.js';
import type { Moderator } from '../policy/moderation.js';
import type { ClaimedJob, JobFacts, JobFailure, JobSource, Settled } from './job-source.js';
import { moderateInputs, moderateOutputs } from './moderate.js';

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
 * could not be delivered (the source is down) until it lands; the lease and the attempt fence it.
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
  try {
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
    const files = await engine.render({
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
    signal.throwIfAborted();
    await moderateOutputs(d.moderator, files, signal);
    const settled = await report('complete', () => d.source.complete(job, files, facts));
    const ms = d.now() - started;
    if (settled === 'completed') d.log.info({ ...line, ms }, 'completed');
    else d.log.warn({ ...line, ms }, 'lease lost before completion; attempt discarded');
    return settled;
  } catch (err) {
    const failure = { ...classify(err), upstreamId: facts.upstreamId };
    const settled = await report('fail', () => d.source.fail(job, failure));
    const failed = { ...line, ms: d.now() - started, code: failure.code, cause: failure.cause };
    if (settled === 'retrying') d.log.warn(failed, 'retrying');
    else if (settled === 'failed') d.log.warn({ ...failed, reason: failure.reason }, 'failed');
    else d.log.warn(failed, 'lease lost before the failure was recorded; attempt discarded');
    return settled;
  }
}
