import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { frameRgb } from '../../../media/ffmpeg/probe.js';
import { writeRgbPng } from '../../../media/stills.js';
import { FFMPEG, framePsnr, probe, render, resolved, videoRequest } from '../testing/video-test-support.js';

const [W, H] = [640, 360];
const RADIUS = 40;
const [AX, BX, CY] = [240, 400, 180]; // the disc moves 160 px to the right

/** A bright disc on a dark background. */
const disc = (cx: number): Uint8Array => {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = Math.hypot(x - cx, y - CY) < RADIUS ? 235 : 20;
      rgb.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  }
  return rgb;
};

const luma = (rgb: Uint8Array, x: number, y: number): number => {
  const i = (y * W + x) * 3;
  return 0.2126 * rgb[i]! + 0.7152 * rgb[i + 1]! + 0.0722 * rgb[i + 2]!;
};

test('between two pins the picture morphs along the motion: one disc travels, none fades', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-morph-'));
  const [a, b] = [join(dir, 'a.png'), join(dir, 'b.png')];
  await writeRgbPng(disc(AX), W, H, a);
  await writeRgbPng(disc(BX), W, H, b);
  const { files } = await render(videoRequest('x', { resolution: '360p' }, '16:9'), {
    startFrame: resolved('video.start_frame', a, 'image', W, H),
    endFrame: resolved('video.end_frame', b, 'image', W, H),
  });
  const path = files[0]!.path;
  assert.equal((await probe(path)).frames, 121);
  assert.ok((await framePsnr(path, 0, a, W, H)) >= 35);
  assert.ok((await framePsnr(path, 120, b, W, H)) >= 35);

  const mid = await frameRgb(FFMPEG, path, 60);
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (luma(mid, x, y) > 128) {
        area++;
        sx += x;
        sy += y;
      }
    }
  }
  const discArea = Math.PI * RADIUS * RADIUS;
  const cx = sx / Math.max(1, area);
  const cy = sy / Math.max(1, area);
  const atA = luma(mid, AX, CY);
  const atB = luma(mid, BX, CY);
  const report = `area ${area} (disc ${Math.round(discArea)}), centroid (${cx.toFixed(1)}, ${cy.toFixed(1)}), at A ${atA.toFixed(0)}, at B ${atB.toFixed(0)}`;
  // A cross-fade shows two half-bright discs (~128) at A and B and nothing in between.
  const halfBright = (v: number): boolean => v > 80 && v < 180;
  assert.ok(!(halfBright(atA) && halfBright(atB)), `cross-fade: ${report}`);
  assert.ok(atA < 80 && atB < 80, `the disc has left A and not yet reached B: ${report}`);
  // One whole disc, near the midpoint (the breathing camera moves it by a few px).
  assert.ok(area > 0.6 * discArea && area < 1.5 * discArea, report);
  assert.ok(Math.abs(cx - (AX + BX) / 2) < 0.2 * (BX - AX), report);
  assert.ok(Math.abs(cy - CY) < 0.2 * (BX - AX), report);
  assert.ok(luma(mid, Math.round(cx), Math.round(cy)) > 180, `full brightness: ${report}`);
  console.log(`morph middle frame: ${report}`);
});
