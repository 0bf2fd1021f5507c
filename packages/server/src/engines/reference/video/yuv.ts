// Raw frame formats for piping into ffmpeg (pure): 8-bit yuv420p, BT.709 matrix, limited range — the
// encoder's own output format, so ffmpeg does no conversion and each frame is half the bytes of rgb24.
import type { GreyImage } from './flow.js';

/** Planar 4:2:0 frame: Y is `width`×`height`, U and V are `width/2`×`height/2` (sizes must be even). */
export interface YuvFrame {
  width: number;
  height: number;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

/** Bytes of one yuv420p frame. */
export const yuv420Bytes = (width: number, height: number): number => (width * height * 3) / 2;

/** Views of the three planes inside one contiguous yuv420p buffer (the layout ffmpeg reads). */
export const yuvPlanes = (buf: Uint8Array, width: number, height: number): YuvFrame => {
  const ys = width * height;
  const cs = ys / 4;
  return {
    width,
    height,
    y: buf.subarray(0, ys),
    u: buf.subarray(ys, ys + cs),
    v: buf.subarray(ys + cs, ys + 2 * cs),
  };
};

const KR = 0.2126;
const KB = 0.0722;
const KG = 1 - KR - KB;

const clamp8 = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : Math.round(x));

/**
 * Converts interleaved sRGB (rgb24) to yuv420p, BT.709 limited range; chroma is the mean of each 2×2
 * block (centre-sited), which is what a decoder's bilinear upsampling expects back.
 */
export const rgbToYuv420 = (rgb: Uint8Array, width: number, height: number): YuvFrame => {
  if (width % 2 || height % 2) throw new Error('yuv420p needs even sizes');
  const out = yuvPlanes(new Uint8Array(yuv420Bytes(width, height)), width, height);
  for (let i = 0, p = 0; i < width * height; i++, p += 3) {
    out.y[i] = clamp8(16 + (219 / 255) * (KR * rgb[p]! + KG * rgb[p + 1]! + KB * rgb[p + 2]!));
  }
  const cw = width / 2;
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < 4; k++) {
        const p = ((2 * cy + (k >> 1)) * width + 2 * cx + (k & 1)) * 3;
        r += rgb[p]!;
        g += rgb[p + 1]!;
        b += rgb[p + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const yl = KR * r + KG * g + KB * b;
      out.u[cy * cw + cx] = clamp8(128 + ((224 / 255) * (b - yl)) / (2 * (1 - KB)));
      out.v[cy * cw + cx] = clamp8(128 + ((224 / 255) * (r - yl)) / (2 * (1 - KR)));
    }
  }
  return out;
};

/**
 * Luma of a frame box-averaged down to `width`×`height` (area sampling, so fine texture does not alias
 * into the flow estimate).
 */
export const lumaAt = (f: YuvFrame, width: number, height: number): GreyImage => {
  const data = new Float32Array(width * height);
  const sx = f.width / width;
  const sy = f.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let s = 0;
      for (let yy = y0; yy < y1; yy++) {
        const row = yy * f.width;
        for (let xx = x0; xx < x1; xx++) s += f.y[row + xx]!;
      }
      data[y * width + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return { width, height, data };
};
