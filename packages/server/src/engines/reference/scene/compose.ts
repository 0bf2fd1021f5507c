// Assembles a scene's layers, back to front, into one SVG document. Pure: the cloud layer arrives as a
// ready data URI so this module never touches an encoder.
import { drawCity } from './city.js';
import { drawLettering } from './lettering.js';
import type { Palette } from './palette.js';
import { Rng } from './rng.js';
import type { Scene } from './scene.js';
import { drawAurora, drawLightDisc, drawPlanet, drawSky, drawStars, placeLight, type Light } from './sky.js';
import { drawFigures, drawSetting, drawShore, logoFigures, stageFigures } from './figures.js';
import { drawOverlays } from './subjects.js';
import { n } from './svg.js';
import { drawLand, type Detail, type Frame, type LandLayer } from './terrain.js';
import { waterParts } from './water.js';

/** Everything the composer needs. */
export interface ComposeInput {
  scene: Scene;
  palette: Palette;
  width: number;
  height: number;
  seed: number;
  detail: Detail;
}

/** The frame and light a scene will use; computed first so the cloud layer can be lit consistently. */
export const layout = (input: ComposeInput): { frame: Frame; light: Light } => {
  const frame: Frame = { w: input.width, h: input.height, horizonY: input.height * input.scene.horizon };
  return { frame, light: placeLight(input.scene, frame) };
};

/** The sky behind everything: gradient, stars, aurora, planet (the light disc is placed by the caller). */
export const skyParts = (
  scene: Scene,
  pal: Palette,
  light: Light,
  rng: Rng,
  f: Frame,
  detail: Detail,
): string[] => {
  const parts = [drawSky(scene, pal, light, f), drawStars(scene, pal, rng.fork('stars'), f, detail)];
  if (scene.subjects.includes('aurora')) parts.push(drawAurora(rng.fork('aurora'), f, detail));
  if (scene.subjects.includes('planet')) parts.push(drawPlanet(pal, rng.fork('planet'), f));
  return parts;
};

/**
 * Everything on the ground, back to front: land, city, water (mirroring the skyline), the indoor setting and
 * the subjects (`withFigures` false leaves them out, for video, which moves them on layers of their own).
 * Split where video needs it: what lies below the water's ripples (land, skyline, the water's surface), the
 * ripples (empty without water) and what stands above them (fog, the setting, the subjects); a still draws
 * the three in that order. Same drawing, same random draws.
 */
export const groundLayers = (
  scene: Scene,
  pal: Palette,
  light: Light,
  rng: Rng,
  f: Frame,
  detail: Detail,
  withFigures = true,
): { below: string[]; ripples: string; above: string[] } => {
  const below: string[] = [];
  const above: string[] = [];
  let ripples = '';
  let land: LandLayer[] = [];
  if (scene.terrain !== 'none') {
    const drawn = drawLand(scene, pal, rng.fork('land'), f, detail);
    land = drawn.layers;
    below.push(drawn.svg);
  }
  let mirrored = '';
  if (scene.city) {
    const city = drawCity(scene, pal, rng.fork('city'), f, detail);
    below.push(city.svg);
    mirrored += city.silhouette;
  }
  const figures = stageFigures(scene, f);
  if (scene.water) {
    const water = waterParts(scene, pal, light, rng.fork('water'), f, detail, land, mirrored);
    below.push(water.surface);
    ripples = water.ripples;
    above.push(water.fog);
  } else if (scene.space && scene.terrain === 'none') {
    // A barren foreground ridge gives space scenes a sense of scale.
    below.push(
      `<path d="M0 ${n(f.h)}L0 ${n(f.horizonY + f.h * 0.05)}Q${n(f.w * 0.3)} ${n(f.horizonY - f.h * 0.03)} ${n(f.w * 0.55)} ${n(f.horizonY + f.h * 0.04)}T${n(f.w)} ${n(f.horizonY)}L${n(f.w)} ${n(f.h)}Z" fill="#06070c"/>`,
    );
  }
  above.push(drawSetting(scene, pal, f));
  // Video moves its figures on layers of their own; the shore they stand on stays with the ground. A
  // logo's subject is its emblem's picture, drawn with the lettering (composeSvg).
  const logo = scene.lettering?.kind === 'logo';
  if (!logo)
    above.push(
      withFigures ? drawFigures(scene, pal, light, figures, f, detail) : drawShore(scene, pal, figures, f),
    );
  return { below, ripples, above };
};

/** Builds the SVG. `cloudsHref` is a data URI of the low-resolution cloud layer, or null. */
export const composeSvg = (input: ComposeInput, cloudsHref: string | null): string => {
  const { scene, palette: pal, detail } = input;
  const { frame: f, light } = layout(input);
  const rng = new Rng(input.seed);
  const parts = skyParts(scene, pal, light, rng, f, detail);
  if (cloudsHref) {
    parts.push(
      `<image href="${cloudsHref}" x="0" y="0" width="${f.w}" height="${f.h}" preserveAspectRatio="none"/>`,
    );
  }
  parts.push(drawLightDisc(pal, light));
  const ground = groundLayers(scene, pal, light, rng, f, detail);
  parts.push(...ground.below, ground.ripples, ...ground.above);
  parts.push(drawOverlays(scene, pal, rng.fork('overlays'), f, detail));
  // Words go on top of everything, weather included: they were asked for to be read, and rain or fog over
  // a title or sign would hide them. They draw nothing from `rng`, so the rest of the scene is unchanged.
  parts.push(drawLettering(scene.lettering, f, scene.time));
  if (scene.lettering?.kind === 'logo')
    parts.push(drawFigures(scene, pal, light, logoFigures(scene, f), f, detail));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.w}" height="${f.h}" viewBox="0 0 ${f.w} ${f.h}">${parts.join('')}</svg>`;
};
