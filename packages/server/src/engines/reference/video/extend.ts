// An extend keeps its subjects moving (issue 14 part 6; the pixel work is in extend-subjects.ts): each
// subject of the extend's own prompt that moves by itself is drawn as text-to-video draws it (turned either
// way), looked for in the pinned frame, lifted out of it and moved on over the refilled frame.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeImage, rasterizeSvgRgba } from '../../../media/raster.js';
import { FPS } from '../../../media/ffmpeg/encode-args.js';
import { buildPalette } from '../scene/palette.js';
import { hashString } from '../scene/rng.js';
import { parseScene } from '../scene/scene.js';
import { artFacing } from './facing.js';
import { cutout, fillHole, matchDrawing, matteOf, type Drawing, type Matte } from './extend-subjects.js';
import type { SubjectKind } from '../scene/lexicon.js';
import type { StillSubject } from './graph-stills.js';
import { figureLayers } from './layers.js';
import { figureMotion, layerMargins, moves, type ShotStyle } from './motion.js';
import { alphaBox, boxPixels } from './raster.js';
import { stillRgb } from '../../../media/stills.js';

/** Below this share of its art's pixels agreeing, a drawing is not taken to be in the frame. */
const FOUND = 0.6;

/** The subjects lifted out of a pinned still: the refilled still and each subject's cutout and motion. */
export interface LiftedSubjects {
  /** The still with the subjects' places refilled (PNG). */
  still: string;
  /** The cutouts (PNG), one per subject. */
  paths: string[];
  /** Where each cutout goes over the shot, in the order of `paths`. */
  subjects: Omit<StillSubject, 'input'>[];
}

const drawing = async (svg: string): Promise<Drawing | null> => {
  const raster = await rasterizeSvgRgba(svg);
  const box = alphaBox(raster.data, raster.width, raster.height);
  if (!box || box.width < 4 || box.height < 4) return null;
  return { width: box.width, height: box.height, rgba: boxPixels(raster.data, raster.width, box, 4) };
};

/**
 * Finds the moving subjects of `prompt` in the still pinned at `frame` (0 or the last), lifts them out and
 * plans their motion; null when none is found (the still is then filmed as it is).
 */
export const liftMovingSubjects = async (
  prompt: string,
  still: string,
  size: { width: number; height: number },
  style: ShotStyle,
  frame: number,
  scratch: string,
): Promise<LiftedSubjects | null> => {
  const seed = hashString(prompt);
  const scene = parseScene(prompt, seed);
  const margins = layerMargins(size.width, size.height);
  const layers = figureLayers({
    scene,
    palette: buildPalette(scene),
    width: size.width + 2 * margins.mx,
    height: size.height + 2 * margins.my,
    seed,
    detail: { level: 0 },
  });
  const moving = layers.figures.filter((l) => moves(l.kind));
  if (moving.length === 0) return null;
  const img = { ...size, data: await stillRgb(still, size.width, size.height) };
  const hole = new Uint8Array(size.width * size.height);
  const found: { matte: Matte; kind: SubjectKind; size: number; heading: 1 | -1 }[] = [];
  for (const layer of moving) {
    const { figure, kind } = layer;
    // Drawn both ways round: which one is in the frame says which way the subject was going.
    const facing = (await artFacing(figure.icon)) * (figure.flip ? -1 : 1);
    let best: { d: Drawing; x: number; y: number; score: number; heading: 1 | -1 } | null = null;
    for (const turned of [false, true]) {
      const d = await drawing(layer.svg(turned));
      if (!d || d.width > size.width || d.height > size.height) continue;
      const m = matchDrawing(img, d);
      const heading = (turned ? -facing : facing) as 1 | -1;
      if (!best || m.score > best.score) best = { d, ...m, heading };
    }
    if (!best || best.score < FOUND) continue;
    found.push({ matte: matteOf(img, best.d, best, hole), kind, size: figure.size, heading: best.heading });
  }
  if (found.length === 0) return null;
  const refilled = { ...size, data: img.data.slice() };
  fillHole(refilled, hole);
  // The camera drifts in over the extend: a subject keeps this far from the still's sides to stay in view.
  const keepX = Math.ceil(size.width * 0.1);
  const keepY = Math.ceil(size.height * 0.1);
  const paths: string[] = [];
  const subjects: Omit<StillSubject, 'input'>[] = [];
  for (const [i, { matte, kind, size: art, heading }] of found.entries()) {
    const { box } = matte;
    const motion = figureMotion(
      style,
      kind,
      art,
      {
        left: box.x - keepX,
        right: size.width - (box.x + box.width) - keepX,
        up: box.y - keepY,
        down: size.height - (box.y + box.height),
      },
      FPS,
      { heading, frame },
    );
    const path = join(scratch, `subject-${i}.png`);
    await writeFile(
      path,
      await encodeImage(cutout(img, refilled, matte), box.width, box.height, 'png', 4, true),
    );
    paths.push(path);
    subjects.push({ x: `${box.x}+(${motion.dx})`, y: `${box.y}+(${motion.dy})` });
  }
  const out = join(scratch, 'still-refilled.png');
  await writeFile(out, await encodeImage(refilled.data, size.width, size.height, 'png', 3, true));
  return { still: out, paths, subjects };
};
