// `client.generations`: the two endpoints of contract §2, plus what the hosted SDKs lack: polling helpers
// and Umbra's list route.
import { GenerationFailedError } from './errors.js';
import { allPages, pollUntil } from './poll.js';
import type { RequestOptions, Transport } from './transport.js';
import type {
  Generation,
  GenerationCreateParams,
  GenerationList,
  GenerationListParams,
  GenerationState,
} from './types.js';

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

/** Options of `create`. */
export interface CreateOptions extends RequestOptions {
  /**
   * Sent as the `Idempotency-Key` header (1–255 printable ASCII characters) on the first attempt and on
   * every automatic retry, so a retried POST can never create a second job: the server answers a repeat
   * with the first job (header `Idempotent-Replayed: true`) for 24 hours. `'auto'` makes a fresh random
   * key for this call. Default: none, and a retry after a timeout or 5xx may then create a second job.
   * Needs a server that supports the header (Umbra); other servers ignore it.
   */
  idempotencyKey?: string;
}

/** The key to send: the caller's, a random one for `'auto'`, or none. */
const keyFor = (k: CreateOptions['idempotencyKey']): string | undefined =>
  k === 'auto' ? globalThis.crypto.randomUUID() : k;

export class Generations {
  constructor(private readonly transport: Transport) {}

  /**
   * `POST /generations`: queues a job and returns it at once (state `queued`); it never waits for the
   * result. Note: without `idempotencyKey`, a POST retried after a timeout or 5xx may create a second
   * job; pass `{ idempotencyKey: 'auto' }` (or your own key, to survive a restart of your process too)
   * to make retries safe, or `{ maxRetries: 0 }` to rule retries out.
   */
  create(params: GenerationCreateParams, options: CreateOptions = {}): Promise<Generation> {
    const { idempotencyKey, ...rest } = options;
    // One key per call, fixed before the first attempt: every retry of the transport carries it.
    const key = keyFor(idempotencyKey);
    const o: RequestOptions =
      key === undefined ? rest : { ...rest, headers: { 'idempotency-key': key, ...rest.headers } };
    return this.transport.json<Generation>('POST', '/generations', params, o);
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
   * `POST /generations/{id}/cancel` (Umbra; the hosted API cannot cancel): stops a queued or processing
   * generation wherever it runs and refunds what it reserved. Answers the generation as it is now: state
   * `failed`, `failure_code` `generation_failed`, `failure_reason` `Canceled by the client`. An
   * already-finished generation throws `ConflictError` (409); another client's throws `NotFoundError`.
   */
  cancel(id: string, options?: RequestOptions): Promise<Generation> {
    return this.transport.json<Generation>(
      'POST',
      `/generations/${encodeURIComponent(id)}/cancel`,
      undefined,
      options,
    );
  }

  /**
   * `GET /generations` (Umbra; the hosted API has no list): one page of your client's generations,
   * newest first, optionally filtered by `state`, `type` and `model`. Pass `next_cursor` back as `cursor`
   * for the next page; generations created meanwhile never make a page repeat or skip one.
   */
  list(params: GenerationListParams = {}, options?: RequestOptions): Promise<GenerationList> {
    const q = new URLSearchParams();
    for (const k of ['cursor', 'limit', 'state', 'type', 'model'] as const) {
      const v = params[k];
      if (v !== undefined && v !== null) q.set(k, String(v));
    }
    const qs = q.toString();
    return this.transport.json<GenerationList>(
      'GET',
      qs === '' ? '/generations' : `/generations?${qs}`,
      undefined,
      options,
    );
  }

  /**
   * Every generation that matches, page after page (following `next_cursor`), newest first:
   *
   *     for await (const g of client.generations.listAll({ state: 'failed' })) console.log(g.id);
   */
  async *listAll(
    params: GenerationListParams = {},
    options?: RequestOptions,
  ): AsyncGenerator<Generation, void> {
    yield* allPages((cursor) => this.list({ ...params, cursor }, options), params.cursor);
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
    options: WaitOptions & Pick<CreateOptions, 'maxRetries' | 'headers' | 'idempotencyKey'> = {},
  ): Promise<Generation> {
    const { signal, maxRetries, headers, idempotencyKey } = options;
    const created = await this.create(params, {
      ...(signal === undefined ? {} : { signal }),
      ...(maxRetries === undefined ? {} : { maxRetries }),
      ...(headers === undefined ? {} : { headers }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    return this.wait(created, options);
  }
}
