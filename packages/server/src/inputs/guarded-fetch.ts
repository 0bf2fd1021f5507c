// The ONE client that fetches user-supplied URLs (docs/architecture.md "Security and failure", contract
// §2.4): https only, every hop's DNS answer checked and then pinned for the connection (no second lookup an
// attacker's DNS could answer differently), redirects followed by hand and re-checked, and size/time caps
// that hold while the body streams to disk.
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  bareHost,
  pinnedLookup,
  systemResolver,
  vetTarget,
  type ResolvedAddress,
  type Resolver,
} from './address-policy.js';
import { IngestError, sizeLimitReason, type MediaKind } from './ingest-error.js';

// Callers that only fetch get the error type from here too.
export { IngestError } from './ingest-error.js';

/** Contract §2.4: a URL must answer within ≈18 s. */
export const DEFAULT_FETCH_TIMEOUT_MS = 18_000;
/** Redirect hops followed before giving up. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** Options of `fetchToFile`. */
export interface FetchOptions {
  /** The kind the input position needs; selects the content-type rule and the size-limit message. */
  expect: MediaKind;
  /** Byte cap (images: IMAGE_MAX_BYTES = 52 428 800; video: VIDEO_MAX_BYTES = 104 857 600). */
  maxBytes: number;
  /** Deadline for the whole transfer, all redirects and the body included. Default 18 000 ms. */
  timeoutMs?: number;
  /**
   * TEST-ONLY. Admits loopback addresses, and `http://` when every address of the host is loopback, so
   * tests can serve fixtures from 127.0.0.1. Never enable in production. Default false.
   */
  allowLoopbackHttp?: boolean;
  /** DNS resolver; default: the system resolver. Tests inject answers here. */
  lookup?: Resolver;
  /** Redirect hops to follow. Default 5. */
  maxRedirects?: number;
  /** Extra trusted CA certificates (PEM), e.g. a test's self-signed loopback https server. */
  ca?: string | Buffer;
  /** Cancels the fetch (e.g. the client hung up); the signal's reason is thrown as is. */
  signal?: AbortSignal;
}

/** What was stored at `destPath`. */
export interface FetchResult {
  size: number;
  /** The response's media type, lower-cased, without parameters (`image/png`). */
  contentType: string;
}

const FAILED = 'failed to fetch URL';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Object stores (S3, GCS) label uploaded videos this way by default; the worker sniffs the container anyway.
const GENERIC_VIDEO_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);

const fail = (cause: string, logDetail?: string): IngestError =>
  new IngestError(422, FAILED, cause, logDetail);

function contentTypeAllowed(mediaType: string, expect: MediaKind): boolean {
  if (expect === 'image') return /^image\/[a-z0-9.+-]+$/.test(mediaType);
  return /^video\/[a-z0-9.+-]+$/.test(mediaType) || GENERIC_VIDEO_TYPES.has(mediaType);
}

interface HopContext {
  opts: FetchOptions;
  allowLoopback: boolean;
  resolver: Resolver;
  signal: AbortSignal;
}

/** Checks one hop's scheme and DNS answer, and returns the single address the connection will use. */
async function vetHop(url: URL, ctx: HopContext): Promise<ResolvedAddress> {
  const verdict = await vetTarget(url, {
    allowLoopback: ctx.allowLoopback,
    resolver: ctx.resolver,
    signal: ctx.signal,
  });
  if (!verdict.ok) throw fail(verdict.cause, verdict.detail);
  return verdict.address;
}

