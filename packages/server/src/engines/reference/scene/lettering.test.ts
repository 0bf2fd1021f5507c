import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawLettering, letterPath, type Box } from './lettering.js';

const inside = (b: Box, box: Box): boolean =>
  b.x >= box.x && b.y >= box.y && b.x + b.w <= box.x + box.w && b.y + b.h <= box.y + box.h;

/** Every coordinate of a path `d` (commands are absolute; numbers come in x, y pairs). */
const points = (d: string): [number, number][] => {
  const nums = (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  const pts: [number, number][] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) pts.push([nums[i]!, nums[i + 1]!]);
  return pts;
};

describe('words → outlines', () => {
  const box: Box = { x: 100, y: 50, w: 600, h: 120 };

  it('is a path, never <text>, and every point lies inside the box', () => {
    for (const face of ['display', 'serif'] as const) {
      const p = letterPath('Bean There', box, { face });
      assert.ok(p.d.length > 200, face);
      assert.match(p.d, /^M[\d.]+ [\d.]+/);
      assert.doesNotMatch(p.d, /<text/);
      assert.ok(inside(p.bounds, box), `${face}: ${JSON.stringify(p.bounds)}`);
      for (const [x, y] of points(p.d)) assert.ok(inside({ x, y, w: 0, h: 0 }, box), `${face}: ${x},${y}`);
      // Centred, and as large as the box allows in one direction.
      assert.ok(Math.abs(p.bounds.x + p.bounds.w / 2 - 400) < 1);
      assert.ok(Math.abs(p.bounds.y + p.bounds.h / 2 - 110) < 1);
      assert.ok(p.bounds.w > 598 || p.bounds.h > 118, JSON.stringify(p.bounds));
    }
  });

  it('is the same string for the same input', () => {
    const a = letterPath('Summer Nights', box, { face: 'serif', maxLines: 2 });
    assert.deepEqual(a, letterPath('Summer Nights', box, { face: 'serif', maxLines: 2 }));
  });

  it('breaks long text into two lines when the box is tall enough, one otherwise', () => {
    const text = 'The Lord of the Rings and more';
    const tall = letterPath(text, { x: 0, y: 0, w: 400, h: 300 }, { face: 'display', maxLines: 2 });
    assert.equal(tall.lines, 2);
    const wide = letterPath(text, { x: 0, y: 0, w: 1200, h: 80 }, { face: 'display', maxLines: 2 });
    assert.equal(wide.lines, 1);
    assert.equal(
      letterPath('OPEN', { x: 0, y: 0, w: 100, h: 300 }, { face: 'display', maxLines: 2 }).lines,
      1,
    );
    assert.ok(inside(tall.bounds, { x: 0, y: 0, w: 400, h: 300 }));
  });

  it('kerns with the font\'s pairs: "AV" sits tighter than unkerned', () => {
    const box = { x: 0, y: 0, w: 10000, h: 100 };
    const kerned = letterPath('AV', box, { face: 'display' });
    const plain = letterPath('AV', box, { face: 'display', kerning: false });
    assert.ok(Math.abs(kerned.em - plain.em) < 0.01, 'same size');
    assert.ok(
      plain.bounds.w - kerned.bounds.w > 0.02 * kerned.em,
      JSON.stringify([kerned.bounds, plain.bounds]),
    );
  });

  it('skips glyphs no font has, uses the extended Latin file, and never throws', () => {
    const mixed = letterPath('Caf\u00e9 \u0141\u00f3d\u017a \u65e5\u672c \u2615', box, { face: 'serif' });
    const plain = letterPath('Caf\u00e9 \u0141\u00f3d\u017a', box, { face: 'serif' });
    assert.ok(mixed.d.length > 100);
    assert.ok(mixed.d.length >= plain.d.length * 0.95, 'the Latin letters are all drawn');
    const none = letterPath('\u65e5\u672c\u8a9e \u2615', box, { face: 'display' });
    assert.equal(none.d, '');
    assert.equal(none.lines, 0);
    assert.equal(drawLettering({ text: '\u65e5\u672c', kind: 'sign' }, { w: 800, h: 450 }, 'day'), '');
    assert.equal(letterPath('', box, { face: 'display' }).d, '');
  });
});
