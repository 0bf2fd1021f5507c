// Output pixel sizes (contract §7 items 18–19). The hosted API does not publish exact sizes, so these
// formulas are the documented proposal; every engine takes its canvas from here so outputs agree.
import type { AspectRatio, Resolution, Style } from './wire.js';

/** Pixel dimensions of an output. */
export interface PixelSize {
  width: number;
  height: number;
}

/** Long edge of every text-to-image output ("2048-pixel (2K)", contract §5.4). */
export const IMAGE_LONG_EDGE = 2048;

/** The ratio used when the request leaves `aspect_ratio` null (uni-1's sweet spot, §7 item 18). */
export const DEFAULT_IMAGE_RATIO: AspectRatio = '16:9';

/**
 * The ratio `style: "manga"` renders at when the request leaves `aspect_ratio` null: a manga page. An
 * explicit ratio must be portrait for manga (§2.8 B7), so the default is one of those, not 16:9
 * (decisions.md, "Manga without a ratio").
 */
export const MANGA_DEFAULT_RATIO: AspectRatio = '2:3';

/** The ratio a text-to-image request renders at: its own, else 2:3 for manga, else 16:9. */
export const imageRatio = (req: { aspect_ratio: AspectRatio | null; style: Style }): AspectRatio =>
  req.aspect_ratio ?? (req.style === 'manga' ? MANGA_DEFAULT_RATIO : DEFAULT_IMAGE_RATIO);

const parseRatio = (ratio: AspectRatio): { w: number; h: number } => {
  const [w, h] = ratio.split(':').map(Number);
  if (w === undefined || h === undefined || !(w > 0) || !(h > 0)) {
    throw new Error(`malformed aspect ratio: ${ratio}`);
  }
  return { w, h };
};

const roundEven = (x: number): number => Math.round(x / 2) * 2;

/**
 * Text-to-image pixel size: long edge 2048, short edge rounded to an even number (§7 item 18).
 * `null` means "model chooses" and yields 16:9, 2048×1152.
 */
export const imageSize = (ratio: AspectRatio | null): PixelSize => {
  const { w, h } = parseRatio(ratio ?? DEFAULT_IMAGE_RATIO);
  if (w >= h) return { width: IMAGE_LONG_EDGE, height: roundEven((IMAGE_LONG_EDGE * h) / w) };
  return { width: roundEven((IMAGE_LONG_EDGE * w) / h), height: IMAGE_LONG_EDGE };
};

const SHORT_EDGE: Record<Resolution, number> = { '360p': 360, '540p': 540, '720p': 720, '1080p': 1080 };

/**
 * Video pixel size: short edge = nominal resolution, long edge = short × ratio (§7 item 19); portrait
 * ratios are the landscape size transposed. The long edge is rounded to an even number rather than to a
 * multiple of 8 because §7's own table lists 1260×540 for 21:9 (every other row is exact either way), and
 * H.264 4:2:0 only needs even sizes.
 */
export const videoSize = (resolution: Resolution, ratio: AspectRatio): PixelSize => {
  const { w, h } = parseRatio(ratio);
  const short = SHORT_EDGE[resolution];
  const long = roundEven((short * Math.max(w, h)) / Math.min(w, h));
  return w >= h ? { width: long, height: short } : { width: short, height: long };
};
