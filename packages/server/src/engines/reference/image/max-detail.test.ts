// uni-1-max is more than sharper (issue 14 part 7): its subjects carry a rim of the light and a fine grain,
// its landscape more layers; the same prompt keeps the same composition.
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { imageRatio, imageSize } from '../../../contract/sizes.js';
import { parseCreateRequest } from '../../../contract/validate-create.js';
import { decodeImage, rasterizeSvg } from '../../../media/raster.js';
import { luminance, type RawImage } from '../../../media/raw-image.js';
import { composeSvg, type ComposeInput } from '../scene/compose.js';
import { figureSilhouette, stageFigures } from '../scene/figures.js';
import { buildPalette } from '../scene/palette.js';
import { hashString } from '../scene/rng.js';
import { parseScene } from '../scene/scene.js';
import { renderImage } from './render-image.js';

const PROMPT = 'a horse in a field at golden hour';

const render = async (model: 'uni-1' | 'uni-1-max'): Promise<RawImage> => {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-max-'));
  const request = {
    ...parseCreateRequest({ prompt: PROMPT, model }, { hdrAccess: true }),
    output_format: 'png' as const,
  };
  const out = await renderImage(
    { kind: 'image', request, sourcePath: null, refPaths: [], outBase: join(dir, model) },
    () => undefined,
  );
  return decodeImage(out.path);
};

/** Mean absolute Laplacian of luma inside `mask`: fine texture and crisp rims raise it. */
const detailIn = (img: RawImage, mask: Uint8Array): number => {
  const l = luminance(img);
  const w = img.width;
  let e = 0;
  let n = 0;
  for (let y = 1; y < img.height - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      e += Math.abs(4 * l[i]! - l[i - 1]! - l[i + 1]! - l[i - w]! - l[i + w]!);
      n++;
    }
  return e / Math.max(1, n);
};

test('uni-1-max draws its subjects in more detail, in the same place, over more land layers', async () => {
  const scene = parseScene(PROMPT, hashString(PROMPT));
  const { width: w, height: h } = imageSize(imageRatio({ aspect_ratio: null, style: 'auto' }));
  const figures = stageFigures(scene, { w, h, horizonY: h * scene.horizon });
  const pal = buildPalette(scene, []);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#000"/>${figures.map((f) => figureSilhouette(f, pal, '#fff')).join('')}</svg>`;
  const raster = await rasterizeSvg(svg, w, h);
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) mask[i] = raster.data[i * 3]! > 127 ? 1 : 0;
  const [plain, max] = [await render('uni-1'), await render('uni-1-max')];
  const [a, b] = [detailIn(plain, mask), detailIn(max, mask)];
  assert.ok(b > a * 1.3, `detail inside the horse: uni-1 ${a.toFixed(4)}, uni-1-max ${b.toFixed(4)}`);
  // Same composition: the horse's pixels are mostly the same colour family in both.
  let same = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      n++;
      const d =
        Math.abs(plain.data[i * 3]! - max.data[i * 3]!) +
        Math.abs(plain.data[i * 3 + 2]! - max.data[i * 3 + 2]!);
      if (d < 60) same++;
    }
  assert.ok(same / n > 0.8, `the horse is where it was: ${(same / n).toFixed(2)}`);
  // More land layers: the composed document holds more ridge paths at uni-1-max.
  const doc = (level: 0 | 1): string => {
    const input: ComposeInput = {
      scene,
      palette: pal,
      width: w,
      height: h,
      seed: hashString(PROMPT),
      detail: { level },
    };
    return composeSvg(input, null);
  };
  const paths = (s: string): number => s.split('<path').length;
  assert.ok(paths(doc(1)) > paths(doc(0)), `${paths(doc(1))} > ${paths(doc(0))} paths`);
});

test('the same request with subjects gives identical bytes, at both detail levels', async () => {
  for (const model of ['uni-1', 'uni-1-max'] as const) {
    const file = async (): Promise<Buffer> => {
      const dir = await mkdtemp(join(tmpdir(), 'umbra-same-'));
      const request = {
        ...parseCreateRequest({ prompt: PROMPT, model }, { hdrAccess: true }),
        output_format: 'png' as const,
      };
      const out = await renderImage(
        { kind: 'image', request, sourcePath: null, refPaths: [], outBase: join(dir, 'a') },
        () => undefined,
      );
      return readFile(out.path);
    };
    assert.ok((await file()).equals(await file()), model);
  }
});
