import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generationSchema } from './generation.schema.js';

describe('Generation response schema (contract §3.1)', () => {
  it('lists the eight documented keys in the documented order, all required', () => {
    const keys = ['id', 'type', 'state', 'model', 'created_at', 'output', 'failure_reason', 'failure_code'];
    assert.deepEqual(Object.keys(generationSchema.properties), keys);
    assert.deepEqual([...generationSchema.required], keys);
  });
});
