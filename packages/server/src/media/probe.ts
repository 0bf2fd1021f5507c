// Defensive image inspection (docs/architecture.md "Media rules"): read the header first and judge the
// claimed size before a single pixel is decoded, then decode fully under a pixel cap so truncated or corrupt
// files and decompression bombs fail fast instead of exhausting memory.
import sharp, { type Metadata } from 'sharp';

/** Upper bounds for an input image. */
export interface PixelLimits {
  /** Longest allowed side, px (contract §2.4: 8000). */
  maxSide: number;
  /** Largest allowed width × height of one frame, px. */
  maxPixels: number;
}

/** What an image header says. */
export interface ImageProbe {
  /** libvips loader name: `png`, `jpeg`, `webp`, `gif`, … */
  format: string;
  /** Width of one frame in display orientation (EXIF rotation applied), px. */
  width: number;
  /** Height of one frame in display orientation, px. */
  height: number;
  /** Frames in the file (1 for a still image). */
  pages: number;
}

/** Why an image was refused: `unreadable` (not decodable) or `too_large` (over the pixel limits). */
export type ProbeProblem = 'unreadable' | 'too_large';

/** A classified problem with an image; `message` is log detail, not client text. */
export class ImageProbeError extends Error {
  constructor(
    readonly problem: ProbeProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ImageProbeError';
  }
}

// 'error' rather than sharp's default 'warning': truncation and corrupt pixel data still abort, but the
// harmless libjpeg warnings common in camera and editor output ("extraneous bytes before marker") do not.
const FAIL_ON = 'error';

/**
 * Reads only the header of `path` and checks its frame size against `limits`.
 * Throws ImageProbeError `unreadable` if the header cannot be parsed, `too_large` if a side or the pixel
 * count of one frame exceeds the limits (a decompression bomb is caught here: its header tells the truth
 * about the size it will expand to).
 */
export async function probeImage(path: string, limits: PixelLimits): Promise<ImageProbe> {
  let meta: Metadata;
  try {
    // The pixel cap is off here so an oversized image is reported as `too_large` with its real size
    // instead of failing to open as if it were unreadable.
    meta = await sharp(path, { failOn: FAIL_ON, limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageProbeError('unreadable', `header unreadable: ${(e as Error).message}`);
  }
  const pages = meta.pages ?? 1;
  const frameHeight = meta.pageHeight ?? meta.height;
  const { width } = meta;
  if (!(width > 0 && frameHeight > 0)) {
    throw new ImageProbeError('unreadable', `header has no size (${width}×${frameHeight})`);
  }
  if (width > limits.maxSide || frameHeight > limits.maxSide || width * frameHeight > limits.maxPixels) {
    throw new ImageProbeError('too_large', `${width}×${frameHeight} px`);
  }
  // Orientations 5–8 rotate by 90°, so the displayed frame swaps width and height.
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    format: meta.format,
    width: rotated ? frameHeight : width,
    height: rotated ? width : frameHeight,
    pages,
  };
}

/**
 * Decodes the first frame of `path` completely, without keeping it: libvips streams it into a
 * statistics pass, so memory stays at a few scanlines whatever the size. Throws ImageProbeError
 * `too_large` if the frame exceeds `maxPixels`, `unreadable` if decoding fails or the data is truncated.
 */
export async function decodeCheck(path: string, maxPixels: number): Promise<void> {
  try {
    await sharp(path, { failOn: FAIL_ON, limitInputPixels: maxPixels, sequentialRead: true }).stats();
  } catch (e) {
    const message = (e as Error).message;
    if (/exceeds pixel limit/i.test(message)) throw new ImageProbeError('too_large', message);
    throw new ImageProbeError('unreadable', `decode failed: ${message}`);
  }
}
