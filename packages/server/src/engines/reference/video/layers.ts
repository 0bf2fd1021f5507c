// Splits the image engine's scene into depth layers for video: the same drawing functions and random
// forks as compose.ts (so a frame reads like the still the same prompt would give), but sky, clouds, land
// and the near plane (land, water and the weather overlays in front of them) become separate images that
// the camera can move at different speeds; each subject is a layer of its own, so it can move by itself.
import { cloudLayer } from '../scene/clouds.js';
import { groundParts, layout, skyParts, type ComposeInput } from '../scene/compose.js';
import { drawFigure, stageFigures, type Figure } from '../scene/figures.js';
import type { SubjectKind } from '../scene/lexicon.js';
import { Rng } from '../scene/rng.js';
import { drawLightDisc } from '../scene/sky.js';
import { drawOverlays } from '../scene/subjects.js';

/** The SVG documents of one scene, back to front; `clouds` is a low-resolution RGBA raster or null. */
export interface SceneLayers {
  sky: string;
  clouds: { rgba: Uint8ClampedArray; width: number; height: number } | null;
  /** Land, water and the setting with the weather overlays drawn over them: one plane, as they move together. */
  near: string;
  /**
   * Each subject on a layer of its own (art, shadows, reflection), front-most last, so it can move; `svg`
   * draws it, turned the other way round when `turned`.
   */
  figures: { svg: (turned: boolean) => string; figure: Figure; kind: SubjectKind }[];
}

const doc = (w: number, h: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

/** Draws the layers at the input's (oversized) canvas. Pure. */
export const sceneLayers = (input: ComposeInput): SceneLayers => {
  const { scene, palette: pal, detail } = input;
  const { frame: f, light } = layout(input);
  const rng = new Rng(input.seed);
  const sky = [...skyParts(scene, pal, light, rng, f, detail), drawLightDisc(pal, light)];
  const clouds = cloudLayer(scene, pal, light, f, input.seed, detail);
  const land = groundParts(scene, pal, light, rng, f, detail, false);
  const figures = stageFigures(scene, f).map((figure, i) => ({
    svg: (turned: boolean) =>
      doc(f.w, f.h, drawFigure(scene, pal, light, { ...figure, flip: figure.flip !== turned }, f, i)),
    figure,
    kind: scene.composition.mentions[figure.mention]!.entry.kind,
  }));
  return {
    sky: doc(f.w, f.h, sky.join('')),
    clouds: clouds ? { rgba: clouds.rgba, width: clouds.width, height: clouds.height } : null,
    near: doc(f.w, f.h, land.join('') + drawOverlays(scene, pal, rng.fork('overlays'), f, detail)),
    figures,
  };
};
