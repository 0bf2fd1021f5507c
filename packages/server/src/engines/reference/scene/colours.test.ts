import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { hex } from '../../../media/color.js';
import { decodeImage, rasterizeSvg } from '../../../media/raster.js';
import { composeSvg } from './compose.js';
import { buildPalette } from './palette.js';
import { hashString } from './rng.js';
import type { RawImage } from '../../../media/raw-image.js';
import { COLOR_WORDS } from './colour-words.js';
import { ReferenceEngine } from '../reference.engine.js';
import { parseScene } from './scene.js';
import {
  bandMean,
  hueDistance,
  hueFraction,
  hueSat,
  snowGain,
  specks,
  whiteFraction,
} from '../testing/test-measure.js';
import { imageRequest, makeJob } from '../testing/test-support.js';

const hueOf = (word: string): number => hueSat(hex(COLOR_WORDS[word] ?? '#000000')).hue;

describe('colour words → scene elements (parser)', () => {
  it('binds a colour to the element it names and leaves the rest as a global tint', () => {
    const s = parseScene('green hills under a blue sky', 1);
    assert.deepEqual(
      s.tints.map((t) => [t.word, t.element]),
      [
        ['green', 'land'],
        ['blue', 'sky'],
      ],
    );
    assert.deepEqual(s.looseColors, []);
    assert.equal(s.time, 'day', 'a blue sky with no time named is daytime');
    const o = parseScene('orange sunset over a turquoise sea', 1);
    assert.deepEqual(
      o.tints.map((t) => [t.word, t.element]),
      [
        ['orange', 'glow'],
        ['turquoise', 'water'],
      ],
    );
    assert.deepEqual(parseScene('a purple dream at dawn', 1).looseColors, ['purple']);
    assert.equal(parseScene('a neon city at night', 1).tints[0]?.element, 'city');
    assert.equal(parseScene('pink cherry blossom forest', 1).tints[0]?.element, 'foliage');
    assert.equal(parseScene('autumn forest', 1).tints[0]?.element, 'foliage');
    assert.equal(parseScene('the lake is deep blue', 1).tints[0]?.element, 'water');
    assert.deepEqual(parseScene('mountains at golden hour', 1).colors, [], '"golden hour" is a light');
  });
  it('tells snow cover from falling snow, and asked-for stars from the time of day', () => {
    const s = parseScene('snowy mountains at sunset with a lake', 1);
    assert.equal(s.snowCover, true);
    assert.notEqual(s.weather, 'snow');
    assert.equal(s.stars, false);
    assert.equal(parseScene('a blizzard in the mountains', 1).weather, 'snow');
    const st = parseScene('sunset with the first stars over the sea', 1);
    assert.equal(st.time, 'sunset');
    assert.equal(st.stars, true);
  });
});

