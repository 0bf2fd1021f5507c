// The engine port (docs/architecture.md "Engines"). An engine sees resolved local inputs and the validated request,
// writes files into its scratch dir, and returns them; the worker persists them. Engines never touch the
// store, the queue, blobs or HTTP.
import { FAILURES } from '../contract/failures.js';
import type { FailureCode, GenerationRequest } from '../contract/wire.js';

/** An input already fetched, sniffed and checked, as a local file. */
export interface ResolvedMedia {
  /** `source`, `image_ref[0]`, `video.start_frame`, … (see StoredInput.slot). */
  slot: string;
  path: string;
  kind: 'image' | 'video';
  /** Container/codec format as sniffed: `png`, `jpeg`, `webp`, `gif`, `mp4`, … */
  format: string;
  /** Pixel size as decoded; for a video, after its rotation (a portrait phone clip is taller than wide). */
  width: number;
  height: number;
  /** Video only, from the probe: length in seconds. */
  durationSeconds?: number;
  /** Video only: frames per second of the source (it is re-timed to 24 fps when rendered). */
  fps?: number;
  /** Video only: clockwise degrees (0, 90, 180, 270) the container asks players to turn the picture. */
  rotation?: number;
  /** Video only: codec of the video stream (`h264`, `vp9`, …). */
  codec?: string;
  /** Video only: width ÷ height as displayed (rotation and non-square pixels applied). */
  displayAspect?: number;
  /** When the input chained off a prior generation: its id. */
  generationId?: string | null;
  /** When that generation was relayed: its id on the upstream, so a relay can chain by id. */
  upstreamId?: string | null;
}

export interface EngineInputs {
  source: ResolvedMedia | null;
  imageRefs: ResolvedMedia[];
  startFrame: ResolvedMedia | null;
  endFrame: ResolvedMedia | null;
  keyframes: ResolvedMedia[];
  editKeyframes: ResolvedMedia[];
}

/** No inputs: the starting point that input resolution fills in. */
export const emptyEngineInputs = (): EngineInputs => ({
  source: null,
  imageRefs: [],
  startFrame: null,
  endFrame: null,
  keyframes: [],
  editKeyframes: [],
});

export interface RenderJob {
  generationId: string;
  request: GenerationRequest;
  inputs: EngineInputs;
  /** Empty directory owned by this job; removed by the worker afterwards. */
  scratchDir: string;
  signal: AbortSignal;
  /** Fraction done, 0..1. */
  onProgress: (fraction: number) => void;
  /** A relaying engine names the upstream generation it created; the pipeline keeps it with the job. */
  onUpstreamId?: (id: string) => void;
}

export interface RenderedFile {
  type: 'image' | 'video' | 'exr';
  path: string;
  contentType: string;
}

export interface Engine {
  readonly name: string;
  /**
   * true: inputs are only fetched and sniffed, not decoded (width and height are 0) — for an engine that
   * hands them to a server that checks them itself. Default false: every input is verified first.
   */
  readonly rawInputs?: boolean;
  /** Throws EngineFailure for classified failures; anything else is treated as retryable. */
  render(job: RenderJob): Promise<RenderedFile[]>;
  close?(): Promise<void>;
}

/**
 * A classified failure: the job ends `failed` with this code unless `retryable` and attempts remain.
 * `retryable` defaults to the failure catalogue's flag for the code. The one failure class on both sides
 * of a worker-thread boundary (see failure-wire.ts).
 */
export class EngineFailure extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: FailureCode,
    message: string,
    retryable?: boolean,
  ) {
    super(message);
    this.name = 'EngineFailure';
    this.retryable = retryable ?? FAILURES[code].retryable;
  }
}
