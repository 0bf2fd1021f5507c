import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { canonicalJson, parseIdempotencyKey, requestHash } from './idempotency.js';

describe('idempotency contract', () => {
  it('reads two bodies that differ only in key order, at any depth, as one request', () => {
    const a = {
      prompt: 'p',
      video: { resolution: '720p', duration: '5s' },
      image_ref: [{ url: 'u', weight: 1 }],
    };
    const b = {
      image_ref: [{ weight: 1, url: 'u' }],
      video: { duration: '5s', resolution: '720p' },
      prompt: 'p',
    };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(requestHash(a), requestHash(b));
    assert.match(requestHash(a), /^[0-9a-f]{64}$/);
  });

  it('tells apart values, array order, null from absent, and numbers from strings', () => {
    const h = requestHash({ prompt: 'p', n: 1, list: [1, 2] });
    for (const other of [
      { prompt: 'q', n: 1, list: [1, 2] },
      { prompt: 'p', n: '1', list: [1, 2] },
      { prompt: 'p', n: 1, list: [2, 1] },
      { prompt: 'p', n: 1, list: [1, 2], style: null },
    ])
      assert.notEqual(requestHash(other), h, JSON.stringify(other));
  });

  it('accepts 1–255 printable ASCII characters and refuses anything else with a 400', () => {
    assert.equal(parseIdempotencyKey(undefined), null);
    assert.equal(parseIdempotencyKey(' a~Z '), ' a~Z ');
    assert.equal(parseIdempotencyKey('x'.repeat(255)), 'x'.repeat(255));
    for (const bad of ['', 'x'.repeat(256), 'tab\there', 'café', ['a', 'b']]) {
      assert.throws(
        () => parseIdempotencyKey(bad),
        (e: unknown) => e instanceof ApiError && e.status === 400 && e.detail.startsWith('Idempotency-Key'),
      );
    }
  });
});
