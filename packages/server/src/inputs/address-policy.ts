// Which IP addresses an input URL or a webhook receiver may reach
// (docs/architecture.md "Security and failure"): public unicast only, so a submitted URL can never be used to
// probe the server's own network (SSRF) or cloud metadata endpoints. The one owner of that policy: the
// guarded GET and POST both vet every target here.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One DNS answer. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to every address it has; injectable so tests never touch real DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo), returning all addresses in the order the OS gives them. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * The ipaddr.js range of an address (`unicast` = public). IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged
 * as the IPv4 address it carries, because that is where a socket to it actually goes.
 */
export function addressRange(address: string): string {
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  return ip.range();
}

/**
 * Whether a URL fetch may connect to `address`. Only `unicast` passes: RFC 1918 `private`, `loopback`,
 * `linkLocal` (169.254/16 incl. cloud metadata), `carrierGradeNat`, `uniqueLocal`, `multicast`,
 * `unspecified`, `broadcast`, `reserved`, and the IPv6 ranges that tunnel to an IPv4 address the check could
 * not see (NAT64 `rfc6052`, `6to4`, `teredo`, `rfc6145`) are refused. `allowLoopback` (tests only) also
 * admits `loopback`.
 */
export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = addressRange(address);
  return range === 'unicast' || (allowLoopback && range === 'loopback');
}

/** Whether `address` is a loopback address (127/8, ::1, ::ffff:127.x). */
export function isLoopbackAddress(address: string): boolean {
  return ipaddr.isValid(address) && addressRange(address) === 'loopback';
}

/** URL hostnames keep IPv6 literals in brackets; sockets and the address checks want them bare. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Resolves `host` (bare), answering IP literals directly so they are checked without a DNS query. */
export async function resolveHost(host: string, resolver: Resolver): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  if (family === 4 || family === 6) return [{ address: host, family }];
  return resolver(host);
}

/** Why a target was refused: a stable tag for logs, and detail (addresses) that must never reach a client. */
export interface TargetRefusal {
  ok: false;
  cause: 'blocked_scheme' | 'dns_failed' | 'blocked_address';
  detail: string;
}

/** A target that passed, and the one address the connection must use (pinned: no second lookup). */
export interface TargetApproval {
  ok: true;
  address: ResolvedAddress;
}

/** Options of {@link vetTarget}. */
export interface VetOptions {
  /** TEST ONLY: admit loopback addresses, and `http:` when every address of the host is loopback. */
  allowLoopback: boolean;
  resolver: Resolver;
  /** Stops waiting for DNS (getaddrinfo cannot be cancelled, but a deadline must still hold). */
  signal?: AbortSignal;
}

// Rejects with the signal's reason as soon as it aborts, whether or not `work` ever settles.
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    void work.then(
      (value) => {
        settle();
        resolve(value);
      },
      (e: Error) => {
        settle();
        reject(e);
      },
    );
  });
}

/**
 * Checks a URL's scheme (https; http only to loopback, and only with `allowLoopback`) and every address
 * its host resolves to (all must pass: a mixed answer is itself a rebinding signal). Answers a verdict;
 * rejects only when `signal` aborts.
 */
export async function vetTarget(url: URL, o: VetOptions): Promise<TargetApproval | TargetRefusal> {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && o.allowLoopback)) {
    return { ok: false, cause: 'blocked_scheme', detail: url.protocol };
  }
  const host = bareHost(url.hostname);
  let addresses: ResolvedAddress[];
  try {
    addresses = await abortable(resolveHost(host, o.resolver), o.signal);
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return {
      ok: false,
      cause: 'dns_failed',
      detail: `${host}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    };
  }
  const first = addresses[0];
  if (first === undefined) return { ok: false, cause: 'dns_failed', detail: `${host}: no addresses` };
  const blocked = addresses.find((a) => !isAllowedAddress(a.address, o.allowLoopback));
  if (blocked) return { ok: false, cause: 'blocked_address', detail: `${host} -> ${blocked.address}` };
  if (url.protocol === 'http:' && !addresses.every((a) => isLoopbackAddress(a.address))) {
    return { ok: false, cause: 'blocked_scheme', detail: `http to non-loopback ${host}` };
  }
  return { ok: true, address: first };
}

/**
 * A socket `lookup` that answers `pinned` whatever the hostname would resolve to now, so the connection
 * goes to the address that was checked (Node asks with `all: true` when it may race address families).
 */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}
