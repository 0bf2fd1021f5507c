// A picture of one frame's control signals for the debug side video (pure): a 2×2 mosaic at twice the
// working size — top left the source (grey) with tracked points (green) and pose/face shapes (red), top
// right the approximate depth (white = near), bottom left the normals (RGB = XYZ), bottom right the hold
// map the render used (white = source kept). A disabled signal leaves its panel black.
import type { GreyImage } from '../../video/flow.js';
import type { FrameSignals } from './guidance.js';

/** Mosaic size for a working size: two panels each way. */
export const debugViewSize = (ww: number, wh: number): { width: number; height: number } => ({
  width: 2 * ww,
  height: 2 * wh,
});

const put = (
  out: Uint8Array,
  stride: number,
  x: number,
  y: number,
  r: number,
  g: number,
  b: number,
): void => {
  const p = (y * stride + x) * 3;
  out[p] = r;
  out[p + 1] = g;
  out[p + 2] = b;
};

const byte = (v: number): number => (v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255));

/** Renders the mosaic as rgb24. */
export const renderDebugView = (grey: GreyImage, s: FrameSignals, hold: Float32Array): Uint8Array => {
  const { width: w, height: h } = s;
  const stride = 2 * w;
  const out = new Uint8Array(stride * 2 * h * 3);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const g = byte(grey.data[i]! * 0.8);
      put(out, stride, x, y, g, g, g);
      if (s.depth) {
        const d = byte(s.depth[i]!);
        put(out, stride, w + x, y, d, d, d);
      }
      if (s.normals) {
        const n = s.normals;
        put(
          out,
          stride,
          x,
          h + y,
          byte(0.5 + 0.5 * n[3 * i]!),
          byte(0.5 + 0.5 * n[3 * i + 1]!),
          byte(n[3 * i + 2]!),
        );
      }
      const k = byte(hold[i]!);
      put(out, stride, w + x, h + y, k, k, k);
    }
  }
  for (const p of s.tracks ?? []) {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const) {
      if (x + dx < w && y + dy < h) put(out, stride, x + dx, y + dy, 40, 255, 60);
    }
  }
  const line = (x0: number, y0: number, x1: number, y1: number): void => {
    const steps = Math.max(2, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let t = 0; t <= steps; t++) {
      const x = Math.round(x0 + ((x1 - x0) * t) / steps);
      const y = Math.round(y0 + ((y1 - y0) * t) / steps);
      if (x >= 0 && y >= 0 && x < w && y < h) put(out, stride, x, y, 255, 40, 40);
    }
  };
  for (const sh of s.shapes) {
    if (sh.kind === 'segment') {
      line(sh.x0, sh.y0, sh.x1, sh.y1);
    } else {
      line(sh.x0, sh.y0, sh.x1, sh.y0);
      line(sh.x1, sh.y0, sh.x1, sh.y1);
      line(sh.x1, sh.y1, sh.x0, sh.y1);
      line(sh.x0, sh.y1, sh.x0, sh.y0);
    }
  }
  return out;
};
