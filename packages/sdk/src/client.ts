// The client: resolves options (arguments, then the environment variables of contract §1.3, then defaults)
// and hands one Transport to each resource.
import { Admin } from './admin.js';
import { UmbraError } from './errors.js';
import { Files } from './files.js';
import { Generations } from './generations.js';
import { Transport } from './transport.js';
import { WebhookEndpoints } from './webhooks.js';
import { Usage } from './usage.js';

/** The hosted API (contract §1.1). Point `baseURL` (or `LUMA_BASE_URL`) at an Umbra server to use it instead. */
export const DEFAULT_BASE_URL = 'https://agents.lumalabs.ai/v1';

/** Options of `new Umbra(…)`; every one is optional. */
export interface ClientOptions {
  /** Bearer key (`luma-api-…`). Default: `LUMA_AGENTS_API_KEY`; the constructor throws if neither is set. */
  apiKey?: string;
  /** API root including `/v1`. Default: `LUMA_BASE_URL`, else `https://agents.lumalabs.ai/v1`. */
  baseURL?: string;
  /** Timeout of each attempt in ms, response body included; default 60 000 (as the hosted SDK). */
  timeout?: number;
  /**
   * Retries after the first attempt on network errors, timeouts, 408, 409, 429 and 5xx; default 2.
   * The server's `x-should-retry`, `retry-after-ms` and `Retry-After` headers are honoured.
   */
  maxRetries?: number;
  /** A `fetch` implementation (for proxies, tests or instrumentation); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Headers sent with every API call; they win over `LUMA_CUSTOM_HEADERS` and the built-in headers. */
  defaultHeaders?: Record<string, string>;
}

const env = (name: string): string | undefined => {
  // `process` does not exist in browsers; the library must not assume it.
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return v === undefined || v === '' ? undefined : v;
};

/** `LUMA_CUSTOM_HEADERS`: newline-separated `Name: value` lines (contract §1.3). Malformed lines are skipped. */
export function parseCustomHeaders(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (name !== '') out[name] = line.slice(colon + 1).trim();
  }
  return out;
}

const nonNegative = (name: string, v: number): number => {
  if (!Number.isFinite(v) || v < 0) throw new UmbraError(`${name} must be a non-negative number, got ${v}`);
  return v;
};

/**
 * Client for the Generations API, hosted or Umbra:
 *
 *     const client = new Umbra(); // LUMA_AGENTS_API_KEY, LUMA_BASE_URL
 *     const g = await client.generations.createAndWait({ prompt: 'a lighthouse at dusk' });
 */
export class Umbra {
  /** The API root in use, without a trailing slash. */
  readonly baseURL: string;
  /** Create, fetch and wait for generations. */
  readonly generations: Generations;
  /** Upload inputs (Files API: create, get, list, complete, delete, upload, wait) and download outputs. */
  readonly files: Files;
  /** Umbra's webhooks: register receivers of signed generation events, read and retry their deliveries. */
  readonly webhookEndpoints: WebhookEndpoints;
  /** Your client's usage: generations, images, video seconds and money over a window (Umbra). */
  readonly usage: Usage;
  /** The admin API: list and change clients, read their usage (Umbra; keys of an admin client only). */
  readonly admin: Admin;

  constructor(options: ClientOptions = {}) {
    const apiKey = options.apiKey ?? env('LUMA_AGENTS_API_KEY');
    if (apiKey === undefined || apiKey === '') {
      throw new UmbraError('No API key: pass apiKey or set LUMA_AGENTS_API_KEY');
    }
    // Paths are appended to the base (contract §1.1), so a trailing slash would double up.
    this.baseURL = (options.baseURL ?? env('LUMA_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    const transport = new Transport({
      apiKey,
      baseURL: this.baseURL,
      timeout: nonNegative('timeout', options.timeout ?? 60_000),
      maxRetries: Math.floor(nonNegative('maxRetries', options.maxRetries ?? 2)),
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      headers: { ...parseCustomHeaders(env('LUMA_CUSTOM_HEADERS')), ...options.defaultHeaders },
    });
    this.generations = new Generations(transport);
    this.files = new Files(transport);
    this.webhookEndpoints = new WebhookEndpoints(transport);
    this.usage = new Usage(transport);
    this.admin = new Admin(transport);
  }
}
