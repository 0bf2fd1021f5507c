// The prompt's look for a video edit (pure): the image-edit grades of grade.ts (time of day, tint toward a
// colour word, a seeded split-tone when nothing was recognised) sampled into a 3D LUT, and the image-edit
// looks translated into ffmpeg filters. The same prompt always gives the same table, byte for byte.
import { imageToLab, labToImage, hex } from '../../../media/color.js';
import { CUBE_SIZE, cubeLattice, cubeText } from './cube.js';
import type { EditLookFilter } from './edit-args.js';
import type { Style } from '../../../contract/wire.js';
import { planEdit as planImageEdit } from '../image-edit/edit-plan.js';
import { gradeTime, splitTone, tint, type LabImage } from '../image/grade.js';
import { hashString } from '../scene/rng.js';
import { COLOR_WORDS } from '../scene/scene.js';

/** What the prompt asks of the picture. */
export interface EditLook {
  /** `.cube` text of the colour grade. */
  cube: string;
  looks: EditLookFilter[];
  /** The recognised words, for the log. */
  time: string | null;
  colors: string[];
}

/**
 * Reads the prompt into a look. The grades of grade.ts vary with height (skies at the top); a LUT has no
 * position, so the table is sampled at mid-height — the grade of the middle of the frame, everywhere.
 */
export const editLook = (prompt: string, style: Style): EditLook => {
  const plan = planImageEdit(prompt, style, 0);
  // Three identical rows: gradeTime interpolates from the top row to the bottom; row 1 is mid-height.
  const lattice = cubeLattice(CUBE_SIZE, 3);
  const planes = imageToLab(lattice);
  const lab: LabImage = { width: lattice.width, height: 3, L: planes[0], A: planes[1], B: planes[2] };
  if (plan.time) gradeTime(lab, plan.time);
  const first = plan.colors[0];
  const colorHex = first === undefined ? undefined : COLOR_WORDS[first];
  if (colorHex) tint(lab, hex(colorHex), 0.6);
  if (plan.fallbackGrade) splitTone(lab, hashString(prompt));
  labToImage(planes, lattice);
  const row = lattice.width * 3;
  return {
    cube: cubeText(lattice.data.subarray(row, 2 * row)),
    looks: plan.looks,
    time: plan.time,
    colors: plan.colors,
  };
};
