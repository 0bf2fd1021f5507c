// image_edit: every operation works on the source's own pixels, so size and composition survive.
// Executed inside a render thread; deterministic.
import { hex, imageToLab, labToImage, transferLab } from '../../../media/color.js';
import { compositeSvg, decodeImage } from '../../../media/raster.js';
import { luminance } from '../../../media/raw-image.js';
import { EngineFailure } from '../../engine.js';
import { finishImage } from '../image/filters.js';
import { gradeTime, splitTone, tint, type LabImage } from '../image/grade.js';
import { readReferences } from '../image/references.js';
import { applyLook, readInput, writeStill, type Progress } from '../image/still.js';
import { hashString } from '../scene/rng.js';
import { COLOR_WORDS } from '../scene/scene.js';
import type { RenderTask, TaskResult } from '../threads/task.js';
import { planEdit } from './edit-plan.js';
import { addedOverlay, findSubject, placeAdded, repaint } from './subject-edits.js';
import { autumn, fog, glowLights, lightSources, rain, snow } from './weather.js';

/** image_edit: every operation works on the source's own pixels, so size and composition survive. */
export const renderImageEdit = async (task: RenderTask, progress: Progress): Promise<TaskResult> => {
  const req = task.request;
  if (!task.sourcePath) throw new EngineFailure('invalid_request', 'image_edit needs a source image');
  const sourcePath = task.sourcePath;
  let img = await readInput('source', () => decodeImage(sourcePath));
  const refs = await readInput('image_ref', () => readReferences(task.refPaths));
  const plan = planEdit(req.prompt, req.style, task.refPaths.length);
  const seed = hashString(req.prompt);
  // Subjects first, on the source's own colours (found by them), so every grade after lights them too.
  if (plan.repaint) repaint(img, findSubject(img, plan.repaint.entry), plan.repaint.color);
  if (plan.add.length > 0) {
    const luma = luminance(img);
    const mean = luma.reduce((a, b) => a + b, 0) / luma.length;
    for (const [k, mention] of plan.add.entries()) {
      const fig = placeAdded(img, mention, seed + k);
      img = await compositeSvg(img, addedOverlay(fig, img.width, img.height, mean));
    }
  }
  progress(0.3);
  // The lamps of the source, found before night darkens them, are lit again after.
  const sources = plan.time === 'night' || plan.time === 'dusk' ? lightSources(img) : null;
  const planes = imageToLab(img);
  const lab: LabImage = { width: img.width, height: img.height, L: planes[0], A: planes[1], B: planes[2] };
  if (refs) transferLab(planes, refs.stats, 0.8);
  if (plan.time) gradeTime(lab, plan.time);
  const first = plan.colors[0];
  const colorHex = first === undefined ? undefined : COLOR_WORDS[first];
  if (colorHex) tint(lab, hex(colorHex), 0.6);
  if (plan.fallbackGrade) splitTone(lab, seed);
  labToImage(planes, img);
  if (sources) glowLights(img, sources);
  if (plan.autumn) autumn(img, seed);
  if (plan.weather === 'snow') snow(img, seed);
  else if (plan.weather === 'rain') rain(img, seed);
  else if (plan.weather === 'fog') fog(img);
  progress(0.6);
  for (const look of plan.looks) applyLook(img, look);
  if (plan.fallbackGrade) finishImage(img, { vignette: 0.3, grain: 0, seed: 1 });
  progress(0.85);
  return writeStill(img, task, req.output_format ?? 'png');
};
