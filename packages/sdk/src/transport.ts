// One HTTP exchange with retries, per-attempt timeouts and error mapping (contract §1.4–§1.6).
// Uses only `fetch`, `AbortController` and timers, so it runs unchanged in Node ≥ 20 and in browsers.
import type { APIError } from './errors.js';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  UmbraError,
  errorForStatus,
} from './errors.js';
import { retryDelay, shouldRetry } from './retry.js';
import { VERSION } from './version.js';

/** Per-call options; each overrides the client's setting for this call only. */
export interface RequestOptions {
  /** Cancels the call, including any retry wait; the call then throws `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (covers the whole response, body included). */
  timeout?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Extra headers for this call; they win over every default. */
  headers?: Record<string, string>;
}

export interface TransportConfig {
  apiKey: string;
  baseURL: string;
  timeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  /** Already merged: `LUMA_CUSTOM_HEADERS`, then the client's `defaultHeaders`. */
  headers: Record<string, string>;
}

/** What one attempt produced: a value, an HTTP error answer, or no answer at all. */
type Attempt<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'status'; error: APIError }
  | { kind: 'network'; error: APIConnectionError };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body as fetch takes it (string, Blob, FormData, ReadableStream…). */
export type RequestBody = NonNullable<RequestInit['body']>;

interface Exchange<T> {
  method: HttpMethod;
  url: string;
  /** Called once per attempt, so a retry sends a fresh body (a stream can only be read once). */
  body?: () => RequestBody;
  /** Set as Content-Type when given; FormData bodies leave it to fetch, which adds the boundary. */
  contentType?: string;
  /** API calls carry the key and telemetry headers; downloads of presigned URLs must not (S3 rejects them). */
  api: boolean;
  /** Reads a 2xx response; runs inside the attempt's timeout when `timeBody` is true. */
  read: (res: Response) => Promise<T>;
  timeBody: boolean;
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class Transport {
  constructor(readonly config: TransportConfig) {}

  /** A JSON API call: `path` is relative to the base URL. An empty answer (204) reads as `null`. */
  json<T>(method: HttpMethod, path: string, body: unknown, o: RequestOptions = {}): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return this.send<T>(
      {
        method,
        url: `${this.config.baseURL}${path}`,
        ...(text === undefined ? {} : { body: () => text, contentType: 'application/json' }),
        api: true,
        timeBody: true,
        read: async (res) => parseBody(await res.text()) as T,
      },
      o,
    );
  }

  /** Like `json`, with the answer's headers too (Umbra's extras travel in headers, never in bodies). */
  jsonWithHeaders<T>(
    method: HttpMethod,
    path: string,
    o: RequestOptions = {},
  ): Promise<{ value: T; headers: Headers }> {
    return this.send(
      {
        method,
        url: `${this.config.baseURL}${path}`,
        api: true,
        timeBody: true,
        read: async (res) => ({ value: parseBody(await res.text()) as T, headers: res.headers }),
      },
      o,
    );
  }

  /**
   * An API GET whose 2xx answer is handed over as soon as its headers arrive, body unread (an event
   * stream): retries and the timeout cover only getting there. The caller reads or cancels the body.
   */
  openStream(path: string, o: RequestOptions = {}): Promise<Response> {
    return this.send<Response>(
      {
        method: 'GET',
        url: `${this.config.baseURL}${path}`,
        api: true,
        timeBody: false,
        read: (r) => Promise.resolve(r),
      },
      o,
    );
  }

  /** A `multipart/form-data` API call with a JSON answer; `form` is built afresh for every attempt. */
  multipart<T>(path: string, form: () => FormData, o: RequestOptions = {}): Promise<T> {
    return this.send<T>(
      {
        method: 'POST',
        url: `${this.config.baseURL}${path}`,
        body: form,
        api: true,
        timeBody: true,
        read: async (res) => parseBody(await res.text()) as T,
      },
      o,
    );
  }

  /**
   * Sends raw bytes to an absolute presigned URL (`PUT` of a Files API upload) with exactly `headers`:
   * no API key or telemetry, which object stores would reject or fold into the signature check.
   */
  async upload(
    method: HttpMethod,
    url: string,
    body: () => RequestBody,
    headers: Record<string, string>,
    o: RequestOptions = {},
  ): Promise<void> {
    await this.send<null>(
      {
        method,
        url,
        body,
        api: false,
        timeBody: true,
        read: async (res) => {
          await res.arrayBuffer();
          return null;
        },
      },
      { ...o, headers: { ...headers, ...o.headers } },
    );
  }

