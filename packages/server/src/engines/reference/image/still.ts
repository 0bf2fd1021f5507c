// What text-to-image and image_edit share once pixels exist: finishing looks, reading inputs, writing the
// still. Executed inside a render thread.
import { writeFile } from 'node:fs/promises';
import { encodeImage, type StillFormat } from '../../../media/raster.js';
import type { RawImage } from '../../../media/raw-image.js';
import { EngineFailure } from '../../engine.js';
import type { LookWord } from '../scene/scene.js';
import type { RenderTask, TaskResult } from '../threads/task.js';
import {
  inkLook,
  mangaLook,
  monochromeLook,
  neonLook,
  oilLook,
  pixelArtLook,
  vintageLook,
  watercolorLook,
} from './looks.js';

/** Reports the fraction of a task done. */
export type Progress = (fraction: number) => void;

/** Applies one finishing look in place. */
export const applyLook = (img: RawImage, look: LookWord | 'manga'): void => {
  switch (look) {
    case 'manga':
      return mangaLook(img);
    case 'ink':
      return inkLook(img);
    case 'watercolor':
      return watercolorLook(img);
    case 'monochrome':
      return monochromeLook(img);
    case 'oil':
      return oilLook(img);
    case 'pixel':
      return pixelArtLook(img);
    case 'neon':
      return neonLook(img);
    case 'vintage':
      return vintageLook(img);
  }
};

/** Encodes and writes the finished still next to the task's output base. */
export const writeStill = async (
  img: RawImage,
  task: RenderTask,
  format: StillFormat,
): Promise<TaskResult> => {
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

/** Reads an input; a decoding failure is the job's `corrupt_input`. */
export const readInput = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
  try {
    return await read();
  } catch (err) {
    throw new EngineFailure('corrupt_input', `${what} could not be decoded: ${(err as Error).message}`);
  }
};