describe('colour words → scene elements (renders)', () => {
  const engine = new ReferenceEngine({ threads: 2 });
  after(() => engine.close());
  const cache = new Map<string, Promise<RawImage>>();
  const render = (prompt: string): Promise<RawImage> => {
    let p = cache.get(prompt);
    if (!p) {
      p = (async () => {
        const job = await makeJob(imageRequest({ prompt, aspect_ratio: '16:9' }));
        const [file] = await engine.render(job);
        assert.ok(file);
        return decodeImage(file.path, { fit: { width: 960, height: 540 } });
      })();
      cache.set(prompt, p);
    }
    return p;
  };

  // [prompt, same prompt without the colour, colour word, region rows (fractions), saturation floor]
  const cases: [string, string, string, number, number, number][] = [
    ['green hills under a blue sky', 'hills under a sky', 'blue', 0, 0.25, 0.3],
    ['green hills under a blue sky', 'hills under a sky', 'green', 0.85, 1, 0.3],
    ['red desert under a purple sky', 'desert under a sky', 'purple', 0, 0.25, 0.3],
    ['red desert under a purple sky', 'desert under a sky', 'red', 0.85, 1, 0.3],
    ['orange sunset over a turquoise sea', 'sunset over a sea', 'turquoise', 0.75, 1, 0.3],
    ['orange sunset over a turquoise sea', 'sunset over a sea', 'orange', 0.3, 0.48, 0.3],
    ['golden wheat fields', 'fields', 'golden', 0.85, 1, 0.3],
  ];
  for (const [prompt, plain, word, y0, y1, floor] of cases) {
    it(`"${prompt}": rows ${y0}–${y1} turn ${word}`, async () => {
      const target = hueOf(word);
      const named = hueSat(bandMean(await render(prompt), y0, y1));
      const bare = hueSat(bandMean(await render(plain), y0, y1));
      const msg = `${word} (${target.toFixed(0)}°): hue ${named.hue.toFixed(0)}° sat ${named.sat.toFixed(2)}; without: hue ${bare.hue.toFixed(0)}° sat ${bare.sat.toFixed(2)}`;
      assert.ok(hueDistance(named.hue, target) <= 35, msg);
      assert.ok(named.sat >= floor, msg);
      // Moves toward the named colour: closer in hue, or as close and clearly more saturated.
      const closer = hueDistance(named.hue, target) < hueDistance(bare.hue, target) - 5;
      assert.ok(closer || named.sat > bare.sat + 0.1, msg);
    });
  }

  it('"pink cherry blossom forest" has pink trees; "a neon city at night" has neon colours', async () => {
    const pink = hueOf('pink');
    const blossom = hueFraction(await render('pink cherry blossom forest in spring'), 0.4, 1, pink, 25, 0.3);
    const forest = hueFraction(await render('forest in spring'), 0.4, 1, pink, 25, 0.3);
    assert.ok(blossom > 0.02 && blossom > forest * 5, `pink ${blossom} vs ${forest}`);
    const neonImg = await render('a neon city at night');
    const plainImg = await render('a city at night');
    const neon = hueFraction(neonImg, 0.2, 0.7, 310, 30, 0.5) + hueFraction(neonImg, 0.2, 0.7, 190, 20, 0.5);
    const plainN =
      hueFraction(plainImg, 0.2, 0.7, 310, 30, 0.5) + hueFraction(plainImg, 0.2, 0.7, 190, 20, 0.5);
    assert.ok(neon > 0.005 && neon > plainN * 5, `neon ${neon} vs ${plainN}`);
  });

  it('shows no stars in a daytime or sunset sky unless the prompt asks for them', async () => {
    for (const prompt of [
      'snowy mountains at sunset with a lake',
      'green hills under a blue sky',
      'orange sunset over a turquoise sea',
    ]) {
      const s = specks(await render(prompt), 0, 0.2);
      assert.ok(s < 30, `${prompt}: ${s.toFixed(0)} specks/Mpx`);
    }
    for (const prompt of ['sunset with the first stars over the sea', 'a lake under the stars']) {
      const s = specks(await render(prompt), 0, 0.2);
      assert.ok(s > 150, `${prompt}: ${s.toFixed(0)} specks/Mpx`);
    }
  });

  it('puts snow caps on the ridges of snowy mountains', async () => {
    const s = whiteFraction(await render('snowy mountains at sunset with a lake'), 0.1, 0.55);
    const b = whiteFraction(await render('mountains at sunset with a lake'), 0.1, 0.55);
    assert.ok(s > 0.01 && s > b * 4, `near-white ${s.toFixed(4)} vs ${b.toFixed(4)}`);
    // Same scene with and without snow cover: the new bright pixels are snow on the ridges.
    for (const prompt of ['snowy mountains', 'snow-capped mountains at noon', 'snowy mountains at dusk']) {
      const scene = parseScene(prompt, hashString(prompt));
      const paint = (snowCover: boolean) => {
        const input = {
          scene: { ...scene, snowCover },
          palette: buildPalette({ ...scene, snowCover }),
          width: 640,
          height: 360,
          seed: 7,
          detail: { level: 0 as const },
        };
        return rasterizeSvg(composeSvg(input, null), 640, 360);
      };
      const [snowy, bare] = await Promise.all([paint(true), paint(false)]);
      // Ridges reach at most 0.15 of the height below the horizon: snow lies above that.
      const caps = snowGain(snowy, bare, scene.horizon + 0.15);
      assert.ok(caps.fraction > 0.01 && caps.aboveRow > 0.95, `${prompt}: ${JSON.stringify(caps)}`);
    }
  });
});
