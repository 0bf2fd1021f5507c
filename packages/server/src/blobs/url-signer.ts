// HMAC-signed, expiring URLs for blobs served by this server (contract §3.3: valid 1 hour, 403 after).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'expired' | 'invalid';

export class UrlSigner {
  constructor(private readonly secret: string) {}

  /** Signature over the blob key and the expiry (Unix seconds); uploads also sign the method. */
  sign(key: string, expiresUnix: number, method: 'GET' | 'PUT' = 'GET'): string {
    const what = method === 'GET' ? `${key}\n${expiresUnix}` : `PUT\n${key}\n${expiresUnix}`;
    return createHmac('sha256', this.secret).update(what).digest('hex');
  }

  check(
    key: string,
    expiresRaw: string | undefined,
    sig: string | undefined,
    nowMs: number,
    method: 'GET' | 'PUT' = 'GET',
  ): SignatureCheck {
    if (expiresRaw === undefined || sig === undefined || !/^\d{1,12}$/.test(expiresRaw)) return 'invalid';
    if (!/^[0-9a-f]{64}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.sign(key, Number(expiresRaw), method), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'invalid';
    // Checked after the signature, so a tampered expiry reads as invalid, not expired.
    return Number(expiresRaw) * 1000 <= nowMs ? 'expired' : 'valid';
  }
}
