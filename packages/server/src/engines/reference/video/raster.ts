// Rasterises the parallax layers of a text-to-video shot for ffmpeg: each SVG layer once
// (media/raster.ts), to raw pixels (no PNG to encode here and to probe and decode there, all before the
// first frame; ffmpeg's decoders would also hold their buffers until the render ends); transparent layers
// also report the box where they have pixels, so the filtergraph blends only that region, and the
// low-resolution cloud raster is written small as a PNG (ffmpeg resizes it once).
import { writeFile } from 'node:fs/promises';
import { encodeImage, rasterizeSvg, rasterizeSvgRgba } from '../../../media/raster.js';
import type { RawStill } from './command.js';
import type { Box } from './graph-layers.js';

/**
 * The smallest box holding every pixel with non-zero alpha (RGBA, row-major), grown by `pad` px on each
 * side and clamped to the image; null when the image is fully transparent. Pure.
 */
export const alphaBox = (rgba: Uint8Array, width: number, height: number, pad = 0): Box | null => {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    let first = -1;
    for (let x = 0; x < width; x++) {
      if (rgba[row + x * 4 + 3] !== 0) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = width - 1; x > first; x--) {
      if (rgba[row + x * 4 + 3] !== 0) {
        last = x;
        break;
      }
    }
    if (y < y0) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  if (x1 < 0) return null;
  const left = Math.max(0, x0 - pad);
  const top = Math.max(0, y0 - pad);
  const right = Math.min(width - 1, x1 + pad);
  const bottom = Math.min(height - 1, y1 + pad);
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
};

/**
 * Maps a box on a small raster to the canvas it is stretched over (`sx`, `sy` = canvas px per raster px),
 * rounded to whole canvas pixels and clamped to it. Pure.
 */
export const scaleBox = (b: Box, sx: number, sy: number, canvas: { width: number; height: number }): Box => {
  const x = Math.max(0, Math.round(b.x * sx));
  const y = Math.max(0, Math.round(b.y * sy));
  const right = Math.min(canvas.width, Math.round((b.x + b.width) * sx));
  const bottom = Math.min(canvas.height, Math.round((b.y + b.height) * sy));
  return { x, y, width: right - x, height: bottom - y };
};

/** Rasterises an opaque SVG layer to raw rgb24 of exactly `width`×`height`. */
export const writeOpaqueLayer = async (
  svg: string,
  width: number,
  height: number,
  out: string,
): Promise<RawStill> => {
  await writeFile(out, sized(await rasterizeSvg(svg, width, height), width, height).data);
  return { path: out, width, height, pixFmt: 'rgb24' };
};

/**
 * The pixels of `box` out of a raw image `width` px wide with `channels` bytes a pixel, rows top to bottom;
 * no copy when the box spans whole rows.
 */
export const boxPixels = (data: Uint8Array, width: number, box: Box, channels: number): Uint8Array => {
  const row = width * channels;
  if (box.x === 0 && box.width === width) return data.subarray(box.y * row, (box.y + box.height) * row);
  const out = new Uint8Array(box.width * box.height * channels);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * row + box.x * channels;
    out.set(data.subarray(from, from + box.width * channels), y * box.width * channels);
  }
  return out;
};

/** A rasterised layer, checked to be the size its canvas asked for. */
const sized = <T extends { width: number; height: number }>(img: T, width: number, height: number): T => {
  if (img.width !== width || img.height !== height)
    throw new Error(`layer rasterised to ${img.width}×${img.height}, not ${width}×${height}`);
  return img;
};

/**
 * Rasterises a transparent SVG layer (drawn at its own size, which must be `width`×`height` px) and writes
 * the part where it has pixels as raw RGBA; returns that box (null: nothing to draw, no file written).
 * An SVG that draws only a band of its canvas, from row `top` down, gets its box in the canvas's rows.
 */
export const writeAlphaLayer = async (
  svg: string,
  width: number,
  height: number,
  out: string,
  top = 0,
): Promise<{ box: Box; still: RawStill } | null> => {
  const { data } = sized(await rasterizeSvgRgba(svg), width, height);
  // Padded: the graph may drop a layer's first or last column (row), which must be transparent.
  const box = alphaBox(data, width, height, 2);
  if (!box) return null;
  await writeFile(out, boxPixels(data, width, box, 4));
  return {
    box: { ...box, y: box.y + top },
    still: { path: out, width: box.width, height: box.height, pixFmt: 'rgba' },
  };
};

/**
 * Writes the part of a low-resolution RGBA raster (e.g. the clouds) that has pixels as a PNG, padded for
 * the resampling kernel, and returns where it lands on the canvas it is stretched over (null: empty).
 */
export const writeStretchedLayer = async (
  rgba: Uint8Array,
  size: { width: number; height: number },
  canvas: { width: number; height: number },
  out: string,
): Promise<Box | null> => {
  const box = alphaBox(rgba, size.width, size.height, 2);
  if (!box) return null;
  await writeFile(
    out,
    await encodeImage(boxPixels(rgba, size.width, box, 4), box.width, box.height, 'png', 4, true),
  );
  return scaleBox(box, canvas.width / size.width, canvas.height / size.height, canvas);
};
