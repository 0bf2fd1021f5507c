import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generationListSchema, generationSchema } from './generation.schema.js';

describe('Generation response schema (contract §3.1)', () => {
  it('lists the eight documented keys in the documented order, all required', () => {
    const keys = ['id', 'type', 'state', 'model', 'created_at', 'output', 'failure_reason', 'failure_code'];
    assert.deepEqual(Object.keys(generationSchema.properties), keys);
    assert.deepEqual([...generationSchema.required], keys);
  });
  it('a list page is {data, has_more, next_cursor} with items exactly as GET by id', () => {
    assert.deepEqual([...generationListSchema.required], ['data', 'has_more', 'next_cursor']);
    assert.equal(generationListSchema.properties.data.items, generationSchema);
  });
});
