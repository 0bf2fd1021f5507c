// 3D colour look-up tables in the `.cube` text format (Adobe/Resolve; read by ffmpeg's lut3d) (pure). A
// pointwise colour operation written once for still images is sampled on a lattice and applied by ffmpeg
// to every video frame at C speed.
import type { RawImage } from '../../../media/raw-image.js';

/**
 * Lattice points per axis. 18 points put every node on an exact 8-bit value (255 = 17 × 15), so sampling
 * an 8-bit operation introduces no rounding of its own.
 */
export const CUBE_SIZE = 18;

/** The lattice as an image one pixel per node, in `.cube` order (red fastest, then green, then blue). */
export const cubeLattice = (n = CUBE_SIZE, rows = 1): RawImage => {
  const count = n * n * n;
  const data = new Uint8Array(count * rows * 3);
  const step = 255 / (n - 1);
  for (let row = 0; row < rows; row++) {
    for (let b = 0, p = row * count * 3; b < n; b++) {
      for (let g = 0; g < n; g++) {
        for (let r = 0; r < n; r++, p += 3) {
          data[p] = Math.round(r * step);
          data[p + 1] = Math.round(g * step);
          data[p + 2] = Math.round(b * step);
        }
      }
    }
  }
  return { width: count, height: rows, data };
};

/** `.cube` text for `n`³ output colours (rgb24, lattice order), values 0..1 with 6 decimals. */
export const cubeText = (rgb: Uint8Array, n = CUBE_SIZE): string => {
  const count = n * n * n;
  if (rgb.length < count * 3) throw new Error(`cube needs ${count} colours, got ${rgb.length / 3}`);
  const lines = [`LUT_3D_SIZE ${n}`, 'DOMAIN_MIN 0 0 0', 'DOMAIN_MAX 1 1 1'];
  for (let i = 0; i < count * 3; i += 3) {
    lines.push(
      `${(rgb[i]! / 255).toFixed(6)} ${(rgb[i + 1]! / 255).toFixed(6)} ${(rgb[i + 2]! / 255).toFixed(6)}`,
    );
  }
  return `${lines.join('\n')}\n`;
};

/** True when a table maps every node to itself (the grade would change nothing). */
export const isIdentityCube = (rgb: Uint8Array, n = CUBE_SIZE): boolean => {
  const lattice = cubeLattice(n).data;
  for (let i = 0; i < lattice.length; i++) if (lattice[i] !== rgb[i]) return false;
  return true;
};
