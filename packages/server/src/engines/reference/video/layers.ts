// Splits the image engine's scene into depth layers for video: the same drawing functions and random
// forks as compose.ts (so a frame reads like the still the same prompt would give), but sky, clouds, land
// and the near plane (land, water, subjects and the weather overlays in front of them) become separate
// images that the camera can move at different speeds.
import { drawCity } from '../city.js';
import { cloudLayer } from '../clouds.js';
import { layout, type ComposeInput } from '../compose.js';
import { Rng } from '../rng.js';
import { drawAurora, drawLightDisc, drawPlanet, drawSky, drawStars } from '../sky.js';
import { drawOverlays, drawSubjects } from '../subjects.js';
import { n } from '../svg.js';
import { drawLand } from '../terrain.js';
import { drawWater } from '../water.js';

/** The SVG documents of one scene, back to front; `clouds` is a low-resolution RGBA raster or null. */
export interface SceneLayers {
  sky: string;
  clouds: { rgba: Uint8ClampedArray; width: number; height: number } | null;
  /** Land, water and subjects with the weather overlays drawn over them: one plane, as they move together. */
  near: string;
}

const doc = (w: number, h: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

/** Draws the layers at the input's (oversized) canvas. Pure. */
export const sceneLayers = (input: ComposeInput): SceneLayers => {
  const { scene, palette: pal, detail } = input;
  const { frame: f, light } = layout(input);
  const rng = new Rng(input.seed);
  const sky: string[] = [drawSky(scene, pal, light, f)];
  sky.push(drawStars(scene, pal, rng.fork('stars'), f, detail));
  if (scene.subjects.includes('aurora')) sky.push(drawAurora(rng.fork('aurora'), f, detail));
  if (scene.subjects.includes('planet')) sky.push(drawPlanet(pal, rng.fork('planet'), f));
  sky.push(drawLightDisc(pal, light));
  const clouds = cloudLayer(scene, pal, light, f, input.seed, detail);

  const land: string[] = [];
  let ground: ReturnType<typeof drawLand>['layers'] = [];
  if (scene.terrain !== 'none') {
    const drawn = drawLand(scene, pal, rng.fork('land'), f, detail);
    ground = drawn.layers;
    land.push(drawn.svg);
  }
  let mirrored = '';
  if (scene.city) {
    const city = drawCity(scene, pal, rng.fork('city'), f, detail);
    land.push(city.svg);
    mirrored += city.silhouette;
  }
  const subjects = drawSubjects(scene, pal, rng.fork('subjects'), f);
  mirrored += subjects.mirrored;
  if (scene.water) {
    land.push(drawWater(scene, pal, light, rng.fork('water'), f, detail, ground, mirrored));
  } else if (scene.space && scene.terrain === 'none') {
    land.push(
      `<path d="M0 ${n(f.h)}L0 ${n(f.horizonY + f.h * 0.05)}Q${n(f.w * 0.3)} ${n(f.horizonY - f.h * 0.03)} ${n(f.w * 0.55)} ${n(f.horizonY + f.h * 0.04)}T${n(f.w)} ${n(f.horizonY)}L${n(f.w)} ${n(f.h)}Z" fill="#06070c"/>`,
    );
  }
  land.push(subjects.front);
  return {
    sky: doc(f.w, f.h, sky.join('')),
    clouds: clouds ? { rgba: clouds.rgba, width: clouds.width, height: clouds.height } : null,
    near: doc(f.w, f.h, land.join('') + drawOverlays(scene, pal, rng.fork('overlays'), f, detail)),
  };
};
