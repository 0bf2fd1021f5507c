// A fetch-based client for the Generations API, hosted or Umbra. Zero runtime dependencies.
// Retries, timeouts and backoff follow the hosted SDKs (contract §1.4).
import type { APIError } from './errors.js';
import {
  APIConnectionError,
  APITimeoutError,
  GenerationFailedError,
  UmbraError,
  errorForStatus,
} from './errors.js';
import type { Generation, GenerationCreateParams } from './types.js';

/** The hosted API (contract §1.1). */
export const DEFAULT_BASE_URL = 'https://agents.lumalabs.ai/v1';

export interface ClientOptions {
  /** Bearer key; default `LUMA_AGENTS_API_KEY`. */
  apiKey?: string;
  /** Default `LUMA_BASE_URL`, else the hosted API. */
  baseURL?: string;
  /** Per-attempt timeout in ms; default 60 000. */
  timeout?: number;
  /** Retries after the first attempt; default 2. */
  maxRetries?: number;
  /** A fetch implementation; default the global one. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeout?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
}

export interface WaitOptions {
  /** Called with every polled state. */
  onProgress?: (g: Generation) => void;
  /** Poll every this many ms; default 2000 (the docs recommend 2–5 s). */
  pollInterval?: number;
  /** Give up after this many ms (throws APITimeoutError); default no limit. */
  timeout?: number;
  signal?: AbortSignal;
}

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

const shouldRetryStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** Delay before retry n (0-based) from the response's hints, else exponential backoff with jitter. */
export function retryDelay(n: number, headers: Headers | null, rand: number = Math.random()): number {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const ra = headers?.get('retry-after');
  if (ra != null) {
    const secs = Number(ra);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const date = Date.parse(ra);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return Math.min(500 * 2 ** n, 8000) * (1 - 0.25 * rand);
}

export class Umbra {
  readonly baseURL: string;
  readonly generations: Generations;
  private readonly apiKey: string;
  private readonly timeout: number;
  private readonly maxRetries: number;
  private readonly fetchImpl: typeof fetch;
  private readonly defaultHeaders: Record<string, string>;

  constructor(opts: ClientOptions = {}) {
    const apiKey = opts.apiKey ?? env('LUMA_AGENTS_API_KEY');
    if (apiKey === undefined || apiKey === '') {
      throw new UmbraError('No API key: pass apiKey or set LUMA_AGENTS_API_KEY');
    }
    this.apiKey = apiKey;
    this.baseURL = (opts.baseURL ?? env('LUMA_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeout = opts.timeout ?? 60_000;
    this.maxRetries = opts.maxRetries ?? 2;
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.defaultHeaders = opts.defaultHeaders ?? {};
    this.generations = new Generations(this);
  }

  /** One API call with the retry policy of contract §1.4. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    const maxRetries = o.maxRetries ?? this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const ctl = new AbortController();
      const onAbort = (): void => ctl.abort(o.signal?.reason);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(
        () => ctl.abort(new APITimeoutError('Request timed out')),
        o.timeout ?? this.timeout,
      );
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseURL}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${this.apiKey}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...this.defaultHeaders,
            ...o.headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: ctl.signal,
        });
      } catch (err) {
        if (o.signal?.aborted) throw o.signal.reason as Error;
        const wrapped =
          ctl.signal.reason instanceof APITimeoutError
            ? ctl.signal.reason
            : new APIConnectionError(`Connection error: ${String(err)}`);
        if (attempt >= maxRetries) throw wrapped;
        await sleep(retryDelay(attempt, null), o.signal);
        continue;
      } finally {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
      }
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        parsed = text;
      }
      if (res.ok) return parsed as T;
      const hint = res.headers.get('x-should-retry');
      const retry = hint === 'true' ? true : hint === 'false' ? false : shouldRetryStatus(res.status);
      if (retry && attempt < maxRetries) {
        await sleep(retryDelay(attempt, res.headers), o.signal);
        continue;
      }
      const detail =
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as { detail?: unknown }).detail === 'string'
          ? (parsed as { detail: string }).detail
          : JSON.stringify(parsed ?? null);
      throw errorForStatus(res.status, detail, res.headers, parsed) satisfies APIError;
    }
  }
}

export class Generations {
  constructor(private readonly client: Umbra) {}

  /** POST /generations: queues a job and returns it (state `queued`). */
  create(params: GenerationCreateParams, o?: RequestOptions): Promise<Generation> {
    return this.client.request<Generation>('POST', '/generations', params, o);
  }

  /** GET /generations/{id}: the job now, with fresh output URLs. */
  get(id: string, o?: RequestOptions): Promise<Generation> {
    return this.client.request<Generation>('GET', `/generations/${encodeURIComponent(id)}`, undefined, o);
  }

  /** Polls until the job is terminal: resolves when `completed`, throws GenerationFailedError when `failed`. */
  async wait(idOrGeneration: string | Generation, o: WaitOptions = {}): Promise<Generation> {
    const id = typeof idOrGeneration === 'string' ? idOrGeneration : idOrGeneration.id;
    const deadline = o.timeout === undefined ? Infinity : Date.now() + o.timeout;
    for (;;) {
      const g = await this.get(id, { signal: o.signal });
      o.onProgress?.(g);
      if (g.state === 'completed') return g;
      if (g.state === 'failed') throw new GenerationFailedError(g);
      const left = deadline - Date.now();
      if (left <= 0) throw new APITimeoutError(`generation ${id} still ${g.state} after ${o.timeout}ms`);
      await sleep(Math.min(o.pollInterval ?? 2000, left), o.signal);
    }
  }

  /** create + wait. */
  async createAndWait(params: GenerationCreateParams, o: WaitOptions = {}): Promise<Generation> {
    return this.wait(await this.create(params, { signal: o.signal }), o);
  }
}
