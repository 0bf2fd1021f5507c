import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { formatProgress, parseLastEventId } from './live-progress.js';

describe('live progress wire', () => {
  it('Last-Event-ID: the header, else the query, else 0; empty is absent', () => {
    assert.equal(parseLastEventId(undefined, undefined), 0);
    assert.equal(parseLastEventId('', ''), 0);
    assert.equal(parseLastEventId('42', '7'), 42);
    assert.equal(parseLastEventId(undefined, '7'), 7);
    assert.equal(parseLastEventId('', '7'), 7);
    assert.equal(parseLastEventId('0', undefined), 0);
  });

  it('Last-Event-ID: anything but one non-negative integer is a 400 with a detail', () => {
    for (const bad of ['-1', '1.5', 'abc', ' 3', '1e3', '9999999999999999', ['1', '2']]) {
      assert.throws(
        () => parseLastEventId(bad, undefined),
        (e: unknown) => e instanceof ApiError && e.status === 400 && /^Last-Event-ID: /.test(e.detail),
        String(bad),
      );
    }
    assert.throws(() => parseLastEventId(undefined, 'x'), ApiError);
  });

  it('progress header: at most three decimals, clamped, no exponent', () => {
    assert.equal(formatProgress(0), '0');
    assert.equal(formatProgress(0.42), '0.42');
    assert.equal(formatProgress(0.123456), '0.123');
    assert.equal(formatProgress(0.0000001), '0');
    assert.equal(formatProgress(1), '1');
    assert.equal(formatProgress(1.2), '1');
    assert.equal(formatProgress(-0.5), '0');
  });
});
