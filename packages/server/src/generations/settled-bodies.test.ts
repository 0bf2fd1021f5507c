// The GET body of a settled generation, made once per second (issue 15, generations/settled-bodies.ts).
// The route side (same bytes within a second, a full window each time, on disk and S3) is in
// e2e/output-urls.e2e.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerationRow } from '../store/store.js';
import { newGen, T0 } from '../store/testing/store.fixtures.js';
import { SettledBodies } from './settled-bodies.js';

const rowIn = (state: GenerationRow['state']): GenerationRow => ({
  ...newGen('client-1'),
  state,
  updatedAt: T0,
  attempts: 1,
  runAfter: T0,
  leaseOwner: null,
  leaseExpiresAt: null,
  progress: state === 'completed' ? 1 : 0.5,
  outputs: state === 'completed' ? [{ type: 'image', key: 'k', contentType: 'image/png' }] : [],
  failureCode: state === 'failed' ? 'generation_failed' : null,
  failureReason: state === 'failed' ? 'boom' : null,
  completedAt: state === 'completed' || state === 'failed' ? T0 : null,
  upstreamId: null,
});

/** A memo whose `make` records the moments it presented the row as at. */
const counted = (): {
  bodies: SettledBodies<string>;
  made: number[];
  of: (r: GenerationRow, now: number) => Promise<string>;
} => {
  const bodies = new SettledBodies<string>();
  const made: number[] = [];
  return {
    bodies,
    made,
    of: (r, now) =>
      bodies.of(r, now, (at) => {
        made.push(at);
        return Promise.resolve(`body as at ${at}`);
      }),
  };
};

describe('SettledBodies', () => {
  it('makes a completed or failed row’s body once per second, as at the last millisecond of it', async () => {
    for (const state of ['completed', 'failed'] as const) {
      const m = counted();
      const r = rowIn(state);
      const second = Math.floor(T0 / 1000) * 1000;
      for (const ms of [0, 1, 500, 999])
        assert.equal(await m.of(r, second + ms), `body as at ${second + 999}`);
      assert.deepEqual(m.made, [second + 999]);
      assert.equal(await m.of(r, second + 1000), `body as at ${second + 1999}`);
      assert.equal(await m.of(r, second + 1999), `body as at ${second + 1999}`);
      assert.deepEqual(m.made, [second + 999, second + 1999]);
      // A clock that steps back gets that second's body, made anew, never a later one.
      assert.equal(await m.of(r, second + 5), `body as at ${second + 999}`);
      assert.equal(m.made.length, 3);
    }
  });

  it('keeps a body per row object: a row read afresh (the row cache off) is made again', async () => {
    const m = counted();
    const a = rowIn('completed');
    const b = { ...a };
    await m.of(a, T0);
    await m.of(b, T0);
    await m.of(a, T0);
    assert.equal(m.made.length, 2);
  });

  it('refuses a queued or processing row, whose body changes with the row', async () => {
    const m = counted();
    for (const state of ['queued', 'processing'] as const) {
      await assert.rejects(m.of(rowIn(state), T0), /only settled rows are kept/);
    }
    assert.deepEqual(m.made, []);
  });
});
