// Standard Webhooks signing (https://www.standardwebhooks.com): each delivery carries `webhook-id`,
// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256>` over `<id>.<timestamp>.<body>`,
// keyed with the base64-decoded part of the endpoint's `whsec_…` secret. docs/webhooks.md shows how a
// receiver checks it; webhooks-docs.test.ts runs that recipe against a real delivery.
import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_HEADERS, WEBHOOK_SECRET_PREFIX } from '../contract/webhook.wire.js';

/** Random bytes behind each secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 32;

/** A fresh endpoint secret: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = (): string =>
  WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');

/** The HMAC key of a secret: the base64 after `whsec_` (a secret without the prefix is taken whole). */
const keyOf = (secret: string): Buffer =>
  Buffer.from(
    secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret,
    'base64',
  );

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. `timestamp` is in Unix seconds. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of one attempt, signed at `nowMs`. */
export function webhookHeaders(
  secret: string,
  id: string,
  nowMs: number,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signWebhook(secret, id, timestamp, body),
  };
}
