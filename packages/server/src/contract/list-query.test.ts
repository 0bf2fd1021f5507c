// The list envelope every list route shares: cursors, the limit/cursor window and cutting a page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { decodeCursor, encodeCursor, pageOf, readListWindow } from './list-query.js';

const UUID = '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11';
const AT = 1_777_000_000_000;

const rejects = (q: Record<string, unknown>, detail: string): void =>
  assert.throws(
    () => readListWindow(q),
    (e: unknown) => e instanceof ApiError && e.status === 422 && e.detail === detail,
  );

describe('list cursors', () => {
  it('round-trip and refuse foreign text', () => {
    assert.deepEqual(decodeCursor(encodeCursor({ createdAt: AT, id: UUID })), { createdAt: AT, id: UUID });
    assert.equal(decodeCursor(Buffer.from(`${AT}.not-a-uuid`).toString('base64url')), null);
    assert.equal(decodeCursor(Buffer.from(`${AT}.${UUID.toUpperCase()}`).toString('base64url')), null);
    assert.equal(decodeCursor(''), null);
    assert.equal(decodeCursor('a+b/c='), null);
  });
});

describe('readListWindow', () => {
  it('defaults to 25 from the newest; takes 1–100 and a cursor of ours; empty values are absent', () => {
    assert.deepEqual(readListWindow({}), { limit: 25, after: null });
    assert.deepEqual(readListWindow({ limit: '1', cursor: '' }), { limit: 1, after: null });
    const cursor = encodeCursor({ createdAt: AT, id: UUID });
    assert.deepEqual(readListWindow({ limit: '100', cursor }), {
      limit: 100,
      after: { createdAt: AT, id: UUID },
    });
  });
  it('refuses limits out of range or not integers, repeated values and made-up cursors with 422', () => {
    for (const limit of ['0', '101', '-1', '2.5', 'ten', '', ['1', '2']]) {
      rejects({ limit }, 'limit: must be an integer between 1 and 100');
    }
    rejects({ cursor: 'abc' }, 'cursor: is not a valid cursor');
    rejects({ cursor: ['a', 'b'] }, 'cursor: is not a valid cursor');
  });
});

describe('pageOf', () => {
  const rows = [3, 2, 1].map((n) => ({ createdAt: AT + n, id: UUID.replace(/.$/, String(n)) }));
  it('a store answer of limit + 1 rows is a full page with a cursor at its last row', () => {
    const p = pageOf(rows, 2);
    assert.deepEqual(p.rows, rows.slice(0, 2));
    assert.equal(p.has_more, true);
    assert.deepEqual(decodeCursor(p.next_cursor ?? ''), rows[1]);
  });
  it('fewer rows than limit + 1 is the last page: no cursor', () => {
    assert.deepEqual(pageOf(rows, 3), { rows, has_more: false, next_cursor: null });
    assert.deepEqual(pageOf([], 25), { rows: [], has_more: false, next_cursor: null });
  });
});
