// Pure builder of the parallax filtergraph: a few large layer stills, each decoded once and held by the
// `loop` filter, cropped at time-varying offsets (near layers travel further than far ones), stacked, graded
// over time and framed by a sub-pixel camera. Output label `[cam]`: yuv444p, BT.709, limited range.
import { perspectiveFilter, type Camera } from './camera.js';
import { FPS } from './encode-args.js';

/** One layer, back to front. */
export interface LayerSpec {
  /** ffmpeg input index of the layer's PNG. */
  input: number;
  /** Crop offset expressions in the frame number `n`, px from the layer's top-left corner. */
  x: string;
  y: string;
  /** The first (back) layer is opaque; the others carry alpha. */
  opaque: boolean;
}

/** Everything the graph needs; every expression is made by the caller (the engine's motion plan). */
export interface LayerGraphSpec {
  width: number;
  height: number;
  frames: number;
  layers: LayerSpec[];
  /** `eq` expressions of `n` (light changing over the shot). */
  grade: { brightness: string; contrast: string; saturation: string; gamma: string };
  camera: Camera;
}

const q = (e: string): string => `'${e}'`;

/** Builds the `-filter_complex` text up to `[cam]`. */
export const layerGraph = (s: LayerGraphSpec): string => {
  if (s.layers.length === 0 || !s.layers[0]?.opaque) throw new Error('the back layer must be opaque');
  const parts: string[] = [];
  s.layers.forEach((l, i) => {
    parts.push(
      `[${l.input}:v]format=${l.opaque ? 'gbrp' : 'gbrap'},loop=loop=${s.frames - 1}:size=1:start=0,` +
        `setpts=N/${FPS}/TB,crop=w=${s.width}:h=${s.height}:x=${q(l.x)}:y=${q(l.y)}:exact=1[l${i}]`,
    );
  });
  let base = 'l0';
  for (let i = 1; i < s.layers.length; i++) {
    const out = `o${i}`;
    parts.push(`[${base}][l${i}]overlay=x=0:y=0:format=gbrp:eof_action=endall[${out}]`);
    base = out;
  }
  const g = s.grade;
  parts.push(
    `[${base}]scale=out_color_matrix=bt709:out_range=tv,format=yuv444p,` +
      `eq=brightness=${q(g.brightness)}:contrast=${q(g.contrast)}:saturation=${q(g.saturation)}:gamma=${q(g.gamma)}:eval=frame,` +
      `${perspectiveFilter(s.camera)}[cam]`,
  );
  return parts.join(';');
};
