// The retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h…, never past 24 hours after the event, then dead;
// and the scale that compresses it for tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WEBHOOK_RETRY_WINDOW_MS, afterFailedAttempt } from './retry-schedule.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/** Fails every attempt the moment it is due; the times of all attempts made. */
function run(scale: number): number[] {
  const at = [0];
  for (;;) {
    const o = afterFailedAttempt(0, at.length, at.at(-1) ?? 0, scale);
    if (o.state === 'dead') return at;
    assert.equal(o.state, 'pending');
    at.push(o.nextAttemptAt);
  }
}

describe('webhook retry schedule', () => {
  it('backs off exponentially for 24 hours, ends with an attempt at the 24th hour, then is dead', () => {
    const times = run(1);
    assert.deepEqual(
      times.slice(1).map((t, i) => t - (times[i] ?? 0)),
      [5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 24 * H - (5 * S + 5 * MIN + 30 * MIN + 17 * H)],
    );
    assert.equal(times.length, 8);
    assert.equal(times.at(-1), WEBHOOK_RETRY_WINDOW_MS);
  });

  it('counts from the event: an attempt made late gets what is left of the window', () => {
    assert.deepEqual(afterFailedAttempt(0, 1, 23 * H, 1), {
      state: 'pending',
      nextAttemptAt: 23 * H + 5 * S,
    });
    assert.deepEqual(afterFailedAttempt(0, 6, 20 * H, 1), { state: 'pending', nextAttemptAt: 24 * H });
    assert.deepEqual(afterFailedAttempt(0, 2, 24 * H, 1), { state: 'dead' });
    assert.deepEqual(
      afterFailedAttempt(0, 1, 30 * H, 1),
      { state: 'dead' },
      'a retry after the window: once',
    );
  });

  it('shrinks every delay and the window by the scale', () => {
    const times = run(0.001);
    assert.equal(times.length, 8);
    assert.deepEqual(times.slice(0, 4), [0, 5, 305, 2105]);
    assert.equal(times.at(-1), 86_400);
    assert.deepEqual(
      afterFailedAttempt(0, 1, 0, 1e-6),
      { state: 'pending', nextAttemptAt: 1 },
      'at least 1 ms',
    );
  });
});
