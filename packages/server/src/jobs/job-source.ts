// The job-source port (docs/architecture.md "Roles and data flow"): where a worker's lease loop gets jobs and
// reports their outcome. Two adapters: the store (in-process workers, straight to the database and blob
// store) and HTTP (remote workers, over the worker routes). The pipeline is the same over both.
import type { FailureCode, GenerationRequest, GenerationType, Model } from '../contract/wire.js';
import type { RenderedFile } from '../engines/engine.js';

/** One input of a claimed job, named by its request slot; its bytes are fetched through the source. */
export interface JobInput {
  /** `source`, `image_ref[0]`, `video.start_frame`, `video.keyframes[3]`, `video.edit.keyframes[1]`. */
  slot: string;
  /** Declared or sniffed MIME type at admission. */
  mediaType: string;
  /** When the input chained off a prior generation: its id. */
  generationId: string | null;
  /** When that prior generation was relayed: its id on the upstream (so a relay can chain by id). */
  upstreamId: string | null;
}

/** A job under this worker's lease. */
export interface ClaimedJob {
  id: string;
  /** Claims so far, this one included; fences every later call of this attempt. */
  attempt: number;
  type: GenerationType;
  model: Model;
  /** The validated request (base64 bytes already moved into `inputs`). */
  request: GenerationRequest;
  inputs: JobInput[];
  /** Lease length: heartbeats must come well within it. */
  leaseMs: number;
  /** How often to heartbeat: carries the progress, and a lost lease (or a cancel) stops the render. */
  heartbeatMs: number;
  /** Emulator only: the failure this job must end with. */
  emulateFailure: FailureCode | null;
}

/** A failure as the pipeline classified it; the source applies the retry policy. */
export interface JobFailure {
  code: FailureCode;
  reason: string;
  retryable: boolean;
  /** What happened, for the log (never shown to the API client). */
  cause?: string;
  /** The relay engine: the upstream generation this attempt created, kept with a failed job. */
  upstreamId?: string | null;
}

/**
 * What became of a reported outcome. `lost`: the lease was gone; nothing of this attempt was kept.
 * `released`: the job went back to the queue without spending its attempt.
 */
export type Settled = 'completed' | 'failed' | 'retrying' | 'released' | 'lost';

export interface JobSource {
  /** `store` or `http`, for logs. */
  readonly name: string;
  /**
   * Takes one job this worker may render, or null when none came within the source's wait (the store
   * waits one poll interval or until woken; HTTP long-polls the server). Throws when the source is down.
   */
  claim(signal: AbortSignal): Promise<ClaimedJob | null>;
  /** Extends the lease and records progress (0..1); false when the lease is gone (stop rendering). */
  heartbeat(job: ClaimedJob, progress: number): Promise<boolean>;
  /** Copies one input's bytes to a local file. */
  fetchInput(job: ClaimedJob, input: JobInput, destPath: string, signal: AbortSignal): Promise<void>;
  /** Stores the rendered files as the job's outputs and completes it (fenced by the lease). */
  complete(job: ClaimedJob, files: RenderedFile[], facts: JobFacts): Promise<Settled>;
  /** Fails the job, or puts it back in the queue when the failure is retryable and attempts remain. */
  fail(job: ClaimedJob, failure: JobFailure): Promise<Settled>;
  /**
   * Hands the job back to the queue at once, claimable after `delayMs`, without spending its attempt: the
   * worker is stopping, or a part it depends on is down. False when the lease was gone already.
   */
  release(job: ClaimedJob, delayMs: number): Promise<boolean>;
  /** Wakes a waiting claim at once (e.g. right after a local POST). */
  wake(): void;
}

/** What a worker learned while running the job that is kept with it. */
export interface JobFacts {
  /** The relay engine: the upstream generation's id. */
  upstreamId: string | null;
  /**
   * The source video's length in seconds, as probed (edits and reframes): they are charged by it (issue 12,
   * "Real charges"). null when there is no source video or its length could not be measured.
   */
  sourceSeconds: number | null;
}
