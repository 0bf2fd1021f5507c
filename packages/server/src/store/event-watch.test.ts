// The event watch (issue 11 outbox; the mend of its wake-up rule): a guess (a poll, an own write) calls
// the watchers only when the newest seq moved; a NOTIFY — a commit that appended events — always does,
// because on PostgreSQL such a commit may hold an event numbered below the newest one already seen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ForeignSignal } from './event-watch.js';
import { EventWatch } from './event-watch.js';

/** A watch over a settable newest seq, with a foreign signal the test fires by hand. */
function setup() {
  let latest = 0;
  let fire: ((committed: boolean) => void) | null = null;
  const signal: ForeignSignal = {
    start: (poke) => (fire = poke),
    stop: () => (fire = null),
  };
  const watch = new EventWatch(async () => {
    await sleep(5);
    return latest;
  }, signal);
  const calls: number[] = [];
  const unwatch = watch.watch((seq) => calls.push(seq));
  return {
    watch,
    calls,
    unwatch,
    set: (n: number) => (latest = n),
    fire: (committed: boolean) => fire?.(committed),
    started: () => fire !== null,
  };
}

describe('EventWatch', () => {
  it('a poll calls the watchers only when the newest seq moved', async () => {
    const w = setup();
    w.set(3);
    w.fire(false);
    await sleep(20);
    w.fire(false);
    await sleep(20);
    assert.deepEqual(w.calls, [3]);
    w.set(4);
    w.watch.poke(false);
    await sleep(20);
    assert.deepEqual(w.calls, [3, 4]);
  });

  it('a NOTIFY calls them even when the newest seq did not move (a lower seq committed late)', async () => {
    const w = setup();
    w.set(7);
    w.fire(true);
    await sleep(20);
    // Seq 6 commits after 7 was announced: the maximum stays 7, but readers have something new.
    w.fire(true);
    await sleep(20);
    assert.deepEqual(w.calls, [7, 7]);
  });

  it('pokes during a check make one more check, forced when any of them was a commit', async () => {
    const w = setup();
    w.set(1);
    w.fire(false);
    w.fire(false);
    w.fire(true);
    w.fire(false);
    await sleep(40);
    assert.deepEqual(w.calls, [1, 1], 'the first check, then one forced check for the three pokes');
    w.fire(false);
    w.fire(false);
    w.fire(false);
    await sleep(40);
    assert.deepEqual(w.calls, [1, 1], 'polls that found nothing new call nobody');
  });

  it('the foreign signal runs while someone watches', () => {
    const w = setup();
    assert.equal(w.started(), true);
    w.unwatch();
    assert.equal(w.started(), false);
  });
});
