import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lumaCorrelation, meanSaturation } from '../../../media/metrics.js';
import { resizeRaw } from '../../../media/raster.js';
import type { RawImage } from '../../../media/raw-image.js';
import { planEdit } from '../image-edit/edit-plan.js';
import { findLooks, findTime, type LookWord } from '../scene/scene.js';
import {
  blockVariance,
  brightest,
  copyImage,
  cornerToCentre,
  distinctColors,
  meanLumaOf,
  mixedCells,
  paperAndStrokes,
  ridgeContrast,
  syntheticScene,
  toneHue,
} from '../testing/look-measure.js';
import {
  PIXEL_CELLS,
  inkLook,
  mangaLook,
  monochromeLook,
  neonLook,
  oilLook,
  pixelArtLook,
  vintageLook,
  watercolorLook,
} from './looks.js';

const W = 1024;
const H = 576;
const src = syntheticScene(W, H);
const run = (look: (img: RawImage) => void): RawImage => {
  const img = copyImage(src);
  look(img);
  return img;
};
/** Composition survives: luma correlation after shrinking away strokes, dots and blocks. */
const composition = async (img: RawImage): Promise<number> =>
  lumaCorrelation(await resizeRaw(src, 64, 36), await resizeRaw(img, 64, 36));
const HILLS = [0.05, 0.74, 0.95, 0.98] as const;

describe('finishing looks on pixels', () => {
  it('pixel art: every cell of the coarse grid is one colour, from a palette of at most 16', async () => {
    const out = run(pixelArtLook);
    const cell = Math.max(2, Math.round(Math.max(W, H) / PIXEL_CELLS));
    assert.ok(mixedCells(src, cell) > 0.3, 'the source is not already blocky');
    assert.equal(mixedCells(out, cell), 0);
    const colours = distinctColors(out);
    assert.ok(colours <= 16 && colours >= 6, `${colours} colours`);
    const r = await composition(out);
    assert.ok(r > 0.85, `composition ${r}`);
  });

  it('neon: a dark picture whose brightest pixels are saturated light', () => {
    const out = run(neonLook);
    assert.ok(meanLumaOf(src) > 0.3);
    assert.ok(meanLumaOf(out) < 0.12, `mean luma ${meanLumaOf(out)}`);
    const top = brightest(out, 0.01);
    assert.ok(top.luma > 0.45, `brightest luma ${top.luma}`);
    assert.ok(top.sat > 0.6, `brightest saturation ${top.sat}`);
    // The glow follows the picture's edges: the ridge line is lit, so the shapes are still there.
    assert.ok(ridgeContrast(out) > 0.05, `ridge ${ridgeContrast(out)}`);
  });

  it('vintage photo: sepia mid-tones, less colour than the source, darker corners', async () => {
    const out = run(vintageLook);
    const mid = toneHue(out, 0.3, 0.7);
    assert.ok(mid.count > W * H * 0.1);
    assert.ok(mid.hue >= 20 && mid.hue <= 50, `mid-tone hue ${mid.hue}`);
    assert.ok(meanSaturation(out) < meanSaturation(src) * 0.7, `saturation ${meanSaturation(out)}`);
    assert.ok(cornerToCentre(out) < cornerToCentre(src) * 0.85, `corners ${cornerToCentre(out)}`);
    // Soft focus: fine texture is softened.
    assert.ok(blockVariance(out, ...HILLS) < blockVariance(src, ...HILLS));
    const r = await composition(out);
    assert.ok(r > 0.85, `composition ${r}`);
  });

  it('oil painting: texture within patches flattened, edges kept', async () => {
    const out = run(oilLook);
    const before = blockVariance(src, ...HILLS);
    const after = blockVariance(out, ...HILLS);
    assert.ok(after < before * 0.6, `local variance ${after} vs ${before}`);
    const edge = ridgeContrast(out) / ridgeContrast(src);
    assert.ok(edge > 0.6, `edge energy ratio ${edge}`);
    assert.ok(meanSaturation(out) > meanSaturation(src) * 0.9, 'the colour stays rich');
    const r = await composition(out);
    assert.ok(r > 0.85, `composition ${r}`);
  });

  it('sketch: mostly bare paper, a small share of dark graphite, next to no colour', async () => {
    const out = run(inkLook);
    const m = paperAndStrokes(out);
    assert.ok(m.paper > 0.5, `paper ${m.paper}`);
    assert.ok(m.dark > 0.003 && m.dark < 0.2, `dark ${m.dark}`);
    assert.ok(m.sat < 0.06, `saturation ${m.sat}`);
    const r = await composition(out);
    assert.ok(r > 0.6, `composition ${r}`);
  });

  it('watercolour: lighter washes, fine texture softened', () => {
    const out = run(watercolorLook);
    assert.ok(meanLumaOf(out) > meanLumaOf(src));
    assert.ok(blockVariance(out, ...HILLS) < blockVariance(src, ...HILLS) * 0.7);
  });

  it('every look is deterministic: the same pixels give the same bytes', () => {
    for (const look of [
      mangaLook,
      inkLook,
      watercolorLook,
      monochromeLook,
      oilLook,
      pixelArtLook,
      neonLook,
      vintageLook,
    ]) {
      assert.ok(Buffer.from(run(look).data).equals(Buffer.from(run(look).data)), look.name);
    }
  });
});

