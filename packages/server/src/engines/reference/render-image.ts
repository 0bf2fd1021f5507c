// Runs one render task: text-to-image (scene → SVG → pixels → look → file) or image_edit (source pixels →
// grades and looks → file). Executed inside a render thread; everything here is deterministic.
import { writeFile } from 'node:fs/promises';
import { imageRatio, imageSize } from '../../contract/sizes.js';
import { imageToLab, labToImage, transferLab } from '../../media/color.js';
import { finishImage, sharpen } from '../../media/filters.js';
import { decodeImage, encodeImage, rasterizeSvg, type StillFormat } from '../../media/raster.js';
import type { RawImage } from '../../media/raw-image.js';
import { composeSvg, layout, type ComposeInput } from './compose.js';
import { cloudLayer } from './clouds.js';
import { planEdit } from './edit-plan.js';
import { gradeTime, splitTone, tint, type LabImage } from './grade.js';
import { inkLook, mangaLook, monochromeLook, watercolorLook } from './looks.js';
import { buildPalette } from './palette.js';
import { readReferences } from './references.js';
import { hashString } from './rng.js';
import { COLOR_WORDS, parseScene, type LookWord } from './scene.js';
import { hex } from '../../media/color.js';
import { EngineFailure } from '../engine.js';
import type { RenderTask, TaskResult } from './task.js';

type Progress = (fraction: number) => void;

const applyLook = (img: RawImage, look: LookWord | 'manga'): void => {
  switch (look) {
    case 'manga':
      return mangaLook(img);
    case 'ink':
      return inkLook(img);
    case 'watercolor':
      return watercolorLook(img);
    case 'monochrome':
      return monochromeLook(img);
  }
};

const write = async (img: RawImage, task: RenderTask, format: StillFormat): Promise<TaskResult> => {
  const bytes = await encodeImage(img.data, img.width, img.height, format);
  const path = `${task.outBase}.${format === 'png' ? 'png' : 'jpg'}`;
  await writeFile(path, bytes);
  return {
    path,
    contentType: format === 'png' ? 'image/png' : 'image/jpeg',
    width: img.width,
    height: img.height,
  };
};

const readInput = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
  try {
    return await read();
  } catch (err) {
    throw new EngineFailure('corrupt_input', `${what} could not be decoded: ${(err as Error).message}`);
  }
};

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
  return write(img, task, req.output_format ?? 'png');
};

/** image_edit: every operation works on the source's own pixels, so size and composition survive. */
export const renderEdit = async (task: RenderTask, progress: Progress): Promise<TaskResult> => {
  const req = task.request;
  if (!task.sourcePath) throw new EngineFailure('invalid_request', 'image_edit needs a source image');
  const sourcePath = task.sourcePath;
  const img = await readInput('source', () => decodeImage(sourcePath));
  const refs = await readInput('image_ref', () => readReferences(task.refPaths));
  const plan = planEdit(req.prompt, req.style, task.refPaths.length);
  progress(0.3);
  const planes = imageToLab(img);
  const lab: LabImage = { width: img.width, height: img.height, L: planes[0], A: planes[1], B: planes[2] };
  if (refs) transferLab(planes, refs.stats, 0.8);
  if (plan.time) gradeTime(lab, plan.time);
  const first = plan.colors[0];
  const colorHex = first === undefined ? undefined : COLOR_WORDS[first];
  if (colorHex) tint(lab, hex(colorHex), 0.6);
  if (plan.fallbackGrade) splitTone(lab, hashString(req.prompt));
  labToImage(planes, img);
  progress(0.6);
  for (const look of plan.looks) applyLook(img, look);
  if (plan.fallbackGrade) finishImage(img, { vignette: 0.3, grain: 0, seed: 1 });
  progress(0.85);
  return write(img, task, req.output_format ?? 'png');
};
