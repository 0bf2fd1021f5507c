// The sharp adapter for the stills a video is made from: layers rasterised once and anchors fitted to the
// output canvas. ffmpeg then moves these few images for every frame, so no frame ever crosses a pipe.
import { writeFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { encodeImage } from './raster.js';

/** Same cap as the still-image pipeline: inputs were checked upstream, this is defence in depth. */
const MAX_INPUT_PIXELS = 8000 * 8000;

/**
 * Rasterises an SVG layer to a PNG file at exactly `width`×`height`. Transparent layers keep their alpha;
 * PNG level 1 because ffmpeg decodes each layer once and the file is scratch.
 */
export const writeSvgLayer = async (
  svg: string,
  width: number,
  height: number,
  out: string,
  opaque: boolean,
): Promise<void> => {
  let p = sharp(Buffer.from(svg), { limitInputPixels: false, unlimited: true }).resize(width, height, {
    fit: 'fill',
  });
  p = opaque ? p.flatten({ background: '#000000' }) : p.ensureAlpha();
  await p.png({ compressionLevel: 1, adaptiveFiltering: false }).toFile(out);
};

const fitted = (input: string, width: number, height: number): Sharp =>
  sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 })
    .rotate()
    .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .toColourspace('srgb');

/**
 * Fits an anchor image to the output canvas: scaled to cover, centre-cropped (the contract's "ratio follows
 * the anchor" keeps the crop small). The pinned frame of the video reproduces exactly this image.
 */
export const writeFittedStill = async (
  input: string,
  width: number,
  height: number,
  out: string,
): Promise<void> => {
  await fitted(input, width, height).png({ compressionLevel: 1 }).toFile(out);
};

/** The fitted anchor as raw rgb24, for measuring how faithfully a pinned frame reproduces it. */
export const fittedStillRgb = async (input: string, width: number, height: number): Promise<Buffer> =>
  fitted(input, width, height).raw().toBuffer();

/** Decodes a fitted still (as written by {@link writeFittedStill}) to rgb24 in a buffer of its own. */
export const stillRgb = async (path: string, width: number, height: number): Promise<Uint8Array> => {
  const { data, info } = await sharp(path, { limitInputPixels: MAX_INPUT_PIXELS })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 3)
    throw new Error(
      `still ${path} is ${info.width}×${info.height}×${info.channels}, not ${width}×${height}×3`,
    );
  // A copy that owns its whole ArrayBuffer, so it can be transferred to a worker thread.
  return new Uint8Array(data);
};

/** Writes rgb24 pixels as a PNG (test fixtures, synthetic anchors): {@link encodeImage}'s fast PNG. */
export const writeRgbPng = async (
  rgb: Uint8Array,
  width: number,
  height: number,
  out: string,
): Promise<void> => {
  await writeFile(out, await encodeImage(rgb, width, height, 'png', 3, true));
};
