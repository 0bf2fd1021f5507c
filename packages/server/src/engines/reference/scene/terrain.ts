// Land: fractal ridgelines (midpoint displacement) drawn as hazy receding layers, rolling hills, dunes
// and conifer silhouettes.
import { mix, type Rgb } from '../../../media/color.js';
import type { Palette } from './palette.js';
import type { Rng } from './rng.js';
import type { Scene } from './scene.js';
import { snowCap } from './snowcaps.js';
import { fill, fillBelow, n, op, vGradient, type Pt } from './svg.js';

/** How much geometry to generate: uni-1 = 0, uni-1-max = 1. */
export interface Detail {
  level: 0 | 1;
}

/** Midpoint-displacement ridge across [x0, x1]; `depth` subdivisions give 2^depth segments. */
export const ridge = (
  rng: Rng,
  x0: number,
  x1: number,
  base: number,
  amp: number,
  depth: number,
  roughness: number,
): Pt[] => {
  const count = 2 ** depth;
  const ys = new Float64Array(count + 1);
  // Seed a coarse level of independent peaks so a range has several summits, not one hump.
  const coarse = Math.min(count, 8);
  const stride = count / coarse;
  for (let i = 0; i <= coarse; i++) ys[i * stride] = base - amp * Math.pow(rng.next(), 0.7) + amp * 0.3;
  let step = stride;
  let scale = amp * 0.45;
  while (step > 1) {
    const half = step / 2;
    for (let i = half; i < count; i += step) {
      ys[i] = (ys[i - half]! + ys[i + half]!) / 2 + rng.range(-scale, scale);
    }
    step = half;
    scale *= roughness;
  }
  const pts: Pt[] = [];
  for (let i = 0; i <= count; i++) pts.push([x0 + ((x1 - x0) * i) / count, ys[i]!]);
  return pts;
};

/** Lowpass over y values: hills and dunes are ridges with the fractal detail smoothed out. */
export const smooth = (pts: Pt[], passes: number): Pt[] => {
  let cur = pts;
  for (let k = 0; k < passes; k++) {
    cur = cur.map((p, i) => {
      const a = cur[Math.max(0, i - 1)]!;
      const b = cur[Math.min(cur.length - 1, i + 1)]!;
      return [p[0], (a[1] + 2 * p[1] + b[1]) / 4] as Pt;
    });
  }
  return cur;
};

/** One drawn land layer, also handed to the water layer for reflections. */
export interface LandLayer {
  pts: Pt[];
  color: Rgb;
}

/** Canvas geometry every layer builder takes. */
export interface Frame {
  w: number;
  h: number;
  horizonY: number;
}

const conifers = (
  rng: Rng,
  pts: readonly Pt[],
  h: number,
  density: number,
  minH: number,
  maxH: number,
): string => {
  // All trees of one layer go into one path: one fill operation for the rasteriser.
  let d = '';
  const stepX = (pts[pts.length - 1]![0] - pts[0]![0]) / (pts.length - 1);
  for (let i = 0; i < pts.length; i++) {
    if (!rng.chance(density)) continue;
    const [x, y] = pts[i]!;
    const th = rng.range(minH, maxH) * h;
    const tw = th * rng.range(0.22, 0.32);
    const tiers = 3;
    d += `M${n(x)} ${n(y - th)}`;
    for (let t = 1; t <= tiers; t++) {
      const ty = y - th + (th * t) / tiers;
      const half = (tw / 2) * (t / tiers + 0.25);
      d += `L${n(x + half)} ${n(ty)}L${n(x + half * 0.45)} ${n(ty)}`;
    }
    d += `L${n(x + stepX * 0.1)} ${n(y + 4)}L${n(x - stepX * 0.1)} ${n(y + 4)}`;
    for (let t = tiers; t >= 1; t--) {
      const ty = y - th + (th * t) / tiers;
      const half = (tw / 2) * (t / tiers + 0.25);
      d += `L${n(x - half * 0.45)} ${n(ty)}L${n(x - half)} ${n(ty)}`;
    }
    d += 'Z';
  }
  return d;
};

/** Round crowns on short trunks, as one path of circles; `trunks` collects the trunks. */
const crowns = (
  rng: Rng,
  pts: readonly Pt[],
  h: number,
  density: number,
  minH: number,
  maxH: number,
): { leaves: string; trunks: string } => {
  let leaves = '';
  let trunks = '';
  const circle = (x: number, y: number, r: number): string =>
    `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0`;
  for (const [x, y] of pts) {
    if (!rng.chance(density)) continue;
    const th = rng.range(minH, maxH) * h * 0.8;
    const r = th * rng.range(0.32, 0.42);
    const cy = y - th + r;
    trunks += `M${n(x - r * 0.08)} ${n(y + 4)}L${n(x - r * 0.05)} ${n(cy)}L${n(x + r * 0.05)} ${n(cy)}L${n(x + r * 0.08)} ${n(y + 4)}Z`;
    leaves +=
      circle(x, cy, r) +
      circle(x - r * 0.6, cy + r * 0.3, r * 0.7) +
      circle(x + r * 0.6, cy + r * 0.25, r * 0.75);
  }
  return { leaves, trunks };
};

/**
 * Draws the land as `layers` receding bands: far ones take the haze colour (aerial perspective),
 * near ones the palette's dark land colour; mist gradients sit at each band's foot.
 */
