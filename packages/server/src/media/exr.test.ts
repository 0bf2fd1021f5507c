import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeExr, toHalf } from './exr.js';
import { readExr } from './exr-read.js';
import { fromHalf } from './half.js';
import { crc32 } from './zip.js';

test('half floats round-trip and saturate', () => {
  for (const v of [0, 1, -2.5, 0.18, 4.93, 65504, 1e-5]) {
    assert.ok(Math.abs(fromHalf(toHalf(v)) - v) <= Math.abs(v) * 1e-3 + 6e-8, String(v));
  }
  assert.equal(fromHalf(toHalf(1e9)), 65504);
  assert.equal(toHalf(1), 0x3c00);
});

test('EXR ZIP frames read back with their values and AP0 chromaticities', () => {
  const w = 37;
  const h = 21; // not a multiple of the 16-line block
  const value = (x: number, y: number, c: number): number => (x + y * w) / 100 + c;
  const buf = encodeExr(w, h, (y, c, out) => {
    for (let x = 0; x < w; x++) out[x] = toHalf(value(x, y, c));
  });
  const img = readExr(buf);
  assert.deepEqual([img.width, img.height], [w, h]);
  assert.deepEqual([...img.channels.keys()], ['B', 'G', 'R']);
  const r = img.channels.get('R')!;
  assert.ok(Math.abs(r[5 * w + 7]! - value(7, 5, 2)) < 0.01);
  assert.ok(img.attributes.has('chromaticities'));
  assert.equal(img.attributes.get('compression')?.[0], 3);
});

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});