describe('look words', () => {
  const cases: [LookWord, string[]][] = [
    ['oil', ['an oil painting', 'oil on canvas', 'painted in oils', 'thick impasto', 'a painterly harbour']],
    [
      'pixel',
      ['pixel art', 'a pixelated forest', '8-bit castle', 'a 16-bit sunset', '16 bit', 'like a retro game'],
    ],
    [
      'ink',
      ['a pencil sketch', 'charcoal drawing', 'line art', 'pen and ink', 'cross-hatching', 'graphite study'],
    ],
    ['neon', ['neon city', 'synthwave sunset', 'vaporwave', 'glowing lines over the sea']],
    [
      'vintage',
      [
        'a vintage photo',
        'retro photo',
        'an old photograph',
        'sepia harbour',
        'polaroid',
        'film photo',
        'the 1970s',
      ],
    ],
    ['watercolor', ['watercolour', 'a watercolor of the bay', 'gouache']],
    ['monochrome', ['black and white', 'greyscale', 'film noir']],
  ];
  for (const [look, phrases] of cases)
    it(`recognises ${look}`, () => {
      for (const p of phrases) assert.ok(findLooks(p).includes(look), `${p} → ${findLooks(p).join()}`);
    });

  it('ignores words that only contain a look word', () => {
    for (const p of [
      'a pink sky',
      'thinking of home',
      'blinking lights',
      'rich soil',
      'toiling farmers',
      'an oily sea',
      'a bit of fog',
      'retrograde planets',
      'the 1990s',
      'a photo of the coast',
      'a pixie',
    ])
      assert.deepEqual(findLooks(p), [], p);
  });

  it('applies tone looks after painting looks and pixel art last', () => {
    assert.deepEqual(findLooks('pixel art of an old sepia photo in oils'), ['oil', 'vintage', 'pixel']);
  });

  it('neon still means night, and adds the look', () => {
    assert.equal(findTime('a neon city'), 'night');
    assert.deepEqual(findLooks('a neon city'), ['neon']);
  });

  it('image_edit prompts name the new looks', () => {
    assert.deepEqual(planEdit('make it pixel art', 'auto', 0).looks, ['pixel']);
    assert.deepEqual(planEdit('as an oil painting', 'auto', 0).looks, ['oil']);
    assert.deepEqual(planEdit('turn it into a vintage photo', 'auto', 0).looks, ['vintage']);
    assert.deepEqual(planEdit('synthwave', 'manga', 0).looks, ['manga', 'neon']);
    assert.equal(planEdit('as an oil painting', 'auto', 0).fallbackGrade, false);
  });
});
