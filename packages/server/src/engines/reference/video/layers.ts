// Splits the image engine's scene into depth layers for video: the same drawing functions and random
// forks as compose.ts (so a frame reads like the still the same prompt would give), but sky, clouds, land
// and the near plane (land, water and the weather overlays in front of them) become separate images that
// the camera can move at different speeds; the water's ripples ride the near plane with a sway of their
// own, and each subject is a layer of its own, so it can move by itself.
import { cloudLayer } from '../scene/clouds.js';
import { groundLayers, layout, skyParts, type ComposeInput } from '../scene/compose.js';
import { drawFigure, stageFigures, type Figure } from '../scene/figures.js';
import type { SubjectKind } from '../scene/lexicon.js';
import { moves } from './motion.js';
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
   * With water: its ripples and glitter, which stir over it, and what the near plane holds above them (fog
   * on the water, the setting, the subjects that stay put, the weather), which then is not in `near`. The
   * ripples lie below the horizon, so their SVG draws only the canvas from row `top` down (the rows above
   * are transparent): rasterising the whole canvas would draw and scan twice the pixels for nothing.
   */
  water: { ripples: { svg: string; top: number }; above: string | null } | null;
  /**
   * The subjects on layers of their own (art, shadows, reflection), front-most last, so they can move: every
   * one from the first that moves by itself; `svg` draws it, turned the other way round when `turned`.
   */
  figures: { svg: (turned: boolean) => string; figure: Figure; kind: SubjectKind }[];
}

const doc = (w: number, h: number, body: string): string => band(w, h, 0, body);

/** An SVG document of the canvas's rows `top`…`h` (a whole number of px, so pixels land where they would). */
const band = (w: number, h: number, top: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h - top}" viewBox="0 ${top} ${w} ${h - top}">${body}</svg>`;

/**
 * First canvas row of the water's ripples layer: its strokes are centred at least 2 px below the horizon and
 * reach under 1.5 px above their centre up to 1080p; 4 rows above the horizon, so the layer's padded pixel
 * box is the one the whole canvas gives (layers.test.ts).
 */
const ripplesTop = (f: { h: number; horizonY: number }): number =>
  Math.min(f.h - 2, Math.max(0, Math.floor(f.horizonY) - 4));

/**
 * The subjects that get layers of their own, as {@link sceneLayers} draws them, and the SVG of those that
 * stay put behind every moving one (they join the near plane). Pure; draws nothing else of the scene.
 */
export const figureLayers = (input: ComposeInput): { still: string; figures: SceneLayers['figures'] } => {
  const { scene, palette: pal } = input;
  const { frame: f, light } = layout(input);
  // Subjects that stay put and stand behind every moving one join the near plane; the rest get layers of
  // their own (a dozen eggs is not a dozen overlays, and nothing that moves passes behind a still one).
  const staged = stageFigures(scene, f);
  const kindOf = (figure: Figure): SubjectKind => scene.composition.mentions[figure.mention]!.entry.kind;
  const firstMoving = staged.findIndex((figure) => moves(kindOf(figure)));
  const still = firstMoving < 0 ? staged.length : firstMoving;
  const drawn = (figure: Figure, i: number, turned = false): string =>
    drawFigure(scene, pal, light, { ...figure, flip: figure.flip !== turned }, f, i);
  return {
    still: staged
      .slice(0, still)
      .map((figure, i) => drawn(figure, i))
      .join(''),
    figures: staged.slice(still).map((figure, k) => ({
      svg: (turned: boolean) => doc(f.w, f.h, drawn(figure, still + k, turned)),
      figure,
      kind: kindOf(figure),
    })),
  };
};

/** Draws the layers at the input's (oversized) canvas. Pure. */
export const sceneLayers = (input: ComposeInput): SceneLayers => {
  const { scene, palette: pal, detail } = input;
  const { frame: f, light } = layout(input);
  const rng = new Rng(input.seed);
  const sky = [...skyParts(scene, pal, light, rng, f, detail), drawLightDisc(pal, light)];
  const clouds = cloudLayer(scene, pal, light, f, input.seed, detail);
  const ground = groundLayers(scene, pal, light, rng, f, detail, false);
  const { still, figures } = figureLayers(input);
  const above = ground.above.join('') + still + drawOverlays(scene, pal, rng.fork('overlays'), f, detail);
  const below = ground.below.join('');
  const top = ripplesTop(f);
  return {
    sky: doc(f.w, f.h, sky.join('')),
    clouds: clouds ? { rgba: clouds.rgba, width: clouds.width, height: clouds.height } : null,
    // Without water there is nothing between the two halves of the plane: one layer, one overlay.
    near: doc(f.w, f.h, ground.ripples ? below : below + above),
    water: ground.ripples
      ? {
          ripples: { svg: band(f.w, f.h, top, ground.ripples), top },
          above: above ? doc(f.w, f.h, above) : null,
        }
      : null,
    figures,
  };
};
