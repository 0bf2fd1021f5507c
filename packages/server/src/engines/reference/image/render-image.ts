// Text-to-image: scene → SVG → pixels → look → file. Executed inside a render thread; deterministic.
import { imageRatio, imageSize } from '../../../contract/sizes.js';
import { imageToLab, labToImage, transferLab } from '../../../media/color.js';
import { encodeImage, rasterizeSvg } from '../../../media/raster.js';
import { cloudLayer } from '../scene/clouds.js';
import { composeSvg, layout, type ComposeInput } from '../scene/compose.js';
import { buildPalette } from '../scene/palette.js';
import { hashString } from '../scene/rng.js';
import { parseScene, type LookWord } from '../scene/scene.js';
import type { RenderTask, TaskResult } from '../threads/task.js';
import { finishImage, sharpen } from './filters.js';
import { readReferences } from './references.js';
import { applyLook, readInput, writeStill, type Progress } from './still.js';

/** Text-to-image. The seed is the prompt alone, so uni-1 and uni-1-max paint the same composition. */
export const renderImage = async (task: RenderTask, progress: Progress): Promise<TaskResult> => {
  const req = task.request;
  const seed = hashString(req.prompt);
  const scene = parseScene(req.prompt, seed);
  const { width, height } = imageSize(imageRatio(req));
  const refs = await readInput('image_ref', () => readReferences(task.refPaths));
  const palette = buildPalette(scene, refs?.colors ?? []);
  const input: ComposeInput = {
    scene,
    palette,
    width,
    height,
    seed,
    detail: { level: req.model === 'uni-1-max' ? 1 : 0 },
  };
  progress(0.15);
  const { frame, light } = layout(input);
  const clouds = cloudLayer(scene, palette, light, frame, seed, input.detail);
  const href = clouds
    ? `data:image/png;base64,${(await encodeImage(new Uint8Array(clouds.rgba.buffer), clouds.width, clouds.height, 'png', 4, true)).toString('base64')}`
    : null;
  const svg = composeSvg(input, href);
  progress(0.35);
  const img = await rasterizeSvg(svg, width, height);
  progress(0.7);
  if (refs) {
    const lab = imageToLab(img);
    transferLab(lab, refs.stats, 0.35);
    labToImage(lab, img);
  }
  const looks: (LookWord | 'manga')[] = req.style === 'manga' ? ['manga'] : scene.looks;
  // uni-1-max is finished with an unsharp mask: its extra geometry should read as crisp detail.
  if (input.detail.level) sharpen(img, 2, 0.6);
  finishImage(img, { vignette: looks.length ? 0.1 : 0.35, grain: looks.length ? 0 : 2, seed });
  for (const look of looks) applyLook(img, look);
  progress(0.85);
  return writeStill(img, task, req.output_format ?? 'png');
};
