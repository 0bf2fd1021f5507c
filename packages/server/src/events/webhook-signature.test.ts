// Standard Webhooks signing: the specification's own test vector, the headers of one attempt, and secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newWebhookSecret, signWebhook, webhookHeaders } from './webhook-signature.js';

describe('webhook signature (Standard Webhooks)', () => {
  it("matches the specification's test vector", () => {
    const signed = signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    assert.equal(signed, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs each attempt at its own time, in whole seconds', () => {
    const secret = newWebhookSecret();
    const h = webhookHeaders(secret, 'msg_7_x', 1_700_000_123_999, '{}');
    assert.deepEqual(Object.keys(h), ['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    assert.equal(h['webhook-id'], 'msg_7_x');
    assert.equal(h['webhook-timestamp'], '1700000123');
    assert.equal(h['webhook-signature'], signWebhook(secret, 'msg_7_x', 1700000123, '{}'));
    assert.notEqual(h['webhook-signature'], signWebhook(secret, 'msg_7_x', 1700000123, '{ }'));
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const a = newWebhookSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, newWebhookSecret());
  });
});
