// A skyline on the horizon: receding rows of buildings with roof details and window grids that light
// up after dark.
import { mix, type Rgb } from '../../media/color.js';
import type { Palette } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './scene.js';
import { fill, n } from './svg.js';
import type { Detail, Frame } from './terrain.js';

/** Draws the skyline; its silhouette (without windows) is returned separately for reflections. */
export const drawCity = (
  scene: Scene,
  pal: Palette,
  rng: Rng,
  f: Frame,
  detail: Detail,
): { svg: string; silhouette: string } => {
  const { w, h, horizonY } = f;
  const dark = scene.time === 'night' || scene.time === 'dusk';
  const rows = 2 + detail.level;
  let svg = '';
  let silhouette = '';
  for (let r = 0; r < rows; r++) {
    const t = rows === 1 ? 1 : r / (rows - 1);
    const color: Rgb = mix(mix(pal.far, pal.haze, 0.35), mix(pal.near, [10, 12, 20], 0.3), t);
    const maxH = h * (0.16 + 0.2 * t) * (scene.water ? 1 : 0.9);
    const base = horizonY + (scene.water ? 1 : h * 0.01 * t);
    let x = -rng.range(0, 40);
    let d = '';
    let win = '';
    let winDim = '';
    const lightColor = dark ? pal.lights : mix(pal.skyHorizon, color, 0.4);
    while (x < w + 20) {
      const bw = rng.range(0.025, 0.07) * w * (1 - 0.3 * t);
      const centre = 1 - Math.abs(x / w - 0.5) * 1.2;
      const bh = maxH * rng.range(0.3, 1) * (0.5 + 0.5 * centre);
      const top = base - bh;
      d += `M${n(x)} ${n(base)}V${n(top)}`;
      if (rng.chance(0.25)) {
        // Stepped crown.
        d += `H${n(x + bw * 0.2)}V${n(top - bh * 0.06)}H${n(x + bw * 0.8)}V${n(top)}`;
      }
      if (rng.chance(0.2)) d += `H${n(x + bw / 2 - 1.5)}V${n(top - bh * 0.18)}h3V${n(top)}`;
      d += `H${n(x + bw)}V${n(base)}Z`;
      if (r >= rows - 2) {
        const cell = Math.max(6, w / (240 + detail.level * 160));
        for (let wy = top + cell * 1.2; wy < base - cell; wy += cell * 1.6) {
          for (let wx = x + cell * 0.6; wx < x + bw - cell; wx += cell * 1.4) {
            const lit = rng.next();
            const cellSvg = `M${n(wx)} ${n(wy)}h${n(cell * 0.7)}v${n(cell * 0.9)}h${n(-cell * 0.7)}Z`;
            if (dark ? lit < 0.32 : lit < 0.18) win += cellSvg;
            else if (detail.level && lit < 0.5) winDim += cellSvg;
          }
        }
      }
      x += bw + rng.range(0, 0.01) * w;
    }
    svg += `<path d="${d}" fill="${fill(color)}"/>`;
    silhouette += `<path d="${d}" fill="${fill(mix(color, pal.water, 0.3))}"/>`;
    if (win) svg += `<path d="${win}" fill="${fill(lightColor)}" opacity="${dark ? 0.9 : 0.35}"/>`;
    if (winDim) svg += `<path d="${winDim}" fill="${fill(mix(lightColor, color, 0.6))}" opacity="0.5"/>`;
    if (dark && r === rows - 1) silhouette += `<path d="${win}" fill="${fill(pal.lights)}" opacity="0.6"/>`;
  }
  return { svg, silhouette };
};
