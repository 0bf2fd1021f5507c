// Simple silhouettes for subjects named in the prompt (boat, lighthouse, birds, tree, cabin) and
// weather overlays (rain, snow). Silhouettes, not renderings: the engine does not pretend to draw detail.
import { mix } from '../../../media/color.js';
import type { Palette } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './scene.js';
import { fill, n } from './svg.js';
import type { Detail, Frame } from './terrain.js';

const boat = (x: number, y: number, s: number): string =>
  `M${n(x - s)} ${n(y)}L${n(x + s)} ${n(y)}L${n(x + s * 0.75)} ${n(y + s * 0.22)}L${n(x - s * 0.7)} ${n(y + s * 0.22)}Z` +
  `M${n(x)} ${n(y - s * 1.6)}L${n(x)} ${n(y - s * 0.05)}L${n(x + s * 0.8)} ${n(y - s * 0.1)}Z` +
  `M${n(x - s * 0.08)} ${n(y - s * 1.3)}L${n(x - s * 0.08)} ${n(y - s * 0.1)}L${n(x - s * 0.7)} ${n(y - s * 0.12)}Z`;

const bird = (x: number, y: number, s: number): string =>
  `M${n(x - s)} ${n(y - s * 0.3)}Q${n(x - s * 0.45)} ${n(y - s * 0.55)} ${n(x)} ${n(y)}Q${n(x + s * 0.45)} ${n(y - s * 0.55)} ${n(x + s)} ${n(y - s * 0.3)}Q${n(x + s * 0.45)} ${n(y - s * 0.3)} ${n(x)} ${n(y + s * 0.12)}Q${n(x - s * 0.45)} ${n(y - s * 0.3)} ${n(x - s)} ${n(y - s * 0.3)}Z`;

/** Subjects standing on or over the horizon. Returns `{front, mirrored}` so water can reflect them. */
export const drawSubjects = (
  scene: Scene,
  pal: Palette,
  rng: Rng,
  f: Frame,
): { front: string; mirrored: string } => {
  const { w, h, horizonY } = f;
  const ink = mix(pal.near, [0, 0, 0], 0.3);
  let front = '';
  let mirrored = '';
  const s = Math.min(w, h);
  if (scene.subjects.includes('lighthouse')) {
    const x = w * (scene.sunX > 0.5 ? 0.18 : 0.82);
    const base = horizonY + (scene.water ? h * 0.01 : 0);
    const th = s * 0.28;
    const tw = s * 0.035;
    const d =
      `M${n(x - tw)} ${n(base)}L${n(x - tw * 0.65)} ${n(base - th)}L${n(x + tw * 0.65)} ${n(base - th)}L${n(x + tw)} ${n(base)}Z` +
      `M${n(x - tw * 0.9)} ${n(base - th)}h${n(tw * 1.8)}v${n(-tw * 0.25)}h${n(-tw * 1.8)}Z` +
      `M${n(x - tw * 0.45)} ${n(base - th - tw * 0.25)}h${n(tw * 0.9)}v${n(-tw * 0.8)}h${n(-tw * 0.9)}Z` +
      `M${n(x - tw * 0.6)} ${n(base - th - tw * 1.05)}L${n(x)} ${n(base - th - tw * 1.6)}L${n(x + tw * 0.6)} ${n(base - th - tw * 1.05)}Z` +
      `M${n(x - s * 0.12)} ${n(base + 2)}Q${n(x - s * 0.06)} ${n(base - s * 0.04)} ${n(x)} ${n(base - s * 0.035)}Q${n(x + s * 0.08)} ${n(base - s * 0.03)} ${n(x + s * 0.13)} ${n(base + 2)}Z`;
    front += `<path d="${d}" fill="${fill(ink)}"/>`;
    mirrored += `<path d="${d}" fill="${fill(mix(ink, pal.water, 0.3))}"/>`;
    const lampY = base - th - tw * 0.65;
    front += `<defs><radialGradient id="lamp"><stop offset="0" stop-color="${fill(pal.lights)}"/><stop offset="0.2" stop-color="${fill(pal.lights)}" stop-opacity="0.6"/><stop offset="1" stop-color="${fill(pal.lights)}" stop-opacity="0"/></radialGradient></defs>`;
    front += `<circle cx="${n(x)}" cy="${n(lampY)}" r="${n(tw * 3)}" fill="url(#lamp)"/>`;
  }
  if (scene.subjects.includes('cabin')) {
    const x = w * rng.range(0.3, 0.7);
    const base = scene.water ? horizonY : horizonY + h * 0.12;
    const cw = s * 0.06;
    const d = `M${n(x - cw)} ${n(base)}v${n(-cw * 0.8)}l${n(cw)} ${n(-cw * 0.7)}l${n(cw)} ${n(cw * 0.7)}v${n(cw * 0.8)}Z`;
    front += `<path d="${d}" fill="${fill(ink)}"/><rect x="${n(x - cw * 0.5)}" y="${n(base - cw * 0.6)}" width="${n(cw * 0.35)}" height="${n(cw * 0.3)}" fill="${fill(pal.lights)}"/>`;
  }
  if (scene.subjects.includes('tree')) {
    const x = w * (scene.sunX > 0.5 ? 0.25 : 0.75);
    const base = scene.water ? horizonY : h * 0.98;
    const th = s * 0.35;
    let d = `M${n(x - s * 0.012)} ${n(base)}L${n(x - s * 0.006)} ${n(base - th * 0.6)}L${n(x + s * 0.006)} ${n(base - th * 0.6)}L${n(x + s * 0.014)} ${n(base)}Z`;
    for (let i = 0; i < 14; i++) {
      const a = rng.range(0, Math.PI * 2);
      const rr = rng.range(0.1, 0.5) * th * 0.5;
      d += `M${n(x + Math.cos(a) * rr * 1.4)} ${n(base - th * 0.7 + Math.sin(a) * rr * 0.7)}m${n(-th * 0.12)} 0a${n(th * 0.12)} ${n(th * 0.1)} 0 1 0 ${n(th * 0.24)} 0a${n(th * 0.12)} ${n(th * 0.1)} 0 1 0 ${n(-th * 0.24)} 0`;
    }
    front += `<path d="${d}" fill="${fill(ink)}"/>`;
  }
  if (scene.subjects.includes('boat') && scene.water) {
    const x = w * rng.range(0.2, 0.8);
    const y = horizonY + (h - horizonY) * rng.range(0.2, 0.45);
    const bs = s * 0.05;
    front += `<path d="${boat(x, y, bs)}" fill="${fill(ink)}"/>`;
    front += `<path d="${boat(x, y + bs * 0.5, bs)}" transform="matrix(1 0 0 -0.6 0 ${n((y + bs * 0.46) * 1.6)})" fill="${fill(ink)}" opacity="0.3"/>`;
  }
  return { front, mirrored };
};

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
