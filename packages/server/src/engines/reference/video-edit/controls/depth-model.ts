// The slot for a real monocular depth model, supplied by the operator as a local ONNX file and run with
// onnxruntime-web's WASM backend (which installs from the npm registry alone and reads its .wasm from the
// package). Nothing is downloaded: the model is a path on disk. Contract of the file, as MiDaS and
// Depth-Anything exports have it: first input float32 [1, 3, H, W], RGB in 0..1 normalised with the
// ImageNet mean/std; first output [1, H', W'] or [1, 1, H', W'] of relative inverse depth (higher = nearer).
// When the file declares a fixed H×W the frames are resized to it; otherwise they go in at working size.
import * as ort from 'onnxruntime-web';
import { readFile } from 'node:fs/promises';
import { sampleBilinear } from '../../video/flow.js';
import { downscaleRgb } from '../edit-mix.js';

/** ImageNet channel means and deviations (the normalisation MiDaS-family models are trained with). */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

/** A loaded depth model. */
export interface DepthModel {
  /** Model input size used for every frame. */
  readonly input: { width: number; height: number };
  /**
   * Depth of an rgb24 image (`width`×`height`) resampled to `out` size, min–max normalised per frame
   * to 0..1 with 1 = nearest (the same convention as the approximate depth).
   */
  estimate(
    rgb: Uint8Array,
    width: number,
    height: number,
    out: { width: number; height: number },
  ): Promise<Float32Array>;
}

/** NCHW float input from rgb24, ImageNet-normalised. */
export const toModelInput = (rgb: Uint8Array, width: number, height: number): Float32Array => {
  const n = width * height;
  const x = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) x[c * n + i] = (rgb[3 * i + c]! / 255 - MEAN[c]!) / STD[c]!;
  }
  return x;
};

/** Resamples a model output map to `out` size and normalises it to 0..1 (1 = highest = nearest). */
export const normaliseDepth = (
  map: Float32Array,
  w: number,
  h: number,
  out: { width: number; height: number },
): Float32Array => {
  const res = new Float32Array(out.width * out.height);
  for (let y = 0, i = 0; y < out.height; y++) {
    const sy = ((y + 0.5) * h) / out.height - 0.5;
    for (let x = 0; x < out.width; x++, i++) {
      res[i] = sampleBilinear(map, w, h, ((x + 0.5) * w) / out.width - 0.5, sy);
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of res) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const k = hi > lo ? 1 / (hi - lo) : 0;
  for (let i = 0; i < res.length; i++) res[i] = (res[i]! - lo) * k;
  return res;
};

/**
 * Loads `path` (a local .onnx file). `fallback` is the input size used when the model's own is symbolic.
 * @throws when the file cannot be read or is not a model with a 4-D float input.
 */
export const loadDepthModel = async (
  path: string,
  fallback: { width: number; height: number },
): Promise<DepthModel> => {
  // One WASM thread: the edit thread is already one of the render's parallel processes.
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(await readFile(path), { executionProviders: ['wasm'] });
  const meta = session.inputMetadata[0];
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  if (!meta || !inputName || !outputName || !meta.isTensor || meta.shape.length !== 4) {
    throw new Error(`${path}: the depth model needs one [1, 3, H, W] float input`);
  }
  const dim = (d: number | string | undefined, alt: number): number =>
    typeof d === 'number' && d > 0 ? d : alt;
  const input = { width: dim(meta.shape[3], fallback.width), height: dim(meta.shape[2], fallback.height) };
  return {
    input,
    async estimate(rgb, width, height, out) {
      const small = downscaleRgb(rgb, width, height, width, input.width, input.height);
      const x = new ort.Tensor('float32', toModelInput(small, input.width, input.height), [
        1,
        3,
        input.height,
        input.width,
      ]);
      const result = await session.run({ [inputName]: x });
      const y = result[outputName];
      if (!y || !(y.data instanceof Float32Array) || y.dims.length < 2) {
        throw new Error(`${path}: the depth model must return a float map`);
      }
      const h = y.dims[y.dims.length - 2] ?? 0;
      const w = y.dims[y.dims.length - 1] ?? 0;
      return normaliseDepth(y.data, w, h, out);
    },
  };
};