export const drawLand = (
  scene: Scene,
  pal: Palette,
  rng: Rng,
  f: Frame,
  detail: Detail,
): { svg: string; layers: LandLayer[] } => {
  const { w, h, horizonY } = f;
  const out: string[] = [];
  const layers: LandLayer[] = [];
  const mountains = scene.terrain === 'mountains';
  const dunes = scene.terrain === 'dunes';
  const count = (mountains ? 4 : 3) + detail.level * 2;
  const depth = detail.level ? 10 : 7;
  const bottom = scene.water ? horizonY + 2 : h + 2;
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 1 : i / (count - 1);
    const lr = rng.fork(`land${i}`);
    let pts: Pt[];
    if (mountains) {
      const amp = h * (0.2 - 0.1 * t) * (scene.water ? 0.8 : 1);
      const base = horizonY - h * (0.12 - 0.1 * t) + (scene.water ? 0 : h * 0.12 * t * t);
      pts = ridge(lr, -20, w + 20, base, amp, depth, 0.52 + 0.04 * t);
      if (scene.water) pts = pts.map(([x, y]) => [x, Math.min(y, horizonY - 1)] as Pt);
    } else {
      const amp = h * (dunes ? 0.05 : 0.06) * (1 + t);
      const base = scene.water ? horizonY - h * 0.03 * (1 - t) : horizonY + h * 0.18 * t * t - h * 0.03;
      pts = smooth(ridge(lr, -20, w + 20, base, amp, depth, 0.45), dunes ? 6 : 10 + detail.level * 10);
      if (scene.water) pts = pts.map(([x, y]) => [x, Math.min(y, horizonY - 1)] as Pt);
    }
    if (scene.water && i > 1 && !mountains) break;
    const nearColor = dunes
      ? mix(pal.ground, pal.near, 0.25)
      : mountains
        ? pal.near
        : mix(pal.ground, pal.near, 0.5);
    const color = mix(mix(pal.far, pal.haze, 0.25), nearColor, Math.pow(t, 0.8));
    const top = dunes ? mix(color, pal.glow, 0.35 * (1 - t * 0.5)) : mix(color, pal.haze, 0.12 * (1 - t));
    const foot = mix(color, pal.haze, 0.45 * (1 - t * 0.6));
    const minY = Math.min(...pts.map((p) => p[1]));
    const gid = `land${i}`;
    out.push(
      `<defs>${vGradient(
        gid,
        [
          [0, top],
          [0.55, color],
          [1, foot],
        ],
        minY,
        Math.min(bottom, minY + h * 0.45),
      )}</defs>`,
    );
    out.push(`<path d="${fillBelow(pts, bottom)}" fill="url(#${gid})"/>`);
    if (mountains && scene.snowCover) {
      // Far caps fade into the haze like the rock under them.
      out.push(snowCap(pts, i, h, mix(pal.snow, pal.haze, 0.35 * (1 - t)), color, detail.level === 1));
    }
    if (detail.level && mountains) {
      // Rim light along the crest: the finer ridgeline of uni-1-max catches the light.
      const crest = pts.map((p, k) => `${k === 0 ? 'M' : 'L'}${n(p[0])} ${n(p[1])}`).join('');
      out.push(
        `<path d="${crest}" fill="none" stroke="${fill(mix(top, pal.glow, 0.5))}" stroke-opacity="${op(0.5 - 0.3 * t)}" stroke-width="1.5"/>`,
      );
    }
    if (scene.forest && t > 0.4) {
      const tr = rng.fork(`trees${i}`);
      // Named foliage ("pink trees", "autumn forest") shows its colour, hazier on far layers.
      const leaf = pal.foliage ? mix(color, pal.foliage, 0.3 + 0.6 * t) : color;
      if (scene.broadleaf) {
        const every = detail.level ? 6 : 3;
        const b = crowns(
          tr,
          pts.filter((_, k) => k % every === 0),
          h,
          0.7,
          0.035 + 0.03 * t,
          0.06 + 0.05 * t,
        );
        out.push(
          `<path d="${b.trunks}" fill="${fill(mix(color, [20, 14, 12], 0.5))}"/>`,
          `<path d="${b.leaves}" fill="${fill(leaf)}"/>`,
        );
      } else {
        const trees = conifers(
          tr,
          pts.filter((_, k) => k % (detail.level ? 4 : 2) === 0),
          h,
          0.55,
          0.03 + 0.03 * t,
          0.06 + 0.06 * t,
        );
        out.push(`<path d="${trees}" fill="${fill(leaf)}"/>`);
      }
    }
    if (dunes && detail.level) {
      // Wind ripples on the sand: fine detail for uni-1-max.
      const rip = rng.fork(`ripple${i}`);
      let d = '';
      for (let k = 0; k < 40; k++) {
        const p = pts[rip.int(0, pts.length - 1)]!;
        const yy = p[1] + rip.range(8, h * 0.08);
        const len = rip.range(20, 90);
        d += `M${n(p[0])} ${n(yy)}q${n(len / 2)} ${n(-4)} ${n(len)} 0`;
      }
      out.push(
        `<path d="${d}" stroke="${fill(mix(color, pal.glow, 0.3))}" stroke-width="1.5" fill="none" opacity="0.5"/>`,
      );
    }
    if (i < count - 1) {
      const mist = `mist${i}`;
      const my = Math.max(...pts.map((p) => p[1]));
      // The band fades out on both sides, so it never leaves a hard edge.
      const y0 = my - h * 0.12;
      const y1 = Math.min(bottom, my + h * 0.08);
      const a = scene.weather === 'fog' ? 0.75 : 0.35;
      out.push(
        `<defs>${vGradient(
          mist,
          [
            [0, pal.haze, 0],
            [0.6, pal.haze, a],
            [1, pal.haze, scene.water ? a : 0],
          ],
          y0,
          y1,
        )}</defs>`,
        `<rect x="0" y="${n(y0)}" width="${w}" height="${n(Math.max(1, y1 - y0))}" fill="url(#${mist})"/>`,
      );
    }
    layers.push({ pts, color });
  }
  return { svg: out.join(''), layers };
};
