// The guarded POST: how webhook deliveries reach their receivers
// (docs/architecture.md "Security and failure": webhook receivers are fetched by the same guarded client as
// input URLs). The target is vetted by the address policy on every call (https only, every DNS answer public,
// the checked address pinned for the connection), redirects are not followed, and one deadline covers DNS,
// connecting, sending and the answer. Only events/ imports this (the one owner of webhook delivery;
// eslint.config.js enforces it).
import http from 'node:http';
import https from 'node:https';
import { bareHost, pinnedLookup, systemResolver, vetTarget, type Resolver } from './address-policy.js';

/** Options of {@link postGuarded}. */
export interface GuardedPostOptions {
  /** Deadline of the whole exchange, DNS to the end of the answer. */
  timeoutMs: number;
  /** TEST ONLY: admit loopback addresses, and `http://` when every address of the host is loopback. */
  allowLoopbackHttp?: boolean;
  /** DNS resolver; default the system resolver. Tests inject answers here. */
  lookup?: Resolver;
  /** Extra trusted CA certificates (PEM), e.g. a test's self-signed loopback https server. */
  ca?: string | Buffer;
  /** Cancels the request (the sender is stopping); the result's error is then `aborted`. */
  signal?: AbortSignal;
}

/** How a POST went. Never thrown: every outcome is a value. */
export interface GuardedPostResult {
  /** The receiver's HTTP status; null when there was no answer. */
  status: number | null;
  /**
   * Why there was no answer, safe to show the URL's owner: `invalid url`, `scheme not allowed`,
   * `dns lookup failed`, `address not allowed`, `timeout`, `connection failed (<code>)` or `aborted`.
   */
  error: string | null;
  /** For logs only (addresses, system codes): never shown to a client. */
  detail: string | null;
  /** From the call to the answer's end (or the failure). */
  durationMs: number;
}

/** The answer's body is read (and thrown away) up to this size, so the receiver sees a clean close. */
const ANSWER_READ_CAP = 64 * 1024;

const REFUSALS = {
  blocked_scheme: 'scheme not allowed',
  dns_failed: 'dns lookup failed',
  blocked_address: 'address not allowed',
} as const;

/**
 * POSTs `body` to `url` with `headers` (plus `content-type: application/json`, `content-length` and a
 * user agent) under the address policy; any status is an answer, 3xx included (not followed).
 */
export async function postGuarded(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  o: GuardedPostOptions,
): Promise<GuardedPostResult> {
  const started = performance.now();
  const done = (
    status: number | null,
    error: string | null,
    detail: string | null = null,
  ): GuardedPostResult => ({
    status,
    error,
    detail,
    durationMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return done(null, 'invalid url');
  }
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort(new Error('timeout'));
  }, o.timeoutMs);
  const onCallerAbort = (): void => deadline.abort(o.signal?.reason);
  if (o.signal?.aborted) onCallerAbort();
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const failure = (e: unknown): GuardedPostResult => {
    if (timedOut) return done(null, 'timeout', `${o.timeoutMs} ms`);
    if (o.signal?.aborted) return done(null, 'aborted');
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return done(null, `connection failed (${code})`, String(e));
  };
  try {
    const verdict = await vetTarget(target, {
      allowLoopback: o.allowLoopbackHttp === true,
      resolver: o.lookup ?? systemResolver,
      signal: deadline.signal,
    });
    if (!verdict.ok) return done(null, REFUSALS[verdict.cause], verdict.detail);
    const payload = Buffer.from(body, 'utf8');
    const options: https.RequestOptions = {
      method: 'POST',
      hostname: bareHost(target.hostname),
      port: target.port === '' ? undefined : Number(target.port),
      path: `${target.pathname}${target.search}`,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': 'Umbra-Webhooks/1',
      },
      lookup: pinnedLookup(verdict.address),
      // No pooled sockets: a kept-alive socket to an earlier answer for the host would skip this pin.
      agent: false,
      signal: deadline.signal,
      ...(o.ca === undefined ? {} : { ca: o.ca }),
    };
    const client = target.protocol === 'https:' ? https : http;
    const status = await new Promise<number>((resolve, reject) => {
      const req = client.request(options, (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > ANSWER_READ_CAP) res.destroy();
        });
        res.on('error', () => undefined);
        // The status is the answer; the body only has to be out of the way.
        res.on('close', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(payload);
    });
    return done(status, null);
  } catch (e) {
    return failure(e);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onCallerAbort);
  }
}
