// Edits that do what they say (issue 14 part 5), each checked by a measurement on the pixels: snow on
// upward surfaces, rain, fog, autumn, sunset, lamps that shine after "night", an added subject where its
// mask says, and a named subject repainted in the named colour while the rest stays as it was.
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { imageRatio, imageSize } from '../../../contract/sizes.js';
import { parseCreateRequest } from '../../../contract/validate-create.js';
import { rgbToHsv } from '../../../media/color.js';
import { decodeImage, rasterizeSvg } from '../../../media/raster.js';
import { luminance, type RawImage } from '../../../media/raw-image.js';
import { renderImage } from '../image/render-image.js';
import { figureSilhouette, stageFigures, type Figure } from '../scene/figures.js';
import { buildPalette } from '../scene/palette.js';
import { hashString } from '../scene/rng.js';
import { parseScene } from '../scene/scene.js';
import { bandMean, hueFraction, whiteFraction } from '../testing/test-measure.js';
import { planEdit } from './edit-plan.js';
import { renderImageEdit } from './render-edit.js';
import { addedMask, placeAdded } from './subject-edits.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umbra-edit-effects-'));
});

let counter = 0;
/** Renders a text-to-image source; returns its path and pixels. */
const source = async (prompt: string): Promise<{ path: string; img: RawImage }> => {
  const request = { ...parseCreateRequest({ prompt }, { hdrAccess: true }), output_format: 'png' as const };
  const out = await renderImage(
    { kind: 'image', request, sourcePath: null, refPaths: [], outBase: join(dir, `s${counter++}`) },
    () => undefined,
  );
  return { path: out.path, img: await decodeImage(out.path) };
};

/** Edits `sourcePath` with `prompt`; returns the result's pixels. */
const edit = async (sourcePath: string, prompt: string): Promise<RawImage> => {
  const request = {
    ...parseCreateRequest(
      { type: 'image_edit', prompt, source: { url: 'https://example.com/a.png' } },
      { hdrAccess: true },
    ),
    output_format: 'png' as const,
  };
  const out = await renderImageEdit(
    { kind: 'image_edit', request, sourcePath, refPaths: [], outBase: join(dir, `e${counter++}`) },
    () => undefined,
  );
  return decodeImage(out.path);
};

/** Where the source scene drew its subjects, as masks at the image's size. */
const subjectMask = async (prompt: string, name: string): Promise<Uint8Array> => {
  const scene = parseScene(prompt, hashString(prompt));
  const { width: w, height: h } = imageSize(imageRatio({ aspect_ratio: null, style: 'auto' }));
  const figures = stageFigures(scene, { w, h, horizonY: h * scene.horizon });
  const mine = figures.filter((f: Figure) => scene.composition.mentions[f.mention]!.entry.name === name);
  assert.ok(mine.length > 0, `${name} is drawn in "${prompt}"`);
  const pal = buildPalette(scene, []);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#000"/>${mine.map((f) => figureSilhouette(f, pal, '#fff')).join('')}</svg>`;
  const raster = await rasterizeSvg(svg, w, h);
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) mask[i] = raster.data[i * 3]! > 127 ? 1 : 0;
  return mask;
};

const meanDiff = (a: RawImage, b: RawImage, mask: Uint8Array | null, inside: boolean): number => {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (mask && (mask[i] === 1) !== inside) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i * 3 + c]! - b.data[i * 3 + c]!);
    n += 3;
  }
  return sum / Math.max(1, n);
};

const meanHueSat = (img: RawImage, mask: Uint8Array): { hue: number; sat: number } => {
  let x = 0;
  let y = 0;
  let sat = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const [h, s] = rgbToHsv([img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!]);
    x += Math.cos((h * Math.PI) / 180) * s;
    y += Math.sin((h * Math.PI) / 180) * s;
    sat += s;
    n++;
  }
  return { hue: ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360, sat: sat / Math.max(1, n) };
};

const lumaStd = (img: RawImage): number => {
  const l = luminance(img);
  const mean = l.reduce((a, b) => a + b, 0) / l.length;
  return Math.sqrt(l.reduce((a, b) => a + (b - mean) ** 2, 0) / l.length);
};

