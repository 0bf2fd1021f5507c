import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILURES } from '../contract/failures.js';
import { FAILURE_CODES } from '../contract/wire.js';
import { classify } from '../jobs/pipeline.js';
import { EngineFailure } from './engine.js';
import { failureFromWire, failureToWire } from './failure-wire.js';

/** Through structured cloning, as a thread's message would go. */
const across = (err: unknown): Error => failureFromWire(structuredClone(failureToWire(err)));

describe('failures across the thread boundary', () => {
  it('keeps a classified failure: code, message and retryable', () => {
    for (const retryable of [true, false]) {
      const back = across(new EngineFailure('corrupt_input', 'source could not be decoded', retryable));
      assert.ok(back instanceof EngineFailure);
      assert.equal(back.code, 'corrupt_input');
      assert.equal(back.message, 'source could not be decoded');
      assert.equal(back.retryable, retryable);
    }
  });

  it('turns an unclassified error into a plain Error with its message (a retryable generation_failed)', () => {
    for (const thrown of [new TypeError('boom'), 'boom']) {
      const back = across(thrown);
      assert.ok(!(back instanceof EngineFailure));
      assert.equal(back.message, 'boom');
      assert.deepEqual(
        { code: classify(back).code, retryable: classify(back).retryable },
        { code: 'generation_failed', retryable: true },
      );
    }
  });

  it("defaults retryable to the catalogue's flag for the code", () => {
    for (const code of FAILURE_CODES) {
      assert.equal(new EngineFailure(code, 'x').retryable, FAILURES[code].retryable, code);
      assert.equal(across(new EngineFailure(code, 'x')).message, 'x');
    }
    assert.equal(new EngineFailure('rate_limited', 'x', false).retryable, false);
  });
});
