import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILURES } from './failures.js';
import { FAILURE_CODES } from './wire.js';

describe('failure catalogue (contract §3.4)', () => {
  it('has an entry for every code and nothing else', () => {
    assert.deepEqual(Object.keys(FAILURES).sort(), [...FAILURE_CODES].sort());
  });
  it('keeps the documented failure_reason texts', () => {
    assert.equal(
      FAILURES.content_moderated.reason,
      'Generation output was flagged by our content moderation system.',
    );
    assert.equal(FAILURES.budget_exhausted.reason, 'Insufficient credits to complete this generation.');
    assert.equal(FAILURES.generation_failed.reason, 'Generation failed');
    assert.equal(FAILURES.output_not_found.reason, 'Output artifacts not found');
  });
  it('retries exactly the codes §3.4 marks retryable', () => {
    const retryable = FAILURE_CODES.filter((c) => FAILURES[c].retryable).sort();
    assert.deepEqual(retryable, ['generation_failed', 'output_not_found', 'rate_limited']);
  });
});
