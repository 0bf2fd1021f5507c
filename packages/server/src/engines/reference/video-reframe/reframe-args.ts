// Pure builder of the `video_reframe` filter graph and command line (contract §2.5 SourcePosition, §5.4,
// §7 items 19, 21). One ffmpeg process decodes the source, re-times it to 24 fps, composites it onto the
// target canvas over an outpainted fill made from its own pixels, and encodes — frames never cross a pipe
// and memory does not grow with duration. Every number arrives precomputed (video-reframe/
// plan.ts); this file only spells the graph, so its output is unit-tested as text.
import { encoderArgs, FPS, globalArgs, pictureInput } from '../../../media/ffmpeg/encode-args.js';

/** An integer pixel rectangle. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * How one copy of the source is cut and placed: crop `srcCrop` (source pixels, after rotation), scale it to
 * `scaled`, cut `cut` out of that (scaled pixels) and put it at `at` on its canvas. Cropping before scaling
 * keeps the cost bounded when the rectangle is up to 2× the canvas and mostly off it.
 */
export interface Placement {
  srcCrop: Box;
  scaled: { w: number; h: number };
  cut: Box;
  at: { x: number; y: number };
}

/** How the decoded source is brought to 8-bit BT.709 limited-range YUV before compositing. */
export type SourceColour = 'bt709' | 'bt601-525' | 'bt601-625' | 'hdr-pq' | 'hdr-hlg';

/** Everything the graph needs; sizes in pixels. */
export interface ReframeGraphSpec {
  canvas: { width: number; height: number };
  colour: SourceColour;
  /** The sharp source on the canvas; null when the rectangle lies entirely off the canvas. */
  fg: Placement | null;
  /** The fill, rendered at a fraction of the canvas size (it is heavily blurred) and scaled up. */
  fill: {
    width: number;
    height: number;
    /** The whole source scaled to cover the fill canvas (`w`×`h`), cropped at (`x`, `y`). */
    cover: Box;
    coverSigma: number;
    /** The visible source at fill scale with its edge pixels extended outward (smear), then blurred. */
    extend: (Placement & { sigma: number }) | null;
    /** Where the extension shows over the cover: a white box, feathered by `sigma`. */
    mask: (Box & { sigma: number }) | null;
    /** eq filter values for the fill, so it reads as surround rather than picture. */
    brightness: number;
    saturation: number;
  };
}

const box = (b: Box): string => `${b.w}:${b.h}:${b.x}:${b.y}`;

/** The colour normalisation chain for a source class (ends in 8-bit yuv444p, BT.709, limited range). */
export const colourChain = (c: SourceColour): string => {
  switch (c) {
    case 'bt709':
      return 'scale=out_range=tv,format=yuv444p';
    case 'bt601-525':
    case 'bt601-625':
      // SD sources use the BT.601 matrix; the output is tagged BT.709, so convert instead of relabelling.
      return `colorspace=all=bt709:iall=${c === 'bt601-525' ? 'bt601-6-525' : 'bt601-6-625'}:range=tv:format=yuv444p:fast=1`;
    case 'hdr-pq':
    case 'hdr-hlg':
      // Reframe output is SDR only (§2.8 F31): tone-map HDR sources instead of showing PQ/HLG code values.
      return (
        'zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,' +
        'zscale=t=bt709:m=bt709:r=tv,format=yuv444p'
      );
  }
};

/** `crop → scale → crop` of one placement (bicubic: the up-scaled source is what people look at). */
const placeChain = (p: Placement, flags: string): string =>
  `crop=${box(p.srcCrop)},scale=${p.scaled.w}:${p.scaled.h}:flags=${flags},crop=${box(p.cut)}`;

/**
 * The filter graph: input `[0:v]` → `[v]` (yuv420p, canvas size, 24 fps). Layers, back to front: the
 * blurred cover, the blurred edge extension feathered in around the source, a gentle grade of both, and
 * the sharp source at its rectangle.
 */
export const reframeGraph = (s: ReframeGraphSpec): string => {
  const { canvas, fill, fg } = s;
  const ext = fill.extend && fill.mask ? { ...fill.extend, mask: fill.mask } : null;
  const labels = ['[cov]', ...(ext ? ['[ext0]'] : []), ...(fg ? ['[fg0]'] : [])];
  const parts: string[] = [];
  // Re-time first so every later filter works on the 24 fps output grid (fewer frames for 30/60 fps sources).
  parts.push(
    `[0:v]setpts=PTS-STARTPTS,fps=${FPS},${colourChain(s.colour)},setsar=1` +
      (labels.length > 1 ? `,split=${labels.length}${labels.join('')}` : '[cov]'),
  );
  const fw = fill.width;
  const fh = fill.height;
  parts.push(
    `[cov]scale=${fill.cover.w}:${fill.cover.h}:flags=area,crop=${fw}:${fh}:${fill.cover.x}:${fill.cover.y},` +
      `gblur=sigma=${fill.coverSigma}[amb]`,
  );
  let back = 'amb';
  if (ext) {
    const m = ext.mask;
    const right = fw - ext.at.x - ext.cut.w;
    const bottom = fh - ext.at.y - ext.cut.h;
    parts.push(
      `[ext0]${placeChain(ext, 'area')},pad=${fw}:${fh}:${ext.at.x}:${ext.at.y},` +
        `fillborders=left=${ext.at.x}:right=${right}:top=${ext.at.y}:bottom=${bottom}:mode=smear,` +
        `gblur=sigma=${ext.sigma}[extb]`,
    );
    // The mask is its own 24 fps source so alphamerge pairs it one-to-one with the picture frames.
    parts.push(
      `color=c=white:s=${m.w}x${m.h}:r=${FPS},format=gray,pad=${fw}:${fh}:${m.x}:${m.y}:black,` +
        `gblur=sigma=${m.sigma}[mask]`,
    );
    parts.push(`[extb][mask]alphamerge[exta]`);
    parts.push(`[amb][exta]overlay=format=yuv444:shortest=1[fillc]`);
    back = 'fillc';
  }
  parts.push(
    `[${back}]eq=brightness=${fill.brightness}:saturation=${fill.saturation},` +
      `scale=${canvas.width}:${canvas.height}:flags=bicubic[bg]`,
  );
  if (fg) {
    parts.push(`[fg0]${placeChain(fg, 'bicubic')}[fgc]`);
    parts.push(`[bg][fgc]overlay=x=${fg.at.x}:y=${fg.at.y}:format=yuv444,format=yuv420p,setsar=1[v]`);
  } else {
    parts.push(`[bg]format=yuv420p,setsar=1[v]`);
  }
  return parts.join(';');
};

/** The ffmpeg argument list: decode `input`, run `graph`, encode `frames` frames of H.264 to `out`. */
export const reframeArgs = (input: string, graph: string, frames: number, out: string): string[] => [
  ...globalArgs(),
  ...pictureInput(input),
  '-filter_complex',
  graph,
  '-map',
  '[v]',
  ...encoderArgs('sdr', frames),
  out,
];
