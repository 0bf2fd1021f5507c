// The styles in real renders: one prompt per look through the engine, measured on the decoded file; and the
// same looks as image_edit prompts on one source, where the composition (and so its subjects) must survive.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { lumaCorrelation, meanSaturation } from '../../../media/metrics.js';
import { decodeImage, encodeImage, resizeRaw } from '../../../media/raster.js';
import type { RawImage } from '../../../media/raw-image.js';
import { ReferenceEngine } from '../reference.engine.js';
import { imageRequest, makeJob, media } from '../testing/test-support.js';
import {
  brightest,
  cornerToCentre,
  distinctColors,
  meanLumaOf,
  mixedCells,
  paperAndStrokes,
  toneHue,
} from '../testing/look-measure.js';
import { PIXEL_CELLS } from './looks.js';

const SCENE = 'a lighthouse on a rocky coast with a boat at sunset';

/** Luma edges of a small image: pixels whose neighbours differ by more than 0.06 in luma. */
const edges = (img: RawImage): boolean[] => {
  const l = (i: number): number =>
    (0.2126 * img.data[i * 3]! + 0.7152 * img.data[i * 3 + 1]! + 0.0722 * img.data[i * 3 + 2]!) / 255;
  return Array.from({ length: img.width * img.height }, (_, i) => {
    const x = i % img.width;
    const y = Math.floor(i / img.width);
    if (x === 0 || y === 0 || x === img.width - 1 || y === img.height - 1) return false;
    return Math.abs(l(i + 1) - l(i - 1)) + Math.abs(l(i + img.width) - l(i - img.width)) > 0.06;
  });
};

/** Mean brightness of `lit` on the edges of `src` over its mean elsewhere (same size). */
const lightOnEdges = (src: RawImage, lit: RawImage): { ratio: number; edgePixels: number } => {
  const e = edges(src);
  let on = 0;
  let off = 0;
  let n = 0;
  e.forEach((isEdge, i) => {
    const v = lit.data[i * 3]! + lit.data[i * 3 + 1]! + lit.data[i * 3 + 2]!;
    if (isEdge) {
      on += v;
      n++;
    } else off += v;
  });
  return { ratio: on / Math.max(1, n) / (off / Math.max(1, e.length - n)), edgePixels: n };
};

const shape = (img: RawImage): Promise<RawImage> => resizeRaw(img, 64, 36);

describe('reference engine: styles that show', () => {
  const engine = new ReferenceEngine({ threads: 2 });
  after(() => engine.close());

  const render = async (prompt: string, full = false): Promise<RawImage> => {
    const [file] = await engine.render(await makeJob(imageRequest({ prompt })));
    return decodeImage(file!.path, full ? {} : { fit: { width: 512, height: 288 } });
  };

  it('text-to-image: oil, pixel art, neon, vintage and sketch each read as themselves', async () => {
    // The prompt is the seed, so each render is its own composition: only the look is compared.
    const [plain, oil, pixel, neon, vintage, sketch] = await Promise.all([
      render(SCENE),
      render(`an oil painting of ${SCENE}`),
      render(`pixel art of ${SCENE}`, true),
      render(`neon synthwave, ${SCENE}`),
      render(`a vintage photo of ${SCENE}`),
      render(`a pencil sketch of ${SCENE}`),
    ]);
    assert.ok(meanSaturation(oil) > meanSaturation(plain) * 0.9, `oil saturation ${meanSaturation(oil)}`);
    const cell = Math.max(2, Math.round(Math.max(pixel.width, pixel.height) / PIXEL_CELLS));
    assert.equal(mixedCells(pixel, cell), 0);
    assert.ok(distinctColors(pixel) <= 16, `pixel colours ${distinctColors(pixel)}`);
    assert.ok(meanLumaOf(neon) < 0.15, `neon luma ${meanLumaOf(neon)}`);
    assert.ok(brightest(neon, 0.01).sat > 0.6, `neon brightest saturation ${brightest(neon, 0.01).sat}`);
    const mid = toneHue(vintage, 0.25, 0.75);
    assert.ok(mid.hue >= 20 && mid.hue <= 50, `vintage hue ${mid.hue}`);
    assert.ok(
      meanSaturation(vintage) < meanSaturation(plain),
      `vintage saturation ${meanSaturation(vintage)}`,
    );
    assert.ok(cornerToCentre(vintage) < cornerToCentre(plain), `vintage corners ${cornerToCentre(vintage)}`);
    const s = paperAndStrokes(sketch);
    assert.ok(s.paper > 0.4 && s.dark > 0.002 && s.dark < 0.25 && s.sat < 0.06, JSON.stringify(s));
  });
});

describe('reference engine: styles as image_edit prompts', () => {
  const engine = new ReferenceEngine({ threads: 2 });
  let sourcePath = '';
  let source: RawImage;
  before(async () => {
    const job = await makeJob(imageRequest({ prompt: SCENE }));
    const [file] = await engine.render(job);
    source = await decodeImage(file!.path, { fit: { width: 800, height: 450 } });
    sourcePath = `${job.scratchDir}/source.png`;
    await writeFile(sourcePath, await encodeImage(source.data, source.width, source.height, 'png'));
  });
  after(() => engine.close());

  const edit = async (prompt: string): Promise<RawImage> => {
    const job = await makeJob(imageRequest({ type: 'image_edit', prompt }), {
      source: media('source', sourcePath, source.width, source.height),
    });
    const [file] = await engine.render(job);
    return decodeImage(file!.path);
  };

  it('applies each look and keeps the picture, subjects included', async () => {
    const [oil, pixel, neon, vintage, sketch] = await Promise.all([
      edit('as an oil painting'),
      edit('make it pixel art'),
      edit('neon'),
      edit('turn it into a vintage photo'),
      edit('a pencil sketch'),
    ]);
    const base = await shape(source);
    for (const [name, img, min] of [
      ['oil', oil, 0.85],
      ['pixel', pixel, 0.85],
      ['vintage', vintage, 0.85],
      ['sketch', sketch, 0.6],
    ] as const) {
      assert.deepEqual([img.width, img.height], [source.width, source.height], name);
      const r = lumaCorrelation(base, await shape(img));
      assert.ok(r > min, `${name}: composition ${r}`);
    }
    const cell = Math.max(2, Math.round(Math.max(pixel.width, pixel.height) / PIXEL_CELLS));
    assert.equal(mixedCells(pixel, cell), 0);
    // Neon keeps the subjects as light: its glow lies on the source's edges.
    assert.ok(meanLumaOf(neon) < 0.15, `neon luma ${meanLumaOf(neon)}`);
    const small = await resizeRaw(source, 160, 90);
    const lit = lightOnEdges(small, await resizeRaw(neon, 160, 90));
    assert.ok(lit.edgePixels > 50 && lit.ratio > 2, JSON.stringify(lit));
  });
});
