// HMAC-signed, expiring URLs for blobs served by this server (contract §3.3: valid 1 hour, 403 after).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'expired' | 'invalid';

export class UrlSigner {
  constructor(private readonly secret: string) {}

  /** Signature over the blob key and the expiry (Unix seconds). */
  sign(key: string, expiresUnix: number): string {
    return createHmac('sha256', this.secret).update(`${key}\n${expiresUnix}`).digest('hex');
  }

  check(key: string, expiresRaw: string | undefined, sig: string | undefined, nowMs: number): SignatureCheck {
    if (expiresRaw === undefined || sig === undefined || !/^\d{1,12}$/.test(expiresRaw)) return 'invalid';
    if (!/^[0-9a-f]{64}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.sign(key, Number(expiresRaw)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'invalid';
    // Checked after the signature, so a tampered expiry reads as invalid, not expired.
    return Number(expiresRaw) * 1000 <= nowMs ? 'expired' : 'valid';
  }
}
