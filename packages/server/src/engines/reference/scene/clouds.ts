// Clouds and nebulae as an fBm value-noise field, computed at a fraction of the canvas size and handed
// to the SVG as an embedded image: soft forms are cheap at low resolution and scale up smoothly.
import type { Rgb } from '../../../media/color.js';
import type { Palette } from './palette.js';
import type { Scene } from './scene.js';
import type { Light } from './sky.js';
import type { Detail, Frame } from './terrain.js';

const lattice = (x: number, y: number, seed: number): number => {
  let h = (Math.imul(x, 1619) + Math.imul(y, 31337) + Math.imul(seed, 1013)) | 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
};

const valueNoise = (x: number, y: number, seed: number): number => {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = x - xi;
  const fy = y - yi;
  const u = fx * fx * (3 - 2 * fx);
  const v = fy * fy * (3 - 2 * fy);
  const a = lattice(xi, yi, seed);
  const b = lattice(xi + 1, yi, seed);
  const c = lattice(xi, yi + 1, seed);
  const d = lattice(xi + 1, yi + 1, seed);
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
};

/** Fractal Brownian motion, 0..~1. */
export const fbm = (x: number, y: number, seed: number, octaves: number): number => {
  let s = 0;
  let amp = 0.5;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    s += amp * valueNoise(x, y, seed + o * 101);
    norm += amp;
    x *= 2.03;
    y *= 2.03;
    amp *= 0.5;
  }
  return s / norm;
};

/** An RGBA layer at reduced resolution. */
export interface CloudLayer {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

const smoothstep = (a: number, b: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

/**
 * Clouds lit from the light source: each pixel's density comes from fBm, its colour from the density
 * gradient toward the light (the side facing the sun is brighter). Returns null for a cloudless sky.
 */
export const cloudLayer = (
  scene: Scene,
  pal: Palette,
  light: Light,
  f: Frame,
  seed: number,
  detail: Detail,
): CloudLayer | null => {
  const cover: Record<Scene['weather'], number> = {
    clear: 0.2,
    cloudy: 0.6,
    fog: 0.45,
    rain: 0.8,
    snow: 0.65,
    storm: 0.9,
  };
  const amount = scene.space ? 0.55 : cover[scene.weather];
  const scale = 4;
  const width = Math.ceil(f.w / scale);
  const height = Math.ceil(f.h / scale);
  // Clamped: palette colours may sit slightly outside 0..255 after Lab tinting.
  const rgba = new Uint8ClampedArray(width * height * 4);
  const octaves = 5 + detail.level * 2;
  const lx = light.x / scale;
  const ly = light.y / scale;
  const horizon = f.horizonY / scale;
  const freq = 3.2 / width;
  const lit: Rgb = pal.cloudLit;
  const shade: Rgb = scene.space ? pal.skyMid : pal.cloudShade;
  const threshold = 0.62 - amount * 0.32;
  for (let y = 0; y < height; y++) {
    const fromHorizon = (horizon - y) / horizon;
    // Clouds thin out toward the horizon (perspective) and vanish below it.
    const band = scene.space
      ? 1
      : smoothstep(-0.02, 0.35, fromHorizon) * (1 - 0.35 * smoothstep(0.6, 1, fromHorizon));
    if (band <= 0) continue;
    for (let x = 0; x < width; x++) {
      // Stretched horizontally: stratus-like layers read as "sky" better than round blobs.
      const nx = x * freq;
      const ny = y * freq * (scene.space ? 1.2 : 2.6);
      const warp = fbm(nx * 0.5 + 7, ny * 0.5, seed + 7, 3) * 1.6;
      const v = fbm(nx + warp, ny, seed, octaves);
      const dens = smoothstep(threshold, threshold + 0.22, v) * band;
      if (dens <= 0.003) continue;
      const dx = lx - x;
      const dy = ly - y;
      const dl = Math.hypot(dx, dy) || 1;
      const ahead = fbm(nx + warp + (dx / dl) * 0.06, ny + (dy / dl) * 0.06, seed, octaves - 2);
      const litness = Math.min(1, Math.max(0, 0.55 + (v - ahead) * 9 - dens * 0.25));
      const near = Math.max(0, 1 - dl / (width * 0.45));
      const k = Math.min(1, litness + near * 0.35);
      const p = (y * width + x) * 4;
      rgba[p] = shade[0] + (lit[0] - shade[0]) * k;
      rgba[p + 1] = shade[1] + (lit[1] - shade[1]) * k;
      rgba[p + 2] = shade[2] + (lit[2] - shade[2]) * k;
      rgba[p + 3] = Math.min(255, dens * (scene.space ? 150 : 235));
    }
  }
  return { width, height, rgba };
};
