// What reference images contribute: their dominant colours (for the scene palette) and their Lab
// statistics (for a final colour transfer).
import { imageToLab, labStats, type LabStats, type Rgb } from '../../../media/color.js';
import { extractPalette } from '../../../media/metrics.js';
import { decodeImage } from '../../../media/raster.js';
import type { RawImage } from '../../../media/raw-image.js';

/** Colour facts about a set of reference images; null when there are none. */
export interface ReferenceLook {
  colors: Rgb[];
  stats: LabStats;
}

/** Decodes each reference small (colour, not detail, is what matters) and pools their pixels. */
export const readReferences = async (paths: readonly string[]): Promise<ReferenceLook | null> => {
  if (paths.length === 0) return null;
  const images = await Promise.all(paths.map((p) => decodeImage(p, { fit: { width: 96, height: 96 } })));
  const total = images.reduce((s, i) => s + i.data.length, 0);
  const data = new Uint8Array(total);
  let o = 0;
  for (const img of images) {
    data.set(img.data, o);
    o += img.data.length;
  }
  const pooled: RawImage = { width: total / 3, height: 1, data };
  return {
    colors: extractPalette(pooled, 5).map((e) => e.color),
    stats: labStats(imageToLab(pooled)),
  };
};
