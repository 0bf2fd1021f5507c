// `client.generations`: the two endpoints of contract §2, plus what the hosted SDKs lack: waiting (on
// Umbra's live event stream when the server offers it, else by polling) and Umbra's list route.
import { APIError, EventStreamUnavailableError, GenerationFailedError } from './errors.js';
import type { EventStreamOptions } from './generation-events.js';
import { generationEvents } from './generation-events.js';
import { allPages, pollUntil, withDeadline } from './poll.js';
import type { GenerationStreamMessage } from './stream-types.js';
import type { RequestOptions, Transport } from './transport.js';
import type {
  Generation,
  GenerationCreateParams,
  GenerationList,
  GenerationListParams,
  GenerationState,
} from './types.js';

/** What `wait` knows besides the generation itself: Umbra's live progress (null where a server is silent). */
export interface WaitProgress {
  /** Fraction done, 0 to 1 (1 once completed); null when the server does not say (the hosted API). */
  progress: number | null;
  /** While queued: the place in its model's queue, 1 = next; otherwise (or when unknown) null. */
  queuePosition: number | null;
  /** `stream`: from the server's event stream; `poll`: from polling `get`. */
  via: 'stream' | 'poll';
}

/** Options of `wait` and `createAndWait`. */
export interface WaitOptions {
  /**
   * Called whenever something changed: the generation as it is now (state changes, then outputs) and its
   * progress. On the event stream that is every state change, progress step and queue move; when polling,
   * every poll.
   */
  onProgress?: (generation: Generation, progress: WaitProgress) => void;
  /**
   * Milliseconds between polls, when polling; default 2000 (the API docs recommend 2–5 s; GET is not
   * rate limited).
   */
  pollInterval?: number;
  /** Give up after this many ms with `APITimeoutError`; default no limit (a job's own limit is 1 hour). */
  timeout?: number;
  /** Stops waiting (and any request in flight) with `APIUserAbortError`. The job itself keeps running. */
  signal?: AbortSignal;
  /**
   * Follow the server's event stream (`generations.events`) when it offers one, and poll only otherwise
   * (the hosted API has none: one request tells). Default true; false always polls.
   */
  stream?: boolean;
}

const DEFAULT_POLL_MS = 2000;

/** A number header (Umbra's `Umbra-Progress`, `Umbra-Queue-Position`), or null when absent or odd. */
const headerNumber = (headers: Headers, name: string): number | null => {
  const raw = headers.get(name);
  const n = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) ? n : null;
};

/** A stream route answer that means "no stream here": the route is missing or not for GET. */
const noStreamHere = (err: unknown): boolean =>
  err instanceof EventStreamUnavailableError ||
  (err instanceof APIError && (err.status === 404 || err.status === 405 || err.status === 501));

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
   * Umbra's live events of a generation (`GET /generations/{id}/events`, server-sent events): every
   * state change and progress step, oldest first, ending after `generation.completed` or
   * `generation.failed`; `queue_position` messages while it waits in the queue. A dropped connection is
   * resumed from the last event received, so nothing is missed or repeated:
   *
   *     for await (const e of client.generations.events(id)) console.log(e.type);
   *
   * The hosted API has no such route (404).
   */
  events(id: string, options: EventStreamOptions = {}): AsyncGenerator<GenerationStreamMessage, void> {
    return generationEvents(this.transport, id, options);
  }

  /**
   * Waits until the job ends: on the server's event stream when it offers one (Umbra), else by polling.
   * Resolves with the `completed` generation (fresh output URLs); throws `GenerationFailedError` (with
   * `failureCode`) when it ends `failed`, `APITimeoutError` after `timeout`.
   */
  async wait(idOrGeneration: string | Generation, options: WaitOptions = {}): Promise<Generation> {
    const id = typeof idOrGeneration === 'string' ? idOrGeneration : idOrGeneration.id;
    let last: GenerationState = 'queued';
    const settle = (g: Generation, p: WaitProgress): Generation | undefined => {
      last = g.state;
      options.onProgress?.(g, p);
      if (g.state === 'failed') throw new GenerationFailedError(g);
      return g.state === 'completed' ? g : undefined;
    };
    const timedOut = (): string => `Generation ${id} was still ${last} after ${options.timeout} ms`;
    return withDeadline({ timeout: options.timeout, signal: options.signal, timedOut }, async (signal) => {
      if (options.stream !== false) {
        const done = await this.waitOnStream(id, signal, settle);
        if (done !== undefined) return done;
      }
      return pollUntil(
        async (s) => {
          const { value, headers } = await this.transport.jsonWithHeaders<Generation>(
            'GET',
            `/generations/${encodeURIComponent(id)}`,
            { signal: s },
          );
          return settle(value, {
            progress: headerNumber(headers, 'umbra-progress'),
            queuePosition: headerNumber(headers, 'umbra-queue-position'),
            via: 'poll',
          });
        },
        (done) => done,
        { pollInterval: options.pollInterval ?? DEFAULT_POLL_MS, signal, timedOut },
      );
    });
  }

  /**
   * `wait` on the event stream: the generation once it ended, or undefined when the server offers no
   * stream (or it ended without a last event, e.g. long-ended history): then `wait` polls.
   */
  private async waitOnStream(
    id: string,
    signal: AbortSignal,
    settle: (g: Generation, p: WaitProgress) => Generation | undefined,
  ): Promise<Generation | undefined> {
    let current: Generation | null = null;
    let progress = 0;
    let queuePosition: number | null = null;
    try {
      for await (const m of this.events(id, { signal })) {
        if (m.type === 'queue_position') {
          queuePosition = m.queue_position;
        } else {
          current = m.data;
          progress = m.progress;
          if (current.state !== 'queued') queuePosition = null;
        }
        if (current === null) continue;
        const done = settle(current, { progress, queuePosition, via: 'stream' });
        if (done !== undefined) return done;
      }
    } catch (err) {
      if (noStreamHere(err)) return undefined;
      throw err;
    }
    return undefined;
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
