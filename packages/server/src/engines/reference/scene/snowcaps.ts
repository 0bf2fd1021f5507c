// Snow on the ridges of "snowy mountains": the crest down to a ragged snow line, with fingers of snow
// reaching down the gullies below the highest peaks. No randomness of its own: the snow line's
// raggedness is a fixed function of x, so it never disturbs the scene's random streams.
import { mix, type Rgb } from '../../../media/color.js';
import { fill, n, vGradient, type Pt } from './svg.js';

/** Smooth pseudo-noise in about -1..1, a sum of incommensurate sines. */
const wobble = (x: number, k: number): number =>
  0.55 * Math.sin(x * 0.031 + k * 1.7) * Math.sin(x * 0.0113 + k * 0.9) +
  0.3 * Math.sin(x * 0.083 + k * 2.3) +
  0.15 * Math.sin(x * 0.21 + k * 3.1);

/**
 * The snow cap of one ridge layer `i` (points `pts`, canvas height `h`), filled with `snow` shading
 * toward `rock` at its lower edge.
 */
export const snowCap = (
  pts: readonly Pt[],
  i: number,
  h: number,
  snow: Rgb,
  rock: Rgb,
  fine: boolean,
): string => {
  if (pts.length < 2) return '';
  const ys = pts.map((p) => p[1]).sort((a, b) => a - b);
  const minY = ys[0]!;
  const median = ys[Math.floor(ys.length / 2)]!;
  // The snow level sits between the highest summit and the ridge's typical height.
  const level = minY + (median - minY) * 0.62;
  const rise = Math.max(1, median - minY);
  let d = '';
  const lower: Pt[] = [];
  for (const [x, y] of pts) {
    const height = Math.max(0, (level - y) / rise);
    // Ragged edge plus gullies: higher peaks hold snow further down.
    const edge =
      level +
      wobble(x, i) * h * 0.018 +
      Math.max(0, wobble(x * 2.7, i + 5)) * rise * height * 1.1 +
      (fine ? wobble(x * 9.7, i + 7) * h * 0.007 : 0);
    lower.push([x, Math.max(y, edge)]);
  }
  d += `M${n(pts[0]![0])} ${n(pts[0]![1])}`;
  for (const [x, y] of pts) d += `L${n(x)} ${n(y)}`;
  for (let k = lower.length - 1; k >= 0; k--) d += `L${n(lower[k]![0])} ${n(lower[k]![1])}`;
  d += 'Z';
  const gid = `snow${i}`;
  const grad = vGradient(
    gid,
    [
      [0, snow],
      [0.7, mix(snow, rock, 0.12)],
      [1, mix(snow, rock, 0.45)],
    ],
    minY,
    level + rise * 0.5,
  );
  let out = `<defs>${grad}</defs><path d="${d}" fill="url(#${gid})"/>`;
  if (fine) {
    // uni-1-max: rock ribs showing through the snow, running down from the crest.
    let ribs = '';
    pts.forEach(([x, y], k) => {
      const low = lower[k]![1];
      if (k % 2 !== 0 || low - y < 5 || wobble(x * 5.3, i + 11) < -0.3) return;
      const len = (low - y) * (0.5 + 0.4 * Math.abs(wobble(x * 3.1, i + 2)));
      ribs += `M${n(x)} ${n(y + 2)}l${n(wobble(x, i + 3) * len * 0.3)} ${n(len)}`;
    });
    out += `<path d="${ribs}" fill="none" stroke="${fill(mix(snow, rock, 0.55))}" stroke-width="1.2" stroke-opacity="0.7"/>`;
  }
  return out;
};
