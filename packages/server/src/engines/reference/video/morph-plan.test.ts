import assert from 'node:assert/strict';
import { test } from 'node:test';
import { morphFrames, morphTimeline } from './morph-plan.js';

test('morph timeline: covers the grid, pinned frames are the stills, t rises between pins', () => {
  const segs = morphTimeline([10, 60, 120], 121, 1);
  assert.equal(morphFrames(segs), 121);
  assert.deepEqual(
    segs.map((s) => [s.from, s.to, s.frames.length]),
    [
      [0, null, 10],
      [0, 1, 50],
      [1, 2, 60],
      [2, null, 1],
    ],
  );
  for (const s of segs.slice(1))
    assert.deepEqual(s.frames[0], { t: 0, camera: { zoom: 1, panX: 0, panY: 0 } });
  const ts = segs[1]!.frames.map((f) => f.t);
  assert.ok(ts.every((t, i) => i === 0 || t > ts[i - 1]!) && ts[ts.length - 1]! < 1);
  assert.ok(Math.abs(segs[1]!.frames[25]!.t - 0.5) < 1e-9);
});
