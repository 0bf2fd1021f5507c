import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateFlow, type GreyImage } from './flow.js';

// A smooth, non-periodic texture that can be sampled at any sub-pixel offset.
const texture = (x: number, y: number): number =>
  Math.sin(x * 0.3) + Math.cos(y * 0.23) + Math.sin((x + y) * 0.11) + 0.5 * Math.sin(x * 0.07 - y * 0.19);

const image = (w: number, h: number, dx: number, dy: number): GreyImage => {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = texture(x - dx, y - dy);
  return { width: w, height: h, data };
};

test('flow recovers a sub-pixel shift of a texture within 1 px', () => {
  const [w, h] = [128, 96];
  // b is a moved right by 6.4 px and up by 3.3 px, so pixel (x, y) of a is found at (x + 6.4, y − 3.3).
  const f = estimateFlow(image(w, h, 0, 0), image(w, h, 6.4, -3.3));
  let worst = 0;
  for (let y = 16; y < h - 16; y += 4) {
    for (let x = 16; x < w - 16; x += 4) {
      const i = y * w + x;
      worst = Math.max(worst, Math.hypot(f.u[i]! - 6.4, f.v[i]! + 3.3));
    }
  }
  assert.ok(worst < 1, `worst error ${worst.toFixed(3)} px`);
});

test('flow of identical images is zero', () => {
  const img = image(64, 48, 0, 0);
  const f = estimateFlow(img, img);
  assert.ok(f.u.every((u) => Math.abs(u) < 1e-3) && f.v.every((v) => Math.abs(v) < 1e-3));
});
