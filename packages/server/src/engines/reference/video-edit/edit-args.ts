// Pure builders for the decode half of `video_edit` (contract §2.5, §5.4): one ffmpeg process decodes the
// source, re-times it to 24 fps, fits it to the canvas and emits each frame twice side by side as rgb24 —
// left the source as it is, right the fully edited picture (colour grade from a 3D LUT, the prompt's look,
// a painterly flattening of surfaces). A worker thread then mixes the two per pixel (video-edit/edit.worker.ts).
// Every number arrives precomputed; this file only spells the graph, so it is unit-tested as text.
import { encoderArgs, FPS, globalArgs, pictureInput } from '../../../media/ffmpeg/encode-args.js';
import { PIXEL_CELLS } from '../image/looks.js';
import { colourChain, type Box, type SourceColour } from '../video-reframe/reframe-args.js';

/** A look of the prompt, as an ffmpeg filter chain (translations of image/looks.ts). */
export type EditLookFilter =
  'manga' | 'ink' | 'watercolor' | 'monochrome' | 'oil' | 'pixel' | 'neon' | 'vintage';

/** Everything the decode graph needs. */
export interface EditDecodeSpec {
  colour: SourceColour;
  /** Output canvas. */
  width: number;
  height: number;
  /** The source scaled to cover the canvas (`w`×`h`), cut at (`x`, `y`). */
  cover: Box;
  /** The grade as a `.cube` file (see cube.ts); null = no colour change. */
  lutPath: string | null;
  looks: readonly EditLookFilter[];
  /** Radius and threshold of the surface flattening (smartblur), or null for none. */
  flatten: { radius: number; threshold: number } | null;
  /** Frames padded at the end (clones of the last frame) so the grid is always filled. */
  padFrames: number;
}

/**
 * The filter chain of one look on a `size` frame (yuv444p in, yuv444p out). Each is the nearest stable
 * ffmpeg spelling of the still look: no stage may flicker from frame to frame, so palettes and textures
 * are fixed rather than fitted per frame.
 */
export const lookChain = (look: EditLookFilter, size: { width: number; height: number }): string => {
  switch (look) {
    case 'monochrome':
      return 'hue=s=0,eq=contrast=1.12';
    case 'ink':
      // Ink: high-contrast grey with sharpened strokes, paper lifted toward white.
      return 'hue=s=0,eq=contrast=1.7:brightness=0.06,unsharp=5:5:1.6';
    case 'manga':
      // Manga: three flat tones (screentone grey between black ink and white paper) over sharpened lines.
      return "hue=s=0,unsharp=5:5:1.2,lutyuv=y='if(gt(val,150),235,if(gt(val,80),140,20))'";
    case 'watercolor':
      // Watercolour: washes of colour without fine texture, lighter and a little more saturated.
      return 'smartblur=lr=4:ls=1:lt=25,eq=saturation=1.25:brightness=0.05:gamma=1.1';
    case 'oil':
      // Oil: ffmpeg has no Kuwahara filter; an edge-preserving blur flattens surfaces into patches, richer
      // colour, and an unsharp mask on luma brings back ridges at the patch borders.
      return 'smartblur=lr=5:ls=1:lt=15,eq=saturation=1.4:contrast=1.1,unsharp=5:5:1.2:3:3:0';
    case 'pixel': {
      // Pixel art: averaged onto the coarse grid, posterised on fixed Y/U/V steps (a fixed palette, where
      // a fitted one would change every frame), then blown back up with hard edges.
      const cell = Math.max(2, Math.round(Math.max(size.width, size.height) / PIXEL_CELLS));
      const cw = Math.ceil(size.width / cell);
      const ch = Math.ceil(size.height / cell);
      return (
        `scale=${cw}:${ch}:flags=area,eq=saturation=1.3,` +
        "lutyuv=y='clip(16+36*floor((val-16)/36+0.5),16,235)':" +
        "u='clip(128+28*floor((val-128)/28+0.5),16,240)':v='clip(128+28*floor((val-128)/28+0.5),16,240)'," +
        `scale=${size.width}:${size.height}:flags=neighbor`
      );
    }
    case 'neon': {
      // Neon: colour pushed hard first so each RGB channel changes differently at an edge; then the
      // edges of each channel on black (a line keeps the colour of the change it draws), thresholded to
      // drop gradient noise, blurred into a glow, brightened and saturated.
      const gain = (k: number, t: number): string =>
        ['r', 'g', 'b'].map((c) => `${c}='clip((val-${t})*${k},0,255)'`).join(':');
      return (
        `hue=s=2.5,${TO_RGB},gblur=sigma=2,sobel=scale=1.5,lutrgb=${gain(2, 20)},gblur=sigma=1.5,` +
        `lutrgb=${gain(1.5, 0)},${TO_YUV},hue=s=2`
      );
    }
    case 'vintage':
      // Vintage photo: drained colour pushed to sepia (Cb down, Cr up), milky blacks, soft focus, a
      // vignette and film grain that changes every frame as real grain does (its seed is fixed).
      return (
        "hue=s=0.25,lutyuv=y='clip(40+val*0.78,16,235)':u='clip(val-9,16,240)':v='clip(val+10,16,240)'," +
        'gblur=sigma=0.8,vignette=angle=PI/4.5,noise=c0s=10:c0f=t'
      );
  }
};

