import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageToLab, labStats, labToRgb, rgbToLab, transferLab } from './color.js';
import { extractPalette, laplacianEnergy, lumaCorrelation } from './metrics.js';
import type { RawImage } from './raw-image.js';

const solid = (w: number, h: number, f: (x: number, y: number) => [number, number, number]): RawImage => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 3);
  return { width: w, height: h, data };
};

describe('colour math', () => {
  it('round-trips sRGB through Lab', () => {
    for (const c of [
      [0, 0, 0],
      [255, 255, 255],
      [200, 40, 90],
      [12, 180, 250],
    ] as const) {
      const back = labToRgb(rgbToLab(c));
      for (let i = 0; i < 3; i++) assert.ok(Math.abs(back[i]! - c[i]!) < 0.5, `${c.join()} → ${back.join()}`);
    }
  });
  it('a full Reinhard transfer matches the target mean', () => {
    const img = solid(16, 16, (x, y) => [x * 10, y * 10, 80]);
    const planes = imageToLab(img);
    const target = {
      mean: [60, 30, -20] as [number, number, number],
      std: [10, 5, 5] as [number, number, number],
    };
    transferLab(planes, target, 1);
    const s = labStats(planes);
    assert.ok(Math.abs(s.mean[1] - 30) < 0.01 && Math.abs(s.mean[2] + 20) < 0.01);
  });
  it('extracts the dominant colours by weight', () => {
    const img = solid(10, 10, (x) => (x < 7 ? [250, 10, 10] : [10, 10, 250]));
    const p = extractPalette(img, 2);
    assert.deepEqual(
      p.map((e) => e.color.map(Math.round)),
      [
        [250, 10, 10],
        [10, 10, 250],
      ],
    );
    assert.ok(Math.abs(p[0]!.weight - 0.7) < 1e-9);
  });
  it('metrics: flat images have no Laplacian energy; an image correlates with itself', () => {
    const flat = solid(8, 8, () => [90, 90, 90]);
    assert.equal(laplacianEnergy(flat), 0);
    const ramp = solid(8, 8, (x, y) => [x * 30, y * 30, 0]);
    assert.ok(Math.abs(lumaCorrelation(ramp, ramp) - 1) < 1e-9);
  });
});
