import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alphaBox, scaleBox } from './raster.js';

const image = (w: number, h: number, opaque: Array<[number, number]>): Uint8Array => {
  const rgba = new Uint8Array(w * h * 4);
  for (const [x, y] of opaque) rgba[(y * w + x) * 4 + 3] = 1;
  return rgba;
};

test('alphaBox: the smallest box around non-zero alpha, padded and clamped', () => {
  assert.equal(alphaBox(image(8, 6, []), 8, 6), null);
  assert.deepEqual(alphaBox(image(8, 6, [[2, 1]]), 8, 6), { x: 2, y: 1, width: 1, height: 1 });
  assert.deepEqual(
    alphaBox(
      image(8, 6, [
        [2, 1],
        [5, 4],
        [3, 2],
      ]),
      8,
      6,
    ),
    { x: 2, y: 1, width: 4, height: 4 },
  );
  assert.deepEqual(
    alphaBox(
      image(8, 6, [
        [0, 0],
        [7, 5],
      ]),
      8,
      6,
      2,
    ),
    { x: 0, y: 0, width: 8, height: 6 },
  );
  assert.deepEqual(alphaBox(image(8, 6, [[4, 3]]), 8, 6, 1), { x: 3, y: 2, width: 3, height: 3 });
});

test('scaleBox: maps a raster box onto the canvas it is stretched over', () => {
  const canvas = { width: 2150, height: 1166 };
  assert.deepEqual(scaleBox({ x: 0, y: 0, width: 538, height: 292 }, 2150 / 538, 1166 / 292, canvas), {
    x: 0,
    y: 0,
    width: 2150,
    height: 1166,
  });
  assert.deepEqual(scaleBox({ x: 10, y: 5, width: 20, height: 10 }, 4, 4, canvas), {
    x: 40,
    y: 20,
    width: 80,
    height: 40,
  });
});
