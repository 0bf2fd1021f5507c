// Turns the raw linear frames ffmpeg writes to stdout (gbrp16le, 1.0 = the HDR peak) into a zip of
// half-float OpenEXR frames in ACES2065-1, one frame in memory at a time.
import type { Readable } from 'node:stream';
import { encodeExr, toHalf } from '../../../media/exr.js';
import { HDR_PEAK_NITS } from '../../../media/ffmpeg/encode-args.js';
import { ZipWriter } from '../../../media/zip.js';

/**
 * Linear BT.709 → ACES AP0 (Bradford-adapted D65 → ACES white), the matrix of the ACES reference
 * implementation.
 */
const REC709_TO_AP0 = [
  0.439701, 0.382978, 0.177335, 0.0897923, 0.813423, 0.0967616, 0.017544, 0.111544, 0.870704,
] as const;

/**
 * Scale from a 16-bit code to EXR values: 1.0 in the file is BT.2408 reference white (203 cd/m²), so
 * diffuse tones read like the SDR picture's linear light and highlights go up to ~4.9.
 */
export const EXR_SCALE = HDR_PEAK_NITS / 203 / 65535;

/** Name of frame `i` inside the archive. */
export const exrFrameName = (i: number): string => `frame_${String(i).padStart(5, '0')}.exr`;

/** Consumes `frames` frames of `width`×`height` from `input` and writes the archive to `zipPath`. */
export const writeExrZip = async (
  input: Readable,
  width: number,
  height: number,
  frames: number,
  zipPath: string,
): Promise<void> => {
  const px = width * height;
  const frameBytes = px * 6;
  const frame = Buffer.alloc(frameBytes);
  const half = [new Uint16Array(px), new Uint16Array(px), new Uint16Array(px)] as const; // B, G, R
  const m = REC709_TO_AP0;
  const zip = new ZipWriter(zipPath);
  let fill = 0;
  let done = 0;
  const flush = async (): Promise<void> => {
    // gbrp16le planes: G, then B, then R.
    const g = new Uint16Array(frame.buffer, frame.byteOffset, px);
    const b = new Uint16Array(frame.buffer, frame.byteOffset + px * 2, px);
    const r = new Uint16Array(frame.buffer, frame.byteOffset + px * 4, px);
    for (let i = 0; i < px; i++) {
      const R = r[i]! * EXR_SCALE;
      const G = g[i]! * EXR_SCALE;
      const B = b[i]! * EXR_SCALE;
      half[2][i] = toHalf(m[0] * R + m[1] * G + m[2] * B);
      half[1][i] = toHalf(m[3] * R + m[4] * G + m[5] * B);
      half[0][i] = toHalf(m[6] * R + m[7] * G + m[8] * B);
    }
    const exr = encodeExr(width, height, (y, c, out) =>
      out.set(half[c].subarray(y * width, (y + 1) * width)),
    );
    await zip.add(exrFrameName(done), exr);
    done++;
  };
  try {
    // Buffer.alloc'd frames are little-endian on every platform Node supports for this (x64/arm64).
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(chunk.length - at, frameBytes - fill);
        chunk.copy(frame, fill, at, at + n);
        fill += n;
        at += n;
        if (fill === frameBytes) {
          await flush();
          fill = 0;
        }
      }
    }
    if (done !== frames || fill !== 0) throw new Error(`EXR export got ${done} of ${frames} frames`);
    await zip.close();
  } catch (err) {
    zip.destroy();
    throw err;
  }
};
