// The query of GET /v1/usage: window forms and defaults, grouping, the user filter, and a 422 for every
// bad value (issue 12, "Usage").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { USAGE_DEFAULT_DAYS, parseUsageQuery } from './validate-usage.js';

const NOW = Date.UTC(2026, 3, 20, 15, 30);
const DAY = 86_400_000;

const rejects = (query: Record<string, unknown>, detail: RegExp | string): void => {
  assert.throws(
    () => parseUsageQuery(query, NOW),
    (e: unknown) =>
      e instanceof ApiError &&
      e.status === 422 &&
      (typeof detail === 'string' ? e.detail === detail : detail.test(e.detail)),
    JSON.stringify(query),
  );
};

describe('parseUsageQuery', () => {
  it(`defaults to the ${USAGE_DEFAULT_DAYS} days up to now, ungrouped, every user`, () => {
    assert.deepEqual(parseUsageQuery({}, NOW), {
      start: NOW - USAGE_DEFAULT_DAYS * DAY,
      end: NOW,
      groupBy: null,
      userId: null,
    });
    assert.deepEqual(parseUsageQuery(undefined, NOW), parseUsageQuery({ start: '', end: '' }, NOW));
  });

  it('takes dates as midnight UTC and date-times with a zone; start defaults from the given end', () => {
    const q = parseUsageQuery({ start: '2026-04-01', end: '2026-05-01T02:00:00+02:00' }, NOW);
    assert.equal(q.start, Date.UTC(2026, 3, 1));
    assert.equal(q.end, Date.UTC(2026, 4, 1));
    assert.equal(parseUsageQuery({ end: '2026-03-31' }, NOW).start, Date.UTC(2026, 2, 1));
    assert.equal(
      parseUsageQuery({ start: '2026-04-19T10:00:00.250Z' }, NOW).start,
      Date.UTC(2026, 3, 19, 10, 0, 0, 250),
    );
  });

  it('groups by model, type, user_id or day, and filters by user_id', () => {
    for (const g of ['model', 'type', 'user_id', 'day'] as const)
      assert.equal(parseUsageQuery({ group_by: g }, NOW).groupBy, g);
    assert.equal(parseUsageQuery({ user_id: 'team-7' }, NOW).userId, 'team-7');
    assert.equal(parseUsageQuery({ user_id: 'é'.repeat(256) }, NOW).userId?.length, 256);
    assert.equal(parseUsageQuery({ unknown: 'x' }, NOW).groupBy, null, 'unknown parameters are ignored');
  });

  it('answers 422 for every bad value', () => {
    const form = /must be an ISO-8601 date \(2026-04-01\) or date-time with a time zone/;
    for (const bad of [
      'yesterday',
      '2026-02-30',
      '2026-13-01',
      '2026-04-01T10:00:00',
      '2026-4-1',
      '1714000000',
    ])
      rejects({ start: bad }, new RegExp(`^start: ${form.source}`));
    rejects({ end: '2026-04-31' }, /^end: must be an ISO-8601 date/);
    rejects({ start: '2026-04-10', end: '2026-04-10' }, 'start: must be before end');
    rejects({ start: '2026-04-21' }, 'start: must be before end');
    rejects({ group_by: 'month' }, 'group_by: must be one of: model, type, user_id, day');
    rejects({ user_id: 'x'.repeat(257) }, 'user_id: must be at most 256 characters');
    rejects({ start: ['2026-04-01', '2026-04-02'] }, 'start: must be given once');
    rejects({ user_id: ['a', 'b'] }, 'user_id: must be given once');
  });
});
