// The video_edit looks through the shipped ffmpeg: every chain parses, keeps the frame size, and shows the
// same signature as its still look (measured like image/looks.test.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { meanSaturation } from '../../../media/metrics.js';
import { encodeImage } from '../../../media/raster.js';
import type { RawImage } from '../../../media/raw-image.js';
import { PIXEL_CELLS } from '../image/looks.js';
import {
  blockVariance,
  cornerToCentre,
  litSaturation,
  meanLumaOf,
  mixedCells,
  syntheticScene,
  toneHue,
} from '../testing/look-measure.js';
import { FFMPEG } from '../testing/video-test-support.js';
import { TO_RGB, TO_YUV, lookChain, type EditLookFilter } from './edit-args.js';

const run = promisify(execFile);
// 576×324: the pixel grid (4 px cells, 144×81) divides the frame exactly.
const size = { width: 576, height: 324 };
const HILLS = [0.05, 0.74, 0.95, 0.98] as const;

describe('video_edit look chains (real ffmpeg)', () => {
  let dir = '';
  let input = '';
  const src = syntheticScene(size.width, size.height);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-looks-'));
    input = join(dir, 'scene.png');
    await writeFile(input, await encodeImage(src.data, size.width, size.height, 'png'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const frame = async (look: EditLookFilter, picture?: RawImage): Promise<RawImage> => {
    const file = picture ? join(dir, `${look}.png`) : input;
    if (picture) await writeFile(file, await encodeImage(picture.data, size.width, size.height, 'png'));
    const vf = `${TO_YUV},${lookChain(look, size)},${TO_RGB},format=rgb24`;
    const args = ['-v', 'error', '-nostdin', '-i', file, '-vf', vf, '-frames:v', '1'];
    const { stdout } = await run(FFMPEG, [...args, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
      encoding: 'buffer',
      maxBuffer: 1 << 24,
    });
    assert.equal(stdout.length, size.width * size.height * 3, look);
    return { ...size, data: new Uint8Array(stdout) };
  };

  it('every look parses and keeps the frame size', async () => {
    const all: EditLookFilter[] = [
      'manga',
      'ink',
      'watercolor',
      'monochrome',
      'oil',
      'pixel',
      'neon',
      'vintage',
    ];
    await Promise.all(all.map((look) => frame(look)));
  });

  it('pixel art: flat cells on the coarse grid', async () => {
    const out = await frame('pixel');
    const cell = Math.max(2, Math.round(Math.max(size.width, size.height) / PIXEL_CELLS));
    assert.ok(mixedCells(src, cell) > 0.3);
    assert.equal(mixedCells(out, cell), 0);
  });

  it('neon: dark, with saturated light', async () => {
    // Gentle grain, as in a render: a per-frame edge detector lights up every speck of heavy noise.
    const out = await frame('neon', syntheticScene(size.width, size.height, 6));
    assert.ok(meanLumaOf(out) < 0.15, `luma ${meanLumaOf(out)}`);
    const lit = litSaturation(out, 0.25);
    assert.ok(lit.share > 0.005 && lit.sat > 0.5, JSON.stringify(lit));
  });

  it('vintage: sepia mid-tones, less colour, darker corners', async () => {
    const out = await frame('vintage');
    const mid = toneHue(out, 0.3, 0.7);
    assert.ok(mid.hue >= 15 && mid.hue <= 55, `hue ${mid.hue}`);
    assert.ok(meanSaturation(out) < meanSaturation(src) * 0.7, `saturation ${meanSaturation(out)}`);
    assert.ok(cornerToCentre(out) < cornerToCentre(src) * 0.9, `corners ${cornerToCentre(out)}`);
  });

  it('oil: fine texture flattened', async () => {
    const out = await frame('oil');
    const before = blockVariance(src, ...HILLS);
    const after = blockVariance(out, ...HILLS);
    assert.ok(after < before * 0.8, `local variance ${after} vs ${before}`);
  });
});
