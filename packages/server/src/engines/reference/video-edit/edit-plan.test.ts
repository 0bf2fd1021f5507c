// The video_edit plan (pure): canvas, frame grid, strength levels, the automatic rule, control settings,
// guide pins and their pull on neighbouring frames, and the prompt's look table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EDIT_STRENGTHS } from '../../../contract/wire.js';
import { CUBE_SIZE } from './cube.js';
import { editRequest } from '../testing/edit-test-support.js';
import { COLOUR_WINDOW, PIXEL_WINDOW, guideInfluences, guideNeededFrom, guideNeededUntil } from './guides.js';
import { editLook } from './look.js';
import {
  AUTO_CONTROLS,
  EditPlanError,
  STRENGTH_AMOUNT,
  autoStrength,
  controlSettings,
  editFrames,
  isAutomatic,
  lastGridIndex,
  planEdit,
} from './plan.js';

const SRC = { width: 1280, height: 720, displayAspect: 16 / 9, duration: 2 };

describe('planEdit', () => {
  it('keeps the source length on the 24 fps grid and its ratio at the requested resolution', () => {
    const p = planEdit(editRequest('x', { resolution: '540p' }), SRC, 0, null);
    assert.deepEqual([p.width, p.height, p.ratio, p.frames], [960, 540, '16:9', 48]);
    const portrait = planEdit(
      editRequest('x', { resolution: '720p' }),
      { width: 1080, height: 1920, displayAspect: 9 / 16, duration: 1.5 },
      0,
      null,
    );
    assert.deepEqual(
      [portrait.width, portrait.height, portrait.ratio, portrait.frames],
      [720, 1280, '9:16', 36],
    );
    // A 2.2:1 source lands on the nearest of the six ratios (21:9 on a log scale), at the default 720p.
    const wide = planEdit(editRequest('x', { resolution: null }), { ...SRC, displayAspect: 2.2 }, 0, null);
    assert.deepEqual([wide.width, wide.height, wide.ratio], [1680, 720, '21:9']);
  });

  it('strength amounts grow strictly from adhere_1 to reimagine_3', () => {
    const amounts = EDIT_STRENGTHS.map((s) => STRENGTH_AMOUNT[s]);
    for (let i = 1; i < amounts.length; i++) assert.ok(amounts[i]! > amounts[i - 1]!);
    assert.equal(amounts.at(-1), 1);
  });

  it('absent edit, auto_controls and strength-less controls are automatic; strength is manual', () => {
    assert.equal(isAutomatic(editRequest('x')), true);
    assert.equal(isAutomatic(editRequest('x', { edit: { auto_controls: true } })), true);
    assert.equal(isAutomatic(editRequest('x', { edit: { strength: 'flex_1' } })), false);
    assert.equal(isAutomatic(editRequest('x', { edit: { controls: { depth: { blur: 1 } } } })), false);
    const auto = planEdit(editRequest('x'), SRC, 0, { motion: 0, detail: 0 });
    assert.equal(auto.automatic, true);
    assert.equal(auto.strength, 'flex_3');
    const manual = planEdit(editRequest('x', { edit: { strength: 'adhere_1' } }), SRC, 0, null);
    assert.deepEqual([manual.automatic, manual.strength, manual.amount], [false, 'adhere_1', 0.12]);
  });

  it('the automatic rule gives busy footage a lighter touch, within adhere_2 … flex_3', () => {
    assert.equal(autoStrength({ motion: 0, detail: 0 }), 'flex_3');
    assert.equal(autoStrength({ motion: 30, detail: 60 }), 'adhere_2');
    assert.equal(autoStrength({ motion: 6, detail: 15 }), 'flex_1');
    let last = Infinity;
    for (let m = 0; m <= 20; m += 2) {
      const level = EDIT_STRENGTHS.indexOf(autoStrength({ motion: m, detail: 10 }));
      assert.ok(level <= last && level >= 1 && level <= 5);
      last = level;
    }
  });

  it('controls: each signal on unless enabled is false; numbers are clamped; auto uses AUTO_CONTROLS', () => {
    assert.deepEqual(controlSettings(editRequest('x')), AUTO_CONTROLS);
    const c = controlSettings(
      editRequest('x', {
        edit: {
          strength: 'flex_1',
          controls: { trajectory: { enabled: false }, depth: { blur: 0.9 }, pose: { strength: 'coarse' } },
        },
      }),
    );
    assert.equal(c.trajectory.enabled, false);
    assert.deepEqual(c.depth, { enabled: true, blur: 0.9 });
    assert.deepEqual(c.pose, { enabled: true, strength: 'coarse' });
    assert.deepEqual(c.normals, AUTO_CONTROLS.normals);
  });

  it('guides: keyframe indexes up to floor(seconds × 24), start_frame at 0, the grid grows to include them', () => {
    assert.equal(lastGridIndex(2), 48);
    assert.equal(lastGridIndex(1.99), 47);
    const req = editRequest('x', {
      edit: {
        keyframes: [{ url: 'https://e.com/a.png' }, { url: 'https://e.com/b.png' }],
        keyframe_indexes: [48, 3],
      },
    });
    const p = planEdit(req, SRC, 2, null);
    assert.deepEqual(p.pins, [
      { frame: 3, guide: 1 },
      { frame: 48, guide: 0 },
    ]);
    assert.equal(p.frames, 49);
    assert.equal(editFrames(2, []), 48);
    assert.throws(() => planEdit(req, { ...SRC, duration: 1.9 }, 2, null), EditPlanError);
    const start = editRequest('x', { start_frame: { url: 'https://e.com/s.png' } });
    assert.deepEqual(planEdit(start, SRC, 1, null).pins, [{ frame: 0, guide: 0 }]);
  });

  it('hdr and exr_export follow the request', () => {
    const p = planEdit(editRequest('x', { hdr: true, exr_export: true }, true), SRC, 0, null);
    assert.deepEqual([p.range, p.exr], ['hdr', true]);
  });
});

