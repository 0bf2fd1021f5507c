// The in-memory pixel format shared by the raster adapter and the pure pixel operations.

/** Interleaved 8-bit sRGB pixels, 3 channels, row-major, no padding. */
export interface RawImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A blank (black) image of the given size. */
export const blankImage = (width: number, height: number): RawImage => ({
  width,
  height,
  data: new Uint8Array(width * height * 3),
});

/** Rec. 709 luma of every pixel, 0..1; the basis of edges, tones and the composition metrics. */
export const luminance = (img: RawImage): Float32Array => {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    out[i] = (0.2126 * d[p]! + 0.7152 * d[p + 1]! + 0.0722 * d[p + 2]!) / 255;
  }
  return out;
};
