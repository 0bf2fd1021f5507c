// The sharp adapter for still images: SVG rasterisation, decoding to raw RGB and deterministic encoding.
// Everything else in the image pipeline works on RawImage and never sees sharp.
import sharp, { type Sharp } from 'sharp';
import type { RawImage } from './raw-image.js';

/** Output encodings the image engines produce. */
export type StillFormat = 'png' | 'jpeg';

/** Hard cap on decoded pixels (contract: ≤ 8000 px a side), a guard against decompression bombs. */
const MAX_INPUT_PIXELS = 8000 * 8000;

/** A pipeline's raw output as pixels over the same memory (no copy). */
const pixelsOf = async (pipeline: Sharp): Promise<{ width: number; height: number; data: Uint8Array }> => {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
};

const toRaw = (pipeline: Sharp): Promise<RawImage> => pixelsOf(pipeline.removeAlpha().toColourspace('srgb'));

/** Rasterises an SVG document at exactly `width`×`height` (the SVG's own size must match). */
export const rasterizeSvg = (svg: string, width: number, height: number): Promise<RawImage> =>
  toRaw(
    sharp(Buffer.from(svg), { limitInputPixels: false, unlimited: true })
      .resize(width, height, { fit: 'fill' })
      .flatten({ background: '#000000' }),
  );

/** Draws an SVG overlay (transparent where it draws nothing, same size as `img`) over the image's pixels. */
export const compositeSvg = (img: RawImage, svg: string): Promise<RawImage> =>
  toRaw(
    sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).composite([
      { input: Buffer.from(svg), left: 0, top: 0 },
    ]),
  );

/** Rasterises an SVG document to RGBA pixels at its own size (alpha kept, for shapes and masks). */
export const rasterizeSvgRgba = (svg: string): Promise<{ width: number; height: number; data: Uint8Array }> =>
  pixelsOf(sharp(Buffer.from(svg)).ensureAlpha());

/** Options for {@link decodeImage}. */
export interface DecodeOptions {
  /** Downscale (never upscale) to fit inside this box, for palette extraction and metrics. */
  fit?: { width: number; height: number };
}

/** Decodes the first frame of a still image file (or buffer) to sRGB, honouring EXIF orientation. */
export const decodeImage = (input: string | Uint8Array, opts: DecodeOptions = {}): Promise<RawImage> => {
  let p: Sharp = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 })
    .rotate()
    .flatten({ background: '#ffffff' });
  if (opts.fit) p = p.resize(opts.fit.width, opts.fit.height, { fit: 'inside', withoutEnlargement: true });
  return toRaw(p);
};

/** Resizes raw pixels (area-averaged when shrinking); used for low-resolution working layers. */
export const resizeRaw = (img: RawImage, width: number, height: number): Promise<RawImage> =>
  toRaw(
    sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).resize(width, height, {
      fit: 'fill',
      kernel: 'lanczos3',
    }),
  );

/**
 * Encodes raw pixels. No metadata is written (sharp drops it unless asked), so the same pixels always give
 * the same bytes. RGBA input (4 channels) is supported for SVG overlays.
 */
export const encodeImage = (
  data: Uint8Array,
  width: number,
  height: number,
  format: StillFormat,
  channels: 3 | 4 = 3,
  fast = false,
): Promise<Buffer> => {
  const p = sharp(data, { raw: { width, height, channels } });
  return format === 'png'
    ? p.png({ compressionLevel: fast ? 1 : 6, adaptiveFiltering: !fast }).toBuffer()
    : p.jpeg({ quality: 92, chromaSubsampling: '4:4:4', mozjpeg: true }).toBuffer();
};