describe('image_edit: edits that do what they say (issue 14 part 5)', () => {
  it('reads each edit from its words', () => {
    assert.equal(planEdit('make it winter', 'auto', 0).weather, 'snow');
    assert.equal(planEdit('everything covered in snow', 'auto', 0).weather, 'snow');
    assert.equal(planEdit('add rain', 'auto', 0).weather, 'rain');
    assert.equal(planEdit('make it foggy', 'auto', 0).weather, 'fog');
    assert.equal(planEdit('autumn colours', 'auto', 0).autumn, true);
    assert.equal(planEdit('at night', 'auto', 0).time, 'night');
    assert.deepEqual(
      planEdit('add a dog', 'auto', 0).add.map((m) => m.entry.name),
      ['dog'],
    );
    const r = planEdit('make the car red', 'auto', 0);
    assert.deepEqual([r.repaint?.entry.name, r.repaint?.color, r.colors], ['car', 'red', []]);
    assert.equal(planEdit('make the cat black', 'auto', 0).repaint?.color, 'black');
    for (const p of ['make it winter', 'add a dog', 'make the car red', 'add rain'])
      assert.equal(planEdit(p, 'auto', 0).fallbackGrade, false, p);
  });

  it('winter: snow settles on the roof and the ground, not in the sky, under a colder light', async () => {
    const prompt = 'a house in a meadow at noon';
    const src = await source(prompt);
    const roof = await subjectMask(prompt, 'house');
    for (const words of ['make it winter', 'everything covered in snow']) {
      const out = await edit(src.path, words);
      // Upward surfaces: the top fifth of the house's own outline (its roof) turns white.
      const { width: w } = src.img;
      let top = Infinity;
      let bottom = 0;
      for (let i = 0; i < roof.length; i++)
        if (roof[i]) {
          top = Math.min(top, Math.floor(i / w));
          bottom = Math.max(bottom, Math.floor(i / w));
        }
      const band = new Uint8Array(roof.length);
      for (let i = 0; i < roof.length; i++) {
        const y = Math.floor(i / w);
        if (roof[i] && y < top + (bottom - top) * 0.2) band[i] = 1;
      }
      const white = (img: RawImage): number => {
        let hits = 0;
        let n = 0;
        for (let i = 0; i < band.length; i++) {
          if (!band[i]) continue;
          n++;
          const [, s, v] = rgbToHsv([img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!]);
          if (v > 0.75 && s < 0.2) hits++;
        }
        return hits / n;
      };
      assert.ok(white(out) > white(src.img) + 0.15, `roof top white: ${white(src.img)} → ${white(out)}`);
      const ground = [whiteFraction(src.img, 0.85, 1), whiteFraction(out, 0.85, 1)];
      assert.ok(ground[1]! > 0.5 && ground[1]! > ground[0]! + 0.4, `ground white: ${ground.join(' → ')}`);
      const sky = [whiteFraction(src.img, 0, 0.15), whiteFraction(out, 0, 0.15)];
      assert.ok(sky[1]! < sky[0]! + 0.3, `sky stays sky: ${sky.join(' → ')}`);
      const [r0, , b0] = bandMean(src.img, 0, 1);
      const [r1, , b1] = bandMean(out, 0, 1);
      assert.ok(b1 - r1 > b0 - r0 + 5, `colder: b−r ${b0 - r0} → ${b1 - r1}`);
    }
  });

  it('rain darkens and streaks the sky; fog flattens contrast; sunset warms', async () => {
    const src = await source('rolling hills under a clear sky at noon');
    const rainy = await edit(src.path, 'add rain');
    const lum = (img: RawImage): number =>
      luminance(img).reduce((a, b) => a + b, 0) / (img.width * img.height);
    assert.ok(lum(rainy) < lum(src.img) * 0.92, `darker: ${lum(src.img)} → ${lum(rainy)}`);
    // Streaks: the smooth sky gains fine horizontal detail (thin near-vertical lines).
    const detail = (img: RawImage): number => {
      const l = luminance(img);
      let e = 0;
      for (let y = 0; y < img.height * 0.3; y++)
        for (let x = 1; x < img.width; x++) e += Math.abs(l[y * img.width + x]! - l[y * img.width + x - 1]!);
      return e;
    };
    assert.ok(detail(rainy) > detail(src.img) * 2, `streaks: ${detail(src.img)} → ${detail(rainy)}`);
    const foggy = await edit(src.path, 'make it foggy');
    assert.ok(lumaStd(foggy) < lumaStd(src.img) * 0.65, `contrast: ${lumaStd(src.img)} → ${lumaStd(foggy)}`);
    const sunset = await edit(src.path, 'at sunset');
    const warm = (img: RawImage): number => {
      const [r, , b] = bandMean(img, 0, 1);
      return r - b;
    };
    assert.ok(warm(sunset) > warm(src.img) + 15, `warmer: ${warm(src.img)} → ${warm(sunset)}`);
  });

  it('autumn turns the green foliage orange and red', async () => {
    const src = await source('a green forest on rolling hills at noon');
    const out = await edit(src.path, 'autumn colours');
    const green = [hueFraction(src.img, 0.5, 1, 110, 40, 0.25), hueFraction(out, 0.5, 1, 110, 40, 0.25)];
    const orange = [hueFraction(src.img, 0.5, 1, 25, 20, 0.3), hueFraction(out, 0.5, 1, 25, 20, 0.3)];
    assert.ok(green[0]! > 0.1, `the source has green: ${green[0]}`);
    assert.ok(green[1]! < green[0]! * 0.4, `green: ${green.join(' → ')}`);
    assert.ok(orange[1]! > orange[0]! + 0.1, `orange: ${orange.join(' → ')}`);
  });

  it('night: the lamps shine brighter than before while everything else darkens', async () => {
    const prompt = 'a lighthouse on a rocky coast at dusk';
    const src = await source(prompt);
    const out = await edit(src.path, 'at night');
    // The lit lantern of the source, where the scene put it: near the top of the tower.
    const scene = parseScene(prompt, hashString(prompt));
    const { width: w, height: h } = src.img;
    const tower = stageFigures(scene, { w, h, horizonY: h * scene.horizon }).find(
      (f) => f.icon === 'builtin:lighthouse',
    )!;
    const lampY = tower.base - tower.size * 0.78 - tower.size * 0.065;
    const l0 = luminance(src.img);
    const l1 = luminance(out);
    const lamp = new Uint8Array(l0.length);
    let lampN = 0;
    for (let i = 0; i < l0.length; i++) {
      const x = i % w;
      const y = (i - x) / w;
      if (Math.hypot(x - tower.x, y - lampY) < tower.size * 0.06) {
        lamp[i] = 1;
        lampN++;
      }
    }
    assert.ok(lampN > 20, `the source has a light: ${lampN} px`);
    let before0 = 0;
    let after0 = 0;
    let restBefore = 0;
    let restAfter = 0;
    for (let i = 0; i < l0.length; i++) {
      if (lamp[i]) {
        before0 += l0[i]!;
        after0 += l1[i]!;
      } else {
        restBefore += l0[i]!;
        restAfter += l1[i]!;
      }
    }
    assert.ok(after0 / lampN >= (before0 / lampN) * 0.97, `lamp: ${before0 / lampN} → ${after0 / lampN}`);
    const rest = l0.length - lampN;
    assert.ok(
      restAfter / rest < (restBefore / rest) * 0.75,
      `rest: ${restBefore / rest} → ${restAfter / rest}`,
    );
  });

  it('"add a dog" draws a dog on the ground where its mask says, and leaves the rest', async () => {
    const src = await source('an empty meadow at noon');
    const out = await edit(src.path, 'add a dog');
    const plan = planEdit('add a dog', 'auto', 0);
    const fig = placeAdded(src.img, plan.add[0]!, hashString('add a dog'));
    const raster = await rasterizeSvg(
      addedMask(fig, src.img.width, src.img.height),
      src.img.width,
      src.img.height,
    );
    const mask = new Uint8Array(src.img.width * src.img.height);
    let n = 0;
    for (let i = 0; i < mask.length; i++)
      if (raster.data[i * 3]! > 127) {
        mask[i] = 1;
        n++;
      }
    assert.ok(n > mask.length * 0.01, `the dog covers ${n} px`);
    assert.ok(fig.base > src.img.height * 0.5, 'it stands below the horizon');
    assert.ok(meanDiff(src.img, out, mask, true) > 30, 'the dog is there');
    // Outside the dog and the band of its shadow, nothing moved.
    const band = new Uint8Array(mask.length);
    for (let i = 0; i < mask.length; i++) {
      const y = Math.floor(i / src.img.width);
      band[i] = mask[i] || (y > fig.base - fig.size * 0.35 && y < fig.base + fig.size * 0.1) ? 1 : 0;
    }
    assert.ok(meanDiff(src.img, out, band, false) < 1, 'the rest is untouched');
  });

  it('"make the car blue" repaints the car Umbra drew and nothing else', async () => {
    const prompt = 'a red car on a country road at noon';
    const src = await source(prompt);
    const car = await subjectMask(prompt, 'car');
    const before0 = meanHueSat(src.img, car);
    assert.ok(before0.hue < 25 || before0.hue > 335, `red before: ${before0.hue}`);
    const out = await edit(src.path, 'make the car blue');
    const after0 = meanHueSat(out, car);
    assert.ok(Math.abs(after0.hue - 220) < 30 && after0.sat > 0.35, `blue after: ${JSON.stringify(after0)}`);
    assert.ok(meanDiff(src.img, out, car, false) < 1.5, 'outside the car, nothing changed');
  });

  it('the same edit of the same source gives identical bytes', async () => {
    const src = await source('a cat on a windowsill');
    const a = await edit(src.path, 'make it winter, add a dog');
    const b = await edit(src.path, 'make it winter, add a dog');
    assert.deepEqual(a.data, b.data);
    assert.ok((await readFile(src.path)).length > 0);
  });
});
