// GET /v1/generations query validation (issue 11, "List"): one case per rule, the Files list's style.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { encodeCursor } from './list-query.js';
import { parseGenerationListQuery } from './validate-list.js';

const UUID = '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11';
const AT = 1_777_000_000_000;

// prettier-ignore
const bad: Array<[string, Record<string, unknown>, string]> = [
  ['unknown state', { state: 'done' }, 'state: must be one of: queued, processing, completed, failed'],
  ['state in another case', { state: 'QUEUED' }, 'state: must be one of: queued, processing, completed, failed'],
  ['repeated state', { state: ['queued', 'failed'] }, 'state: must be one of: queued, processing, completed, failed'],
  ['unknown type', { type: 'audio' }, 'type: must be one of: image, image_edit, video, video_edit, video_reframe'],
  ['unknown model', { model: 'ray-3.14' }, 'model: must be one of: uni-1, uni-1-max, ray-3.2'],
  ['limit 0', { limit: '0' }, 'limit: must be an integer between 1 and 100'],
  ['limit 101', { limit: '101' }, 'limit: must be an integer between 1 and 100'],
  ['malformed cursor', { cursor: 'not-a-cursor' }, 'cursor: is not a valid cursor'],
];

describe('parseGenerationListQuery', () => {
  it('defaults: 25 from the newest, no filters; unknown parameters ignored', () => {
    assert.deepEqual(parseGenerationListQuery({ colour: 'red' }), {
      limit: 25,
      state: null,
      type: null,
      model: null,
      after: null,
    });
    assert.deepEqual(parseGenerationListQuery(undefined), parseGenerationListQuery({}));
  });

  it('takes every filter, a limit and a cursor; an empty filter is no filter', () => {
    const cursor = encodeCursor({ createdAt: AT, id: UUID });
    assert.deepEqual(
      parseGenerationListQuery({ limit: '7', cursor, state: 'failed', type: 'video', model: 'ray-3.2' }),
      { limit: 7, state: 'failed', type: 'video', model: 'ray-3.2', after: { createdAt: AT, id: UUID } },
    );
    assert.equal(parseGenerationListQuery({ state: '' }).state, null);
  });

  for (const [what, q, detail] of bad) {
    it(`${what} → 422 ${detail}`, () => {
      assert.throws(
        () => parseGenerationListQuery(q),
        (e: unknown) => e instanceof ApiError && e.status === 422 && e.detail === detail,
      );
    });
  }
});
