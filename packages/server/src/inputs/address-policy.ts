// Which IP addresses an input URL may reach (DESIGN.md "Security and failure"): public unicast only, so a
// submitted URL can never be used to probe the server's own network (SSRF) or cloud metadata endpoints.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
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