describe('guide influences', () => {
  const pins = [
    { frame: 10, guide: 0 },
    { frame: 40, guide: 1 },
  ];
  it('a guide replaces its own frame and fades out over its windows', () => {
    assert.deepEqual(guideInfluences(10, pins).at(-1), { guide: 0, pixel: 1, colour: 0.6 });
    const near = guideInfluences(12, pins)[0]!;
    assert.ok(near.pixel > 0.5 && near.pixel < 1);
    assert.equal(guideInfluences(10 + PIXEL_WINDOW, pins)[0]!.pixel, 0);
    assert.ok(guideInfluences(10 + PIXEL_WINDOW, pins)[0]!.colour > 0);
    assert.deepEqual(
      guideInfluences(10 + COLOUR_WINDOW, pins).map((g) => g.guide),
      [1],
    );
    assert.equal(guideNeededFrom(pins[1]!), 40 - COLOUR_WINDOW + 1);
    assert.equal(guideNeededUntil(pins[0]!), 10 + COLOUR_WINDOW - 1);
  });
});

describe('editLook', () => {
  it('is deterministic, reads time, colour and look words, and changes the table with them', () => {
    const a = editLook('the street at night in blue', 'auto');
    assert.equal(a.time, 'night');
    assert.deepEqual(a.colors, ['blue']);
    assert.equal(a.cube, editLook('the street at night in blue', 'auto').cube);
    assert.notEqual(a.cube, editLook('the street at dawn', 'auto').cube);
    assert.match(a.cube, new RegExp(`^LUT_3D_SIZE ${CUBE_SIZE}\\n`));
    assert.equal(a.cube.trim().split('\n').length, 3 + CUBE_SIZE ** 3);
    assert.deepEqual(editLook('a watercolor', 'auto').looks, ['watercolor']);
    assert.deepEqual(editLook('x', 'manga').looks, ['manga']);
  });
});
