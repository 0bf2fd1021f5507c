import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { decodeImage, rasterizeSvg } from '../../../media/raster.js';
import type { RawImage } from '../../../media/raw-image.js';
import { ReferenceEngine } from '../reference.engine.js';
import { imageRequest, makeJob } from '../testing/test-support.js';
import { composeSvg } from './compose.js';
import { letterPath, placeLettering } from './lettering.js';
import { buildPalette } from './palette.js';
import { hashString } from './rng.js';
import { parseScene } from './scene.js';

describe('lettering in the scene', () => {
  it('is part of the scene, read from the prompt as written', () => {
    const s = parseScene('A LOGO for a coffee shop called Bean There', 1);
    assert.deepEqual(s.lettering, { text: 'Bean There', kind: 'logo' });
    assert.equal(parseScene('mountains at sunset', 1).lettering, null);
  });
  it('is drawn last in the composed scene, as paths, and only when asked for', () => {
    const compose = (prompt: string, words = true): string => {
      const seed = hashString(prompt);
      const parsed = parseScene(prompt, seed);
      const scene = words ? parsed : { ...parsed, lettering: null };
      return composeSvg(
        { scene, palette: buildPalette(scene), width: 640, height: 360, seed, detail: { level: 0 } },
        null,
      );
    };
    const prompt = 'a neon sign saying "OPEN" in the rain';
    const lettered = compose(prompt);
    assert.match(lettered, /<path id="lt-text" d="M/);
    assert.doesNotMatch(lettered, /<text/);
    assert.doesNotMatch(compose('mountains at sunset'), /lt-text/);
    // Over everything else, which is unchanged: the words draw no random numbers.
    const bare = compose(prompt, false);
    assert.ok(lettered.startsWith(bare.slice(0, -'</svg>'.length)));
    assert.ok(lettered.length > bare.length + 500);
  });
});

describe('lettering (renders)', () => {
  const engine = new ReferenceEngine({ threads: 2 });
  after(() => engine.close());

  const render = async (prompt: string): Promise<{ img: RawImage; bytes: Buffer }> => {
    const job = await makeJob(imageRequest({ prompt, aspect_ratio: '16:9' }));
    const [file] = await engine.render(job);
    assert.ok(file);
    return { img: await decodeImage(file.path), bytes: await readFile(file.path) };
  };

  const luma = (img: RawImage, i: number): number =>
    (0.2126 * img.data[i * 3]! + 0.7152 * img.data[i * 3 + 1]! + 0.0722 * img.data[i * 3 + 2]!) / 255;

  /**
   * Mean luma of the letters (where the lettering path alone, rasterised as a mask, is solid) against the
   * mean luma of the pixels around them (the path's bounds widened by a fifth of an em, outside the mask).
   */
  const contrast = async (prompt: string, img: RawImage): Promise<{ letters: number; around: number }> => {
    const scene = parseScene(prompt, hashString(prompt));
    assert.ok(scene.lettering);
    const f = { w: img.width, h: img.height };
    const place = placeLettering(scene.lettering, f);
    const path = letterPath(scene.lettering.text, place.box, place);
    const mask = await rasterizeSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${f.w}" height="${f.h}"><path d="${path.d}" fill="#fff"/></svg>`,
      f.w,
      f.h,
    );
    const pad = path.em * 0.2;
    const x0 = Math.max(0, Math.floor(path.bounds.x - pad));
    const x1 = Math.min(f.w, Math.ceil(path.bounds.x + path.bounds.w + pad));
    const y0 = Math.max(0, Math.floor(path.bounds.y - pad));
    const y1 = Math.min(f.h, Math.ceil(path.bounds.y + path.bounds.h + pad));
    let [inSum, inN, outSum, outN] = [0, 0, 0, 0];
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const i = y * f.w + x;
        const m = mask.data[i * 3]!;
        if (m >= 250) [inSum, inN] = [inSum + luma(img, i), inN + 1];
        else if (m === 0) [outSum, outN] = [outSum + luma(img, i), outN + 1];
      }
    assert.ok(inN > 1000 && outN > 1000, `${inN} letter and ${outN} surrounding pixels`);
    return { letters: inSum / inN, around: outSum / outN };
  };

  it('a logo shows its words in strong contrast, and the same request gives the same bytes', async (t) => {
    const prompt = 'a logo for a coffee shop called Bean There';
    const [a, b] = await Promise.all([render(prompt), render(prompt)]);
    assert.ok(a.bytes.equals(b.bytes), 'identical bytes');
    const c = await contrast(prompt, a.img);
    t.diagnostic(`${prompt}: ${JSON.stringify(c)}`);
    assert.ok(c.letters - c.around > 0.45, JSON.stringify(c));
  });

  it('a sign at night and a poster title read as well', async (t) => {
    for (const prompt of [
      'a neon sign saying "OPEN"',
      "a poster titled 'Summer Nights' over a sunny beach",
    ]) {
      const c = await contrast(prompt, (await render(prompt)).img);
      t.diagnostic(`${prompt}: ${JSON.stringify(c)}`);
      assert.ok(c.letters - c.around > 0.35, `${prompt}: ${JSON.stringify(c)}`);
    }
  });
});
