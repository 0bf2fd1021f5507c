import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUsd, parseUsd } from './money.js';

describe('dollars ↔ micro-USD', () => {
  it('parses amounts exactly, six decimals at most', () => {
    assert.equal(parseUsd('5'), 5_000_000);
    assert.equal(parseUsd('12.50'), 12_500_000);
    assert.equal(parseUsd('0.0404'), 40_400);
    assert.equal(parseUsd('-0.000001'), -1);
    assert.equal(parseUsd('0.1'), 100_000, 'no 0.1 + 0.2 style drift');
    for (const bad of ['', 'five', '1.2345678', '1e3', '$5', '1,50']) assert.throws(() => parseUsd(bad), bad);
  });

  it('formats with two to six decimals', () => {
    assert.equal(formatUsd(5_000_000), '5.00');
    assert.equal(formatUsd(40_400), '0.0404');
    assert.equal(formatUsd(1), '0.000001');
    assert.equal(formatUsd(-3_000_000), '-3.00');
    assert.equal(formatUsd(2_160_000), '2.16');
  });
});
