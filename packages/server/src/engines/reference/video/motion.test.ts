import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRADE_STEP, layerMargins, layerMotion, lightGrade, type ShotStyle } from './motion.js';

const shot: ShotStyle = { direction: 1, loop: false, frames: 121 };

/** `base+coef*…` → [base, coef]. */
const terms = (expr: string): [number, number] => {
  const m = /^([\d.]+)\+(-?[\d.]+)\*/.exec(expr);
  assert.ok(m, expr);
  return [Number(m[1]), Number(m[2])];
};

test('layer motion: near layers travel further and never reach the canvas edge', () => {
  const m = layerMargins(1920, 1080);
  assert.deepEqual(m, { mx: 115, my: 43 });
  const [nearBase, nearTravel] = terms(layerMotion(shot, 2, 1, m, false).x);
  const [, farTravel] = terms(layerMotion(shot, 0, 0.25, m, true).x);
  assert.equal(nearBase, m.mx);
  // The sweep runs −1..1, so the offset stays within [mx − travel, mx + travel] ⊂ [1, 2·mx − 1].
  assert.ok(nearTravel <= m.mx - 1 && nearTravel > 3 * farTravel);
  const [, left] = terms(layerMotion({ ...shot, direction: -1 }, 2, 1, m, false).x);
  assert.equal(left, -nearTravel);
  const [yBase, yTravel] = terms(layerMotion(shot, 2, 1, m, false).y);
  assert.ok(yBase === m.my && yTravel < m.my);
});

test('light grade: held for GRADE_STEP frames, changes across the shot, loops wrap', () => {
  assert.equal(
    24 % GRADE_STEP,
    0,
    'frames − 1 is a multiple of 24, so a loop ends on a held value of frame 0',
  );
  const held = `(${GRADE_STEP}*floor(n/${GRADE_STEP}))`;
  for (const time of ['sunset', 'dawn', 'day', 'night'] as const) {
    for (const loop of [false, true]) {
      const g = lightGrade({ ...shot, loop }, time);
      for (const e of [g.brightness, g.contrast, g.saturation, g.gamma])
        assert.ok(!/\bn\b/.test(e.split(held).join('')), `${time}: ${e}`);
    }
  }
  assert.notEqual(lightGrade(shot, 'sunset').brightness, '0');
});
