// Water below the horizon: a graded surface, mirrored land and skyline, the light's glitter path and
// ripple lines.
import { mix } from '../../../media/color.js';
import type { Palette } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './scene.js';
import type { Light } from './sky.js';
import { fill, fillBelow, n, vGradient } from './svg.js';
import type { Detail, Frame, LandLayer } from './terrain.js';

/** The water in three parts, back to front: the surface with its reflections, what moves on it, fog over it. */
export interface WaterParts {
  surface: string;
  /** Ripple lines and the light's glitter path: video moves them over the surface (the water stirs). */
  ripples: string;
  fog: string;
}

/**
 * The water surface and everything reflected in it (`mirrored` is the SVG of objects standing on the
 * horizon), in its parts.
 */
export const waterParts = (
  scene: Scene,
  pal: Palette,
  light: Light,
  rng: Rng,
  f: Frame,
  detail: Detail,
  land: readonly LandLayer[],
  mirrored: string,
): WaterParts => {
  const { w, h, horizonY } = f;
  const depth = h - horizonY;
  // Named water ("a turquoise sea") shows its own colour through the reflected sky.
  const own = pal.waterOwn;
  const surfaceTop = mix(mix(pal.skyHorizon, pal.water, 0.35), pal.water, own * 0.45);
  const surfaceMid = mix(mix(pal.water, pal.skyMid, 0.3), pal.water, own);
  const surfaceBottom = mix(mix(pal.water, pal.skyTop, 0.5), mix(pal.water, [0, 0, 0], 0.2), own);
  let out = `<defs>${vGradient(
    'water',
    [
      [0, surfaceTop],
      [0.35, surfaceMid],
      [1, surfaceBottom],
    ],
    horizonY,
    h,
  )}</defs>`;
  out += `<rect x="0" y="${n(horizonY)}" width="${w}" height="${n(depth + 1)}" fill="url(#water)"/>`;
  // Reflections: the land and skyline flipped about the horizon, squashed and darkened.
  let refl = '';
  for (const layer of land) {
    refl += `<path d="${fillBelow(layer.pts, horizonY + 2)}" fill="${fill(mix(layer.color, pal.water, 0.35))}"/>`;
  }
  out += `<g transform="matrix(1 0 0 -0.8 0 ${n(horizonY * 1.8)})" opacity="0.55">${refl}${mirrored}</g>`;
  const surface = out;
  out = '';
  // Ripples break the mirror: thin horizontal strokes, denser near the horizon.
  const ripples = 220 + detail.level * 500;
  let lightD = '';
  let darkD = '';
  for (let i = 0; i < ripples; i++) {
    const t = Math.pow(rng.next(), 1.8);
    const y = horizonY + 2 + t * depth;
    const len = rng.range(20, 160) * (0.3 + t);
    const x = rng.range(-50, w);
    const seg = `M${n(x)} ${n(y)}h${n(len)}`;
    if (rng.chance(0.5)) lightD += seg;
    else darkD += seg;
  }
  const thick = Math.max(1, h / 700);
  out += `<path d="${lightD}" stroke="${fill(mix(pal.skyHorizon, pal.glow, 0.3))}" stroke-opacity="0.18" stroke-width="${n(thick)}"/>`;
  out += `<path d="${darkD}" stroke="${fill(mix(pal.water, [0, 0, 0], 0.4))}" stroke-opacity="0.22" stroke-width="${n(thick)}"/>`;
  if (light.visible && light.y < horizonY) {
    // Glitter path: short bright dashes under the light, widening toward the viewer.
    const count = 260 + detail.level * 600;
    let d = '';
    for (let i = 0; i < count; i++) {
      const t = Math.pow(rng.next(), 1.3);
      const y = horizonY + 2 + t * depth;
      const spread = light.r * (1.2 + t * 6) * (light.isMoon ? 0.8 : 1);
      const x = light.x + (rng.next() + rng.next() - 1) * spread * 2;
      const len = rng.range(4, 30) * (0.4 + t);
      d += `M${n(x - len / 2)} ${n(y)}h${n(len)}`;
    }
    out += `<path d="${d}" stroke="${fill(mix(pal.sun, pal.glow, 0.3))}" stroke-opacity="${light.isMoon ? 0.55 : 0.7}" stroke-width="${n(thick * 1.6)}"/>`;
  }
  const ripplesSvg = out;
  out = '';
  if (scene.weather === 'fog') {
    out += `<defs>${vGradient(
      'seaFog',
      [
        [0, pal.haze, 0.7],
        [1, pal.haze, 0],
      ],
      horizonY - h * 0.04,
      horizonY + depth * 0.4,
    )}</defs>`;
    out += `<rect x="0" y="${n(horizonY - h * 0.04)}" width="${w}" height="${n(depth * 0.45)}" fill="url(#seaFog)"/>`;
  }
  return { surface, ripples: ripplesSvg, fog: out };
};
