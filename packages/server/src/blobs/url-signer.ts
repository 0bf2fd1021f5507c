// HMAC-signed, expiring URLs for the disk blob store's routes (contract §3.3: valid 1 hour, 403 after).
import type { KeyObject } from 'node:crypto';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'expired' | 'invalid';

/** What an upload URL allows: the type it must declare and its largest body. */
export interface UploadGrant {
  contentType: string;
  maxBytes: number;
}

export class UrlSigner {
  /** The secret as a key object, made once: a string secret is converted again on every createHmac. */
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /**
   * Signature over the blob key and the expiry (Unix seconds). An upload also signs the method, the
   * content type and the size cap, so a GET URL is never an upload URL and an upload cannot widen its grant.
   */
  sign(key: string, expiresUnix: number, upload?: UploadGrant): string {
    const what =
      upload === undefined
        ? `${key}\n${expiresUnix}`
        : `PUT\n${key}\n${expiresUnix}\n${upload.contentType}\n${upload.maxBytes}`;
    return createHmac('sha256', this.key).update(what).digest('hex');
  }

  check(
    key: string,
    expiresRaw: string | undefined,
    sig: string | undefined,
    nowMs: number,
    upload?: UploadGrant,
  ): SignatureCheck {
    if (expiresRaw === undefined || sig === undefined || !/^\d{1,12}$/.test(expiresRaw)) return 'invalid';
    if (!/^[0-9a-f]{64}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.sign(key, Number(expiresRaw), upload), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'invalid';
    // Checked after the signature, so a tampered expiry reads as invalid, not expired.
    return Number(expiresRaw) * 1000 <= nowMs ? 'expired' : 'valid';
  }
}
