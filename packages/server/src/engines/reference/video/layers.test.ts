import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildPalette } from '../scene/palette.js';
import { hashString } from '../scene/rng.js';
import { parseScene } from '../scene/scene.js';
import { sceneLayers } from './layers.js';
import { layerMargins } from './motion.js';
import { writeAlphaLayer } from './raster.js';

test('the ripples drawn from their first row give the pixels and box of the whole canvas', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-layers-'));
  try {
    for (const prompt of ['snowy mountains above a lake at sunset', 'a harbour at night']) {
      for (const [w, h] of [
        [640, 360],
        [1920, 1080],
      ] as const) {
        const seed = hashString(prompt);
        const scene = parseScene(prompt, seed);
        const m = layerMargins(w, h);
        const [bw, bh] = [w + 2 * m.mx, h + 2 * m.my];
        const palette = buildPalette(scene);
        const layers = sceneLayers({ scene, palette, width: bw, height: bh, seed, detail: { level: 0 } });
        const ripples = layers.water?.ripples;
        assert.ok(ripples, `${prompt}: water`);
        assert.ok(ripples.top > 0, `${prompt}: the band starts below the top`);
        const whole = ripples.svg.replace(
          /^<svg [^>]*>/,
          `<svg xmlns="http://www.w3.org/2000/svg" width="${bw}" height="${bh}" viewBox="0 0 ${bw} ${bh}">`,
        );
        const [a, b] = [join(dir, 'band.rgba'), join(dir, 'whole.rgba')];
        const band = (await writeAlphaLayer(ripples.svg, bw, bh - ripples.top, a, ripples.top))?.box;
        const box = (await writeAlphaLayer(whole, bw, bh, b))?.box;
        assert.deepEqual(band, box, `${prompt} ${w}×${h}: box`);
        assert.ok(band && band.y > ripples.top, `${prompt} ${w}×${h}: padding inside the band`);
        assert.deepEqual(await readFile(a), await readFile(b), `${prompt} ${w}×${h}: pixels`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
