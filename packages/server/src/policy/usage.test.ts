// Shaping the store's usage buckets for the wire: keys, order, seconds and exact totals (issue 12, "Usage").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UsageQuery } from '../contract/usage.wire.js';
import type { UsageBucket } from '../store/store.js';
import { buildUsageReport } from './usage.js';

const Q: UsageQuery = { start: Date.UTC(2026, 3, 1), end: Date.UTC(2026, 4, 1), groupBy: null, userId: null };

const b = (key: UsageBucket['key'], over: Partial<UsageBucket> = {}): UsageBucket => ({
  key,
  queued: 0,
  processing: 0,
  completed: 0,
  failed: 0,
  images: 0,
  videoMs: 0,
  chargedMicros: 0,
  reservedMicros: 0,
  ...over,
});

describe('buildUsageReport', () => {
  it('an empty window reports zeros and no groups', () => {
    const r = buildUsageReport(Q, []);
    assert.deepEqual(r, {
      start: '2026-04-01T00:00:00Z',
      end: '2026-05-01T00:00:00Z',
      group_by: null,
      user_id: null,
      data: [],
      total: {
        generations: { total: 0, queued: 0, processing: 0, completed: 0, failed: 0 },
        images: 0,
        video_seconds: 0,
        charged_micros: 0,
        reserved_micros: 0,
      },
    });
  });

  it('ungrouped: the one bucket is the total, and data stays empty', () => {
    const r = buildUsageReport(Q, [b(null, { completed: 2, failed: 1, images: 2, chargedMicros: 80_800 })]);
    assert.deepEqual(r.data, []);
    assert.deepEqual(r.total.generations, { total: 3, queued: 0, processing: 0, completed: 2, failed: 1 });
    assert.equal(r.total.charged_micros, 80_800);
  });

  it('groups by day as YYYY-MM-DD in order, and sums them exactly into the total', () => {
    const day = Date.UTC(2026, 3, 9) / 86_400_000;
    const r = buildUsageReport({ ...Q, groupBy: 'day' }, [
      b(day + 1, { completed: 1, videoMs: 17_017, chargedMicros: 2_160_000 }),
      b(day, {
        completed: 1,
        processing: 1,
        videoMs: 6000,
        chargedMicros: 1_080_000,
        reservedMicros: 900_000,
      }),
    ]);
    assert.deepEqual(
      r.data.map((g) => [g.key, g.video_seconds, g.charged_micros]),
      [
        ['2026-04-09', 6, 1_080_000],
        ['2026-04-10', 17.017, 2_160_000],
      ],
    );
    assert.equal(r.total.video_seconds, 23.017);
    assert.equal(r.total.charged_micros, 3_240_000);
    assert.equal(r.total.reserved_micros, 900_000);
    assert.equal(r.total.generations.total, 3);
  });

  it('puts generations without a user_id last', () => {
    const r = buildUsageReport({ ...Q, groupBy: 'user_id', userId: null }, [
      b(null, { completed: 1 }),
      b('zed', { completed: 1 }),
      b('amy', { completed: 1 }),
    ]);
    assert.deepEqual(
      r.data.map((g) => g.key),
      ['amy', 'zed', null],
    );
  });
});