  /**
   * A GET of an absolute URL without credentials (presigned output URLs). Resolves with the 2xx response
   * once its headers arrive; the timeout stops there, so long downloads are bounded only by `signal`.
   */
  download(url: string, o: RequestOptions = {}): Promise<Response> {
    return this.send<Response>(
      { method: 'GET', url, api: false, timeBody: false, read: (r) => Promise.resolve(r) },
      o,
    );
  }

  private headersFor(x: Exchange<unknown>, attempt: number, timeout: number, o: RequestOptions): Headers {
    const h = new Headers();
    if (x.api) {
      h.set('accept', 'application/json');
      h.set('authorization', `Bearer ${this.config.apiKey}`);
      if (x.contentType !== undefined) h.set('content-type', x.contentType);
      // The same telemetry the hosted TypeScript SDK sends (contract §1.5); servers accept and ignore it,
      // and the retry count lets a server tell a retried POST from a new one in its logs.
      h.set('x-stainless-lang', 'js');
      h.set('x-stainless-package-version', VERSION);
      h.set('x-stainless-retry-count', String(attempt));
      if (Number.isFinite(timeout)) h.set('x-stainless-timeout', String(Math.trunc(timeout / 1000)));
      // Browsers forbid or ignore User-Agent; only set it where it is ours to set.
      if (isNode()) h.set('user-agent', `Umbra/JS ${VERSION}`);
      for (const [k, v] of Object.entries(this.config.headers)) h.set(k, v);
    }
    for (const [k, v] of Object.entries(o.headers ?? {})) h.set(k, v);
    return h;
  }

  private async send<T>(x: Exchange<T>, o: RequestOptions): Promise<T> {
    const maxRetries = o.maxRetries ?? this.config.maxRetries;
    const timeout = o.timeout ?? this.config.timeout;
    for (let attempt = 0; ; attempt++) {
      if (o.signal?.aborted) throw new APIUserAbortError();
      const result = await this.attempt(x, attempt, timeout, o);
      if (result.kind === 'ok') return result.value;
      const retry =
        attempt < maxRetries &&
        (result.kind === 'network' || shouldRetry(result.error.status, result.error.headers));
      if (!retry) throw result.error;
      await sleep(retryDelay(attempt, result.kind === 'status' ? result.error.headers : null), o.signal);
    }
  }

  private async attempt<T>(
    x: Exchange<T>,
    attempt: number,
    timeout: number,
    o: RequestOptions,
  ): Promise<Attempt<T>> {
    const ctl = new AbortController();
    const onAbort = (): void => ctl.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    // An infinite timeout means none (large uploads are bounded by the caller's signal only); a timer
    // of Infinity would fire at once.
    const timer = Number.isFinite(timeout)
      ? setTimeout(() => {
          timedOut = true;
          ctl.abort();
        }, timeout)
      : undefined;
    try {
      const payload = x.body?.();
      const init: RequestInit & { duplex?: 'half' } = {
        method: x.method,
        headers: this.headersFor(x, attempt, timeout, o),
        signal: ctl.signal,
      };
      if (payload !== undefined) init.body = payload;
      // fetch insists on `duplex: 'half'` for a streamed request body (Node and browsers alike).
      if (payload instanceof ReadableStream) init.duplex = 'half';
      const res = await this.config.fetch(x.url, init);
      if (res.ok) {
        if (!x.timeBody) clearTimeout(timer);
        return { kind: 'ok', value: await x.read(res) };
      }
      const body = parseBody(await res.text());
      return { kind: 'status', error: errorForStatus(res.status, detailOf(body), res.headers, body) };
    } catch (err) {
      if (o.signal?.aborted) throw new APIUserAbortError();
      if (timedOut)
        return { kind: 'network', error: new APITimeoutError(`Request timed out after ${timeout} ms`) };
      if (err instanceof UmbraError) throw err;
      return {
        kind: 'network',
        error: new APIConnectionError(`Connection error: ${errorText(err)}`, { cause: err }),
      };
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `{"detail": "…"}` is the error shape of contract §4.1; anything else is shown as JSON. */
function detailOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'detail' in body && typeof body.detail === 'string') {
    return body.detail;
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Node's fetch reports "fetch failed" and puts the useful part (ECONNREFUSED …) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