/** Quotes a path for a filter option; refuses characters the graph syntax would misread. */
export const filterPath = (path: string): string => {
  if (/['\\:;,[\]\n]/.test(path)) throw new Error(`unsafe path for an ffmpeg filter: ${path}`);
  return `'${path}'`;
};

/** BT.709 limited-range YUV → full-range planar RGB, explicitly (an auto-inserted conversion assumes BT.601). */
export const TO_RGB = 'scale=in_color_matrix=bt709:in_range=tv:out_range=pc,format=gbrp';

/** Planar RGB → BT.709 limited-range YUV 4:4:4, for the YUV-only look filters. */
export const TO_YUV = 'scale=out_color_matrix=bt709:out_range=tv,format=yuv444p';

/**
 * The fully edited branch `[e]` (yuv444p) → `[sty]` (gbrp): surfaces flattened in YUV (smartblur works on
 * the luma plane), the grade applied in RGB, then the looks back in YUV.
 */
export const styleChain = (s: EditDecodeSpec): string => {
  const parts: string[] = [];
  if (s.flatten) parts.push(`smartblur=lr=${s.flatten.radius}:ls=1:lt=${s.flatten.threshold}`);
  parts.push(TO_RGB);
  if (s.lutPath) parts.push(`lut3d=file=${filterPath(s.lutPath)}:interp=tetrahedral`);
  if (s.looks.length) {
    parts.push(TO_YUV);
    for (const l of s.looks) parts.push(lookChain(l, s));
    parts.push(TO_RGB);
  }
  return parts.join(',');
};

/**
 * The decode graph: `[0:v]` → `[o]`, rgb24 frames twice the canvas width (source | edit). The source is
 * re-timed first so every filter works on the 24 fps output grid, then padded by cloning its last frame so
 * a guide at the inclusive end of the grid has a frame to land on.
 */
export const editDecodeGraph = (s: EditDecodeSpec): string => {
  const c = s.cover;
  return [
    `[0:v]setpts=PTS-STARTPTS,fps=${FPS},${colourChain(s.colour)},` +
      `scale=${c.w}:${c.h}:flags=bicubic,crop=${s.width}:${s.height}:${c.x}:${c.y},setsar=1,` +
      `tpad=stop=${s.padFrames}:stop_mode=clone,split=2[a][e]`,
    `[a]${TO_RGB}[src]`,
    `[e]${styleChain(s)}[sty]`,
    `[src][sty]hstack=inputs=2,format=rgb24[o]`,
  ].join(';');
};

/** The ffmpeg argument list: decode `input` through `graph`, write exactly `frames` raw frames to stdout. */
export const editDecodeArgs = (input: string, graph: string, frames: number): string[] => [
  ...globalArgs(),
  ...pictureInput(input),
  '-filter_complex',
  graph,
  '-map',
  '[o]',
  '-frames:v',
  String(frames),
  '-f',
  'rawvideo',
  '-pix_fmt',
  'rgb24',
  'pipe:1',
];

/** Size of the grey frames of the activity pre-pass. */
export const ACTIVITY_SIZE = { width: 64, height: 36 } as const;

/** Frame rate of the activity pre-pass: enough to see motion, cheap on an 18 s source. */
export const ACTIVITY_FPS = 8;

/** Tiny grey frames of the whole source for the automatic strength rule (see edit/plan.ts). */
export const activityArgs = (input: string): string[] => [
  '-hide_banner',
  '-nostdin',
  '-v',
  'error',
  ...pictureInput(input),
  '-vf',
  `fps=${ACTIVITY_FPS},scale=${ACTIVITY_SIZE.width}:${ACTIVITY_SIZE.height}:flags=area,format=gray`,
  '-f',
  'rawvideo',
  'pipe:1',
];

/** Scale-to-cover of a source with display aspect `aspect` onto a canvas, centre cut (even sizes). */
export const coverBox = (aspect: number, width: number, height: number): Box => {
  // The epsilon keeps float noise (360 × 16/9 = 640.0000001) from adding two pixels.
  const even = (x: number): number => Math.max(2, 2 * Math.ceil(x / 2 - 1e-6));
  const w = aspect >= width / height ? even(height * aspect) : width;
  const h = aspect >= width / height ? height : even(width / aspect);
  return { w, h, x: Math.floor((w - width) / 2), y: Math.floor((h - height) / 2) };
};

/** The debug side video: rgb24 mosaics on stdin (`width`×`height`), encoded as SDR H.264 to `out`. */
export const debugVideoArgs = (width: number, height: number, frames: number, out: string): string[] => [
  ...globalArgs(),
  '-f',
  'rawvideo',
  '-pix_fmt',
  'rgb24',
  '-video_size',
  `${width}x${height}`,
  '-framerate',
  String(FPS),
  '-i',
  'pipe:0',
  '-vf',
  'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p',
  ...encoderArgs('sdr', frames),
  out,
];