/** Sends the GET for one hop, connecting to `pinned` whatever the hostname would resolve to now. */
function request(url: URL, pinned: ResolvedAddress, ctx: HopContext): Promise<http.IncomingMessage> {
  const options: https.RequestOptions = {
    method: 'GET',
    hostname: bareHost(url.hostname),
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers: {
      accept: ctx.opts.expect === 'image' ? 'image/*' : 'video/*',
      // The byte cap must apply to what we store, so ask for the body unencoded.
      'accept-encoding': 'identity',
      'user-agent': 'umbra-ingest/1',
    },
    lookup: pinnedLookup(pinned),
    // No pooled sockets: a kept-alive socket to an earlier answer for the same host would skip this hop's pin.
    agent: false,
    signal: ctx.signal,
    ...(ctx.opts.ca === undefined ? {} : { ca: ctx.opts.ca }),
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(options, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Streams a vetted 2xx body to `destPath`, enforcing the cap on the header and on the bytes. */
async function store(res: http.IncomingMessage, destPath: string, ctx: HopContext, onOpen: () => void) {
  const { expect, maxBytes } = ctx.opts;
  const tooLarge = (detail: string) =>
    new IngestError(413, sizeLimitReason(expect, maxBytes), 'too_large', detail);
  const declared = res.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    throw tooLarge(`content-length ${declared}`);
  }
  let received = 0;
  // Counting as bytes arrive, not trusting Content-Length: chunked bodies declare nothing, liars lie.
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) callback(tooLarge(`streamed over ${maxBytes} B`));
      else callback(null, chunk);
    },
  });
  const file = createWriteStream(destPath);
  onOpen();
  let fileError: Error | undefined;
  // Only a failed system call is the disk's fault; pipeline also destroys the file with its own errors.
  file.on('error', (e: NodeJS.ErrnoException) => {
    if (e.syscall !== undefined) fileError = e;
  });
  try {
    await pipeline(res, counter, file, { signal: ctx.signal });
  } catch (e) {
    // Our own disk failing is not the URL's fault: report the ingest subsystem as unavailable (§4.2 502).
    if (fileError) throw new IngestError(502, 'fetch proxy unavailable', 'local_io', fileError.message);
    throw e;
  }
  return received;
}

/**
 * Fetches `url` into `destPath` under the rules of contract §2.4 and returns the stored size and media type.
 *
 * Throws IngestError:
 * - 422 `failed to fetch URL` — bad or blocked scheme, DNS failure, a non-public address on any hop
 *   (never saying which, so the network layout stays private), an https→http redirect, too many
 *   redirects, a network error, a non-identity Content-Encoding, or the deadline passing;
 * - 422 `failed to fetch URL (HTTP <status>)` — the final answer is not 2xx;
 * - 422 `content-type is not an image` / `content-type is not a video`;
 * - 413 `image exceeds 50 MB limit` / `video exceeds 100 MB limit` (by Content-Length or while streaming);
 * - 502 `fetch proxy unavailable` — writing `destPath` failed.
 * A partial file is deleted on every failure.
 */
export async function fetchToFile(url: string, destPath: string, opts: FetchOptions): Promise<FetchResult> {
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort(new Error('deadline'));
  }, opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  const onCallerAbort = () => deadline.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const ctx: HopContext = {
    opts,
    allowLoopback: opts.allowLoopbackHttp === true,
    resolver: opts.lookup ?? systemResolver,
    signal: deadline.signal,
  };
  let created = false;
  try {
    if (opts.signal?.aborted) throw opts.signal.reason;
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      throw fail('invalid_url');
    }
    const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    for (let hop = 0; ; hop++) {
      const res = await request(current, await vetHop(current, ctx), ctx);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location !== undefined) {
        res.destroy();
        if (hop >= maxRedirects) throw fail('too_many_redirects', `${maxRedirects} hops`);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw fail('invalid_redirect', location);
        }
        if (current.protocol === 'https:' && next.protocol === 'http:') {
          throw fail('https_to_http_redirect', `${current.host} -> ${next.host}`);
        }
        current = next;
        continue;
      }
      if (status < 200 || status > 299) {
        res.destroy();
        throw new IngestError(422, `${FAILED} (HTTP ${status})`, 'http_status', current.host);
      }
      const mediaType = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!contentTypeAllowed(mediaType, opts.expect)) {
        res.destroy();
        const reason =
          opts.expect === 'image' ? 'content-type is not an image' : 'content-type is not a video';
        throw new IngestError(422, reason, 'content_type', mediaType || '(none)');
      }
      const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (encoding !== 'identity') {
        res.destroy();
        throw fail('content_encoding', encoding);
      }
      const size = await store(res, destPath, ctx, () => (created = true));
      return { size, contentType: mediaType };
    }
  } catch (e) {
    if (created) await unlink(destPath).catch(() => undefined);
    if (e instanceof IngestError) throw e;
    if (timedOut) throw fail('timeout', `${opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS} ms`);
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw fail('network_error', (e as NodeJS.ErrnoException).code ?? String(e));
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}
