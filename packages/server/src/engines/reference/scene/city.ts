// A skyline on the horizon: receding rows of buildings with roof details and window grids that light
// up after dark.
import { mix, type Rgb } from '../../../media/color.js';
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
    const plain: Rgb = mix(mix(pal.far, pal.haze, 0.35), mix(pal.near, [10, 12, 20], 0.3), t);
    // Named buildings ("red roofs") take their colour, hazier in the back rows.
    const named = pal.city ? mix(plain, pal.city, 0.35 + 0.5 * t) : plain;
    const color: Rgb = pal.cityRoofs ? plain : named;
    let roofs = '';
    const neon = pal.neon.length > 0 && dark && r >= rows - 2;
    const lit: string[] = pal.neon.map(() => '');
    let signs = '';
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
      if (pal.cityRoofs) {
        // A pitched roof in the named colour on every building.
        const pitch = Math.min(bw * 0.35, bh * 0.2);
        roofs += `M${n(x - 1)} ${n(top + 1)}L${n(x + bw / 2)} ${n(top - pitch)}L${n(x + bw + 1)} ${n(top + 1)}Z`;
      }
      // A neon building's colour is a fixed function of its position: no extra random draws.
      const hue =
        Math.floor(Math.abs(Math.sin(x * 12.9898 + r * 78.233)) * 43758.5453) % Math.max(1, pal.neon.length);
      if (neon && Math.abs(Math.sin(x * 4.1 + r)) > 0.55) {
        // Vertical neon signs and lit roof edges.
        const sx = x + bw * 0.15;
        signs += `<rect x="${n(sx)}" y="${n(top + bh * 0.12)}" width="${n(Math.max(2, bw * 0.08))}" height="${n(bh * 0.35)}" fill="${fill(pal.neon[hue] ?? pal.lights)}"/>`;
        signs += `<rect x="${n(x)}" y="${n(top)}" width="${n(bw)}" height="${n(Math.max(1.5, h / 500))}" fill="${fill(pal.neon[(hue + 1) % pal.neon.length] ?? pal.lights)}"/>`;
      }
      if (r >= rows - 2) {
        const cell = Math.max(6, w / (240 + detail.level * 160));
        for (let wy = top + cell * 1.2; wy < base - cell; wy += cell * 1.6) {
          for (let wx = x + cell * 0.6; wx < x + bw - cell; wx += cell * 1.4) {
            const on = rng.next();
            const cellSvg = `M${n(wx)} ${n(wy)}h${n(cell * 0.7)}v${n(cell * 0.9)}h${n(-cell * 0.7)}Z`;
            if (neon && on < 0.32) lit[hue] += cellSvg;
            else if (dark ? on < 0.32 : on < 0.18) win += cellSvg;
            else if (detail.level && on < 0.5) winDim += cellSvg;
          }
        }
      }
      x += bw + rng.range(0, 0.01) * w;
    }
    svg += `<path d="${d}" fill="${fill(color)}"/>`;
    if (roofs) svg += `<path d="${roofs}" fill="${fill(named)}"/>`;
    silhouette += `<path d="${d}" fill="${fill(mix(color, pal.water, 0.3))}"/>`;
    if (win) svg += `<path d="${win}" fill="${fill(lightColor)}" opacity="${dark ? 0.9 : 0.35}"/>`;
    if (winDim) svg += `<path d="${winDim}" fill="${fill(mix(lightColor, color, 0.6))}" opacity="0.5"/>`;
    lit.forEach((d2, k) => {
      const c = pal.neon[k];
      if (d2 && c) {
        svg += `<path d="${d2}" fill="${fill(c)}" opacity="0.9"/>`;
        if (r === rows - 1) silhouette += `<path d="${d2}" fill="${fill(c)}" opacity="0.6"/>`;
      }
    });
    if (signs) svg += `<g opacity="0.95">${signs}</g>`;
    if (dark && r === rows - 1) silhouette += `<path d="${win}" fill="${fill(pal.lights)}" opacity="0.6"/>`;
  }
  return { svg, silhouette };
};
