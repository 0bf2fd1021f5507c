// `client.generations`: the two endpoints of contract §2, plus polling helpers the hosted SDKs lack.
import { GenerationFailedError } from './errors.js';
import { pollUntil } from './poll.js';
import type { RequestOptions, Transport } from './transport.js';
import type { Generation, GenerationCreateParams, GenerationState } from './types.js';

/** Options of `wait` and `createAndWait`. */
export interface WaitOptions {
  /** Called after every poll with the generation as it is now (state changes, then outputs). */
  onProgress?: (generation: Generation) => void;
  /** Milliseconds between polls; default 2000 (the API docs recommend 2–5 s; GET is not rate limited). */
  pollInterval?: number;
  /** Give up after this many ms with `APITimeoutError`; default no limit (a job's own limit is 1 hour). */
  timeout?: number;
  /** Stops waiting (and any request in flight) with `APIUserAbortError`. The job itself keeps running. */
  signal?: AbortSignal;
}

const DEFAULT_POLL_MS = 2000;

export class Generations {
  constructor(private readonly transport: Transport) {}

  /**
   * `POST /generations`: queues a job and returns it at once (state `queued`); it never waits for the
   * result. Note: a POST retried after a timeout or 5xx may create a second job (the API has no
   * idempotency key); pass `{ maxRetries: 0 }` to rule that out.
   */
  create(params: GenerationCreateParams, options?: RequestOptions): Promise<Generation> {
    return this.transport.json<Generation>('POST', '/generations', params, options);
  }

  /** `GET /generations/{id}`: the job as it is now; completed jobs come with freshly signed output URLs. */
  get(id: string, options?: RequestOptions): Promise<Generation> {
    return this.transport.json<Generation>(
      'GET',
      `/generations/${encodeURIComponent(id)}`,
      undefined,
      options,
    );
  }

  /**
   * Polls until the job ends. Resolves with the `completed` generation (fresh output URLs); throws
   * `GenerationFailedError` (with `failureCode`) when it ends `failed`, `APITimeoutError` after `timeout`.
   */
  async wait(idOrGeneration: string | Generation, options: WaitOptions = {}): Promise<Generation> {
    const id = typeof idOrGeneration === 'string' ? idOrGeneration : idOrGeneration.id;
    let last: GenerationState = 'queued';
    return pollUntil(
      (signal) => this.get(id, { signal }),
      (g) => {
        last = g.state;
        options.onProgress?.(g);
        if (g.state === 'failed') throw new GenerationFailedError(g);
        return g.state === 'completed' ? g : undefined;
      },
      {
        pollInterval: options.pollInterval ?? DEFAULT_POLL_MS,
        timeout: options.timeout,
        signal: options.signal,
        timedOut: () => `Generation ${id} was still ${last} after ${options.timeout} ms`,
      },
    );
  }

  /** `create` then `wait`: resolves with the completed generation. */
  async createAndWait(
    params: GenerationCreateParams,
    options: WaitOptions & Pick<RequestOptions, 'maxRetries' | 'headers'> = {},
  ): Promise<Generation> {
    const { signal, maxRetries, headers } = options;
    const created = await this.create(params, {
      ...(signal === undefined ? {} : { signal }),
      ...(maxRetries === undefined ? {} : { maxRetries }),
      ...(headers === undefined ? {} : { headers }),
    });
    return this.wait(created, options);
  }
}
