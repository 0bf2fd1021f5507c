import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCreateRequest } from '../contract/validate-create.js';
import { priceMicros } from '../policy/pricing.js';
import { seedRows } from './seed-plan.js';

const DAY = 86_400_000;

describe('seed plan', () => {
  const now = Date.UTC(2026, 5, 1);
  const plan = { count: 10_000, clientIds: ['a', 'b', 'c'], now, spanMs: 90 * DAY, maxAttempts: 3 };
  let n = 0;
  const rowAt = seedRows(plan, () => `id-${n++}`);
  const rows = Array.from({ length: plan.count }, (_, i) => rowAt(i));

  it('is oldest first over the span, the clients in turn, every row terminal', () => {
    assert.ok(rows.every((r, i) => i === 0 || r.createdAt >= (rows[i - 1]?.createdAt ?? 0)));
    assert.equal(rows[0]?.createdAt, now - plan.spanMs);
    assert.ok((rows.at(-1)?.createdAt ?? 0) < now);
    assert.deepEqual(
      rows.slice(0, 4).map((r) => r.clientId),
      ['a', 'b', 'c', 'a'],
    );
    assert.ok(rows.every((r) => r.state === 'completed' || r.state === 'failed'));
    assert.ok(rows.every((r) => r.updatedAt >= r.createdAt && r.completedAt === r.updatedAt));
  });

  it('mixes kinds and outcomes in the planned shares', () => {
    const share = (f: (r: (typeof rows)[number]) => boolean): number => rows.filter(f).length / rows.length;
    assert.ok(Math.abs(share((r) => r.state === 'failed') - 0.04) < 0.01);
    assert.ok(Math.abs(share((r) => r.type === 'video') - 0.15) < 0.02);
    assert.ok(Math.abs(share((r) => r.userId !== null) - 1 / 3) < 0.03);
    assert.ok(share((r) => r.model === 'uni-1-max') > 0.05);
  });

  it('writes rows the routes can read: outputs of completed rows, catalogued failures, real prices', () => {
    for (const r of rows.slice(0, 200)) {
      assert.equal(r.userId, r.request.user_id);
      assert.equal(r.priceMicros, priceMicros(parseCreateRequest(r.request, { hdrAccess: true })));
      if (r.state === 'completed') {
        assert.equal(r.outputs.length, 1);
        assert.match(r.outputs[0]?.key ?? '', new RegExp(`^generations/${r.id}/a1/output\\.(png|jpg|mp4)$`));
        assert.equal(r.failureCode, null);
        assert.equal(r.videoMs === null, r.type !== 'video');
      } else {
        assert.deepEqual(r.outputs, []);
        assert.ok(r.failureCode === 'generation_failed' || r.failureCode === 'content_moderated');
        assert.equal(typeof r.failureReason, 'string');
        assert.equal(r.videoMs, null);
      }
    }
  });

  it('the same index seeds the same row, but for its id', () => {
    const again = seedRows(plan, () => 'other')(1234);
    assert.deepEqual({ ...again, id: '', outputs: [] }, { ...rows[1234], id: '', outputs: [] });
  });
});
