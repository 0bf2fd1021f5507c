// What is drawn in front of everything: a flock of bird silhouettes and the falling weather (rain, snow,
// fog). The things a prompt names are figures (figures.ts).
import { mix } from '../../../media/color.js';
import type { Palette } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './scene.js';
import { fill, n } from './svg.js';
import type { Detail, Frame } from './terrain.js';

const bird = (x: number, y: number, s: number): string =>
  `M${n(x - s)} ${n(y - s * 0.3)}Q${n(x - s * 0.45)} ${n(y - s * 0.55)} ${n(x)} ${n(y)}Q${n(x + s * 0.45)} ${n(y - s * 0.55)} ${n(x + s)} ${n(y - s * 0.3)}Q${n(x + s * 0.45)} ${n(y - s * 0.3)} ${n(x)} ${n(y + s * 0.12)}Q${n(x - s * 0.45)} ${n(y - s * 0.3)} ${n(x - s)} ${n(y - s * 0.3)}Z`;

/** Flying birds and falling weather, drawn last so they sit in front. */
export const drawOverlays = (scene: Scene, pal: Palette, rng: Rng, f: Frame, detail: Detail): string => {
  const { w, h } = f;
  let out = '';
  if (scene.subjects.includes('birds')) {
    let d = '';
    const cx = w * rng.range(0.3, 0.7);
    const cy = h * rng.range(0.15, 0.35);
    for (let i = 0; i < 9; i++)
      d += bird(
        cx + rng.range(-0.15, 0.15) * w,
        cy + rng.range(-0.08, 0.08) * h,
        Math.min(w, h) * rng.range(0.008, 0.02),
      );
    out += `<path d="${d}" fill="${fill(mix(pal.near, [0, 0, 0], 0.2))}"/>`;
  }
  if (scene.weather === 'rain' || scene.weather === 'storm') {
    let d = '';
    const drops = 900 + detail.level * 1200;
    for (let i = 0; i < drops; i++) {
      const x = rng.range(-100, w);
      const y = rng.range(-50, h);
      const len = rng.range(0.015, 0.04) * h;
      d += `M${n(x)} ${n(y)}l${n(len * 0.18)} ${n(len)}`;
    }
    out += `<path d="${d}" stroke="${fill(mix(pal.skyHorizon, [255, 255, 255], 0.3))}" stroke-opacity="0.28" stroke-width="${n(Math.max(1, h / 900))}"/>`;
  }
  if (scene.weather === 'snow') {
    let d = '';
    const flakes = 700 + detail.level * 900;
    for (let i = 0; i < flakes; i++) {
      const r = rng.range(0.6, 2.6) * (h / 1000);
      d += `M${n(rng.range(0, w) - r)} ${n(rng.range(0, h))}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;
    }
    out += `<path d="${d}" fill="#ffffff" opacity="0.8"/>`;
  }
  if (scene.weather === 'fog') {
    out += `<rect width="${w}" height="${h}" fill="${fill(pal.haze)}" opacity="0.18"/>`;
  }
  return out;
};
