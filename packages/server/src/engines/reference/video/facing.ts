// Which way a subject's art faces, read from the art itself, so video can turn it to face where it goes.
import { rasterizeSvgRgba } from '../../../media/raster.js';
import { iconBody } from '../scene/subject-art.js';
const facings = new Map<string, 1 | -1>();

/**
 * Which way a subject's art faces: the side of its upper part (a head, a cab, a bow) that holds more of its
 * mass. +1 right, −1 left; the engine's own art (`builtin:`) faces right.
 */
export const artFacing = async (icon: string): Promise<1 | -1> => {
  if (icon.startsWith('builtin:')) return 1;
  const known = facings.get(icon);
  if (known) return known;
  const size = 64;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">${iconBody(icon, 'facing')}</svg>`;
  const { data } = await rasterizeSvgRgba(svg);
  let all = 0;
  let allX = 0;
  let top = 0;
  let topX = 0;
  let y0 = size;
  for (let i = 0; i < size * size; i++) if (data[i * 4 + 3]! > 64) y0 = Math.min(y0, Math.floor(i / size));
  for (let i = 0; i < size * size; i++) {
    const a = data[i * 4 + 3]! > 64 ? 1 : 0;
    const x = i % size;
    const y = (i - x) / size;
    all += a;
    allX += a * x;
    if (y < y0 + (size - y0) * 0.45) {
      top += a;
      topX += a * x;
    }
  }
  const facing: 1 | -1 = all === 0 || top === 0 || topX / top >= allX / all ? 1 : -1;
  facings.set(icon, facing);
  return facing;
};
