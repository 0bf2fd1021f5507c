// Presigned URLs of an S3-compatible bucket: the window a URL is signed for (SigV4 caps it at 7 days), and
// recognising this store's own GET URLs by recomputing their signature exactly as the bucket would.
import { timingSafeEqual } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { OwnUrl } from './blob-store.js';
import { isValidBlobKey } from './blob-store.js';

/** The longest a SigV4 presigned URL can live (7 days). */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** The signing date and lifetime (`X-Amz-Date`, `X-Amz-Expires`) of a URL valid until `expiresAt` (ms). */
export interface PresignWindow {
  signingDate: Date;
  expiresIn: number;
}

/**
 * A URL valid until `expiresAt` (rounded up to the second, at most 7 days from `now`). A moment already
 * past gives a URL that expired then: signed one second before it, for one second.
 */
export function presignWindow(expiresAt: number, now: number): PresignWindow {
  const nowSec = Math.floor(now / 1000);
  const left = Math.ceil(expiresAt / 1000) - nowSec;
  if (left >= 1) {
    return { signingDate: new Date(nowSec * 1000), expiresIn: Math.min(left, MAX_PRESIGN_SECONDS) };
  }
  return { signingDate: new Date((Math.floor(expiresAt / 1000) - 1) * 1000), expiresIn: 1 };
}

/** When a window's URL stops working (ms). */
export const windowEnd = (w: PresignWindow): number => w.signingDate.getTime() + w.expiresIn * 1000;

/** Encodes an object key as the SDK puts it in a path: RFC 3986, `/` kept. */
export const encodeObjectKey = (key: string): string =>
  key
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');

/** Where a client's URLs for this bucket point: everything before the object key. */
interface Site {
  client: S3Client;
  origin: string;
  /** The path up to the object key: `/<bucket>/` (path style) or `/` (virtual-host style). */
  base: string;
}

const PROBE_KEY = 'umbra-probe';

/** Where `client` puts this bucket's objects, read from one URL it presigns (path or virtual-host style). */
async function siteOf(client: S3Client, bucket: string): Promise<Site> {
  const url = new URL(await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: PROBE_KEY })));
  if (!url.pathname.endsWith(`/${PROBE_KEY}`))
    throw new Error(`unexpected presigned URL shape: ${url.origin}`);
  return { client, origin: url.origin, base: url.pathname.slice(0, -PROBE_KEY.length) };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const sortedParams = (u: URL): string =>
  JSON.stringify(
    [...u.searchParams]
      .filter(([k]) => k !== 'X-Amz-Signature')
      .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1)),
  );

/**
 * Recognises the GET URLs this store presigns, for the public and the internal endpoint alike, and checks
 * them as the bucket would: the same key, date and lifetime signed again with our credentials must give
 * the very same query and signature.
 */
export class OwnUrlChecker {
  private sites: Promise<Site[]> | null = null;

  constructor(
    private readonly clients: S3Client[],
    private readonly bucket: string,
    /** Prefix of every object key this store owns. */
    private readonly prefix: string,
    private readonly accessKeyId: () => Promise<string>,
  ) {}

  private async knownSites(): Promise<Site[]> {
    // Probing signs, which needs credentials: a failure is thrown (retryable) and tried again next time.
    this.sites ??= Promise.all(this.clients.map((c) => siteOf(c, this.bucket))).catch((err: unknown) => {
      this.sites = null;
      throw err;
    });
    return this.sites;
  }

  async check(url: string, now: number): Promise<OwnUrl> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return { kind: 'foreign' };
    }
    const site = (await this.knownSites()).find(
      (s) => u.origin === s.origin && u.pathname.startsWith(s.base) && u.pathname.length > s.base.length,
    );
    if (site === undefined) return { kind: 'foreign' };
    let objectKey: string;
    try {
      objectKey = u.pathname.slice(site.base.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      return { kind: 'invalid' };
    }
    // Objects outside our prefix belong to someone else sharing the bucket.
    if (!objectKey.startsWith(this.prefix)) return { kind: 'foreign' };
    const key = objectKey.slice(this.prefix.length);
    const q = u.searchParams;
    // Signed by another identity (or by ours before its credentials rotated): only the bucket can judge.
    const credential = q.get('X-Amz-Credential');
    if (credential !== null && credential.split('/')[0] !== (await this.accessKeyId()))
      return { kind: 'foreign' };
    const date = AMZ_DATE.exec(q.get('X-Amz-Date') ?? '');
    const expiresRaw = q.get('X-Amz-Expires') ?? '';
    const signature = q.get('X-Amz-Signature') ?? '';
    if (
      !isValidBlobKey(key) ||
      date === null ||
      !/^\d{1,6}$/.test(expiresRaw) ||
      !/^[0-9a-f]{64}$/.test(signature)
    ) {
      return { kind: 'invalid' };
    }
    const expiresIn = Number(expiresRaw);
    if (expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) return { kind: 'invalid' };
    const [, y, mo, d, h, mi, s] = date.map(Number);
    const signingDate = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
    const expected = new URL(
      await getSignedUrl(site.client, new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
        signingDate,
        expiresIn,
      }),
    );
    const same =
      sortedParams(u) === sortedParams(expected) &&
      timingSafeEqual(
        Buffer.from(signature, 'hex'),
        Buffer.from(expected.searchParams.get('X-Amz-Signature') ?? '', 'hex'),
      );
    if (!same) return { kind: 'invalid' };
    // Checked after the signature, so a tampered date or lifetime reads as invalid, not expired.
    return signingDate.getTime() + expiresIn * 1000 <= now ? { kind: 'expired' } : { kind: 'valid', key };
  }
}
