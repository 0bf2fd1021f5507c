// AWS Signature Version 4 checked the way S3 checks it, written from AWS's published algorithm with
// node:crypto alone, so that it is not the SDK checking its own work. The test bucket's front door uses it
// because s3rver does not verify SigV4 signatures (its authentication middleware leaves "Signature version 4
// calculation" unimplemented and lets every V4 request through); it does check presigned expiry.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Why S3 refuses a request (403), or null when the signature holds. */
export type SigV4Refusal = { code: string; message: string } | null;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_SKEW_MS = 15 * 60_000;

const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string): string => createHash('sha256').update(data).digest('hex');

const refuse = (code: string, message: string): SigV4Refusal => ({ code, message });

const parseQuery = (raw: string): [string, string][] =>
  raw === ''
    ? []
    : raw.split('&').map((pair) => {
        const eq = pair.indexOf('=');
        const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
        return [decodeURIComponent(k), decodeURIComponent(v)];
      });

/** An `X-Amz-Date` (`20260408T120000Z`) as ms since the epoch; NaN when malformed. */
export const amzTime = (raw: string | undefined): number => {
  const m = AMZ_DATE.exec(raw ?? '');
  if (m === null) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
};

/** Checks one request's SigV4 signature (Authorization header or presigned query) against `secrets`. */
export function verifySigV4(
  req: { method: string; url: string; headers: IncomingHttpHeaders },
  secrets: ReadonlyMap<string, string>,
  now: number,
  /** Refuse presigned URLs past their expiry (S3 does; a caller may leave it to the server behind). */
  checkExpiry = true,
): SigV4Refusal {
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  let params: [string, string][];
  let path: string;
  try {
    params = parseQuery(q < 0 ? '' : req.url.slice(q + 1));
    path = rawPath
      .split('/')
      .map((seg) => rfc3986(decodeURIComponent(seg)))
      .join('/');
  } catch {
    return refuse('InvalidArgument', 'Malformed URL encoding');
  }
  const param = (name: string): string | undefined => params.find(([k]) => k === name)?.[1];
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  let payloadHash: string | undefined;
  const presigned = param('X-Amz-Algorithm') !== undefined;
  if (presigned) {
    if (param('X-Amz-Algorithm') !== ALGORITHM)
      return refuse('AuthorizationQueryParametersError', 'Bad algorithm');
    credential = param('X-Amz-Credential');
    signedHeaders = param('X-Amz-SignedHeaders');
    signature = param('X-Amz-Signature');
    amzDate = param('X-Amz-Date');
    payloadHash = param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
    const expires = Number(param('X-Amz-Expires') ?? NaN);
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
      return refuse('AuthorizationQueryParametersError', 'X-Amz-Expires must be 1…604800');
    }
    const signedAt = amzTime(amzDate);
    if (Number.isNaN(signedAt)) return refuse('AuthorizationQueryParametersError', 'Bad X-Amz-Date');
    if (checkExpiry && now > signedAt + expires * 1000) return refuse('AccessDenied', 'Request has expired');
  } else {
    const auth = header('authorization');
    // The bucket is private: a request without a signature is refused.
    if (auth === undefined) return refuse('AccessDenied', 'Access Denied');
    if (!auth.startsWith(`${ALGORITHM} `)) return refuse('InvalidArgument', 'Unsupported Authorization Type');
    const parts = new Map(
      auth
        .slice(ALGORITHM.length + 1)
        .split(',')
        .map((p) => p.trim().split('=') as [string, string]),
    );
    credential = parts.get('Credential');
    signedHeaders = parts.get('SignedHeaders');
    signature = parts.get('Signature');
    amzDate = header('x-amz-date');
    payloadHash = header('x-amz-content-sha256');
    if (payloadHash === undefined) return refuse('InvalidRequest', 'Missing x-amz-content-sha256');
    const signedAt = amzTime(amzDate);
    if (Number.isNaN(signedAt)) return refuse('AccessDenied', 'Bad x-amz-date');
    if (Math.abs(now - signedAt) > MAX_SKEW_MS)
      return refuse('RequestTimeTooSkewed', 'Request time too skewed');
  }
  if (
    credential === undefined ||
    signedHeaders === undefined ||
    signature === undefined ||
    amzDate === undefined
  ) {
    return refuse('AuthorizationHeaderMalformed', 'Incomplete SigV4 authorization');
  }

  const [accessKeyId = '', day = '', region = '', service = '', terminator = ''] = credential.split('/');
  const secret = secrets.get(accessKeyId);
  if (secret === undefined) return refuse('InvalidAccessKeyId', 'Unknown access key');
  if (day !== amzDate.slice(0, 8) || terminator !== 'aws4_request') {
    return refuse('AuthorizationHeaderMalformed', 'Bad credential scope');
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return refuse('AccessDenied', 'host must be a signed header');

  const canonicalHeaders = names
    .map((n) => `${n}:${(header(n) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalQuery = params
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    req.method,
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided',
    );
  }
  return null;
}
