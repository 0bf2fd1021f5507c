// Reads a validated `video_reframe` request and the probed source into a render plan (pure): the canvas
// (contract §7 item 19), the source rectangle exactly as §2.5 SourcePosition defines it, the frame count
// (source length re-timed to 24 fps, §5.4) and every pixel number of the ffmpeg graph.
import { videoSize, type PixelSize } from '../../../contract/sizes.js';
import { videoDefaults } from '../../../contract/validate-create.js';
import type { SourcePosition } from '../../../contract/wire.js';
import type { AspectRatio, GenerationRequest } from '../../../contract/wire.js';
import { FPS } from '../../../media/ffmpeg/encode-args.js';
import type { Box, Placement, ReframeGraphSpec, SourceColour } from './reframe-args.js';

/** What the plan needs to know about the source (from the probe). */
export interface ReframeSource {
  /** Decoded frame size (after rotation). */
  width: number;
  height: number;
  /** Width ÷ height as displayed (rotation and sample aspect applied). */
  displayAspect: number;
  duration: number;
  colorSpace: string;
  colorTransfer: string;
}

/** The render plan. */
export interface ReframePlan extends PixelSize {
  ratio: AspectRatio;
  frames: number;
  /** The position used: the request's, or the centred fit. */
  position: SourcePosition;
  /** The source rectangle on the canvas in pixels; may extend past any edge. */
  rect: Box;
  graph: ReframeGraphSpec;
}

/** The fill is drawn at 1/FILL_SCALE of the canvas size: it is blurred far below that resolution anyway. */
export const FILL_SCALE = 4;

/**
 * The centred fit used when `source_position` is absent: the whole source visible, as large as fits,
 * centred (letterbox/pillarbox geometry, in SourcePosition's normalised units).
 */
export const centredFit = (sourceAspect: number, canvas: PixelSize): SourcePosition => {
  const canvasAspect = canvas.width / canvas.height;
  if (sourceAspect >= canvasAspect) {
    const h = canvasAspect / sourceAspect;
    return { x_norm: 0, y_norm: (1 - h) / 2, w_norm: 1, h_norm: h };
  }
  const w = sourceAspect / canvasAspect;
  return { x_norm: (1 - w) / 2, y_norm: 0, w_norm: w, h_norm: 1 };
};

/** §2.5: x/y are the left/top edge and w/h the size, each as a fraction of the canvas width/height. */
export const positionRect = (p: SourcePosition, canvas: PixelSize): Box => ({
  x: Math.round(p.x_norm * canvas.width),
  y: Math.round(p.y_norm * canvas.height),
  w: Math.max(1, Math.round(p.w_norm * canvas.width)),
  h: Math.max(1, Math.round(p.h_norm * canvas.height)),
});

interface AxisCut {
  srcStart: number;
  srcLen: number;
  scaled: number;
  cutStart: number;
  len: number;
  at: number;
}

/**
 * One axis of a placement: the source (`srcLen` px) is stretched over [`start`, `start + len`) of a canvas
 * `canvasLen` long. Returns the source span to crop (whole pixels, a little wider than needed), the size it
 * scales to, and the cut that lands exactly on the visible span — or null when nothing is visible.
 */
export const axisCut = (start: number, len: number, canvasLen: number, srcLen: number): AxisCut | null => {
  const v0 = Math.max(0, start);
  const v1 = Math.min(canvasLen, start + len);
  if (v1 - v0 < 1) return null;
  const k = len / srcLen;
  const s0 = Math.max(0, Math.floor((v0 - start) / k));
  const s1 = Math.min(srcLen, Math.max(s0 + 1, Math.ceil((v1 - start) / k)));
  const scaled = Math.max(1, Math.round((s1 - s0) * k));
  // Where scaled pixel 0 lands on the canvas; the cut starts at the visible edge relative to it.
  const origin = Math.round(start + s0 * k);
  const cutStart = Math.min(Math.max(0, v0 - origin), scaled - 1);
  const visibleLen = Math.min(v1 - v0, scaled - cutStart);
  return { srcStart: s0, srcLen: s1 - s0, scaled, cutStart, len: visibleLen, at: v0 };
};

/** Both axes of {@link axisCut} as a graph Placement, or null when the rectangle is off the canvas. */
export const placement = (rect: Box, canvas: PixelSize, src: PixelSize): Placement | null => {
  const x = axisCut(rect.x, rect.w, canvas.width, src.width);
  const y = axisCut(rect.y, rect.h, canvas.height, src.height);
  if (!x || !y) return null;
  return {
    srcCrop: { x: x.srcStart, y: y.srcStart, w: x.srcLen, h: y.srcLen },
    scaled: { w: x.scaled, h: y.scaled },
    cut: { x: x.cutStart, y: y.cutStart, w: x.len, h: y.len },
    at: { x: x.at, y: y.at },
  };
};

/** The colour class of a source, from its probed tags (untagged sources are taken as BT.709). */
export const sourceColour = (colorSpace: string, colorTransfer: string): SourceColour => {
  if (colorTransfer === 'smpte2084') return 'hdr-pq';
  if (colorTransfer === 'arib-std-b67') return 'hdr-hlg';
  if (colorSpace === 'smpte170m') return 'bt601-525';
  if (colorSpace === 'bt470bg') return 'bt601-625';
  return 'bt709';
};

/** Output frames for a source of `seconds`: the source length on the 24 fps grid, at least one frame. */
export const reframeFrames = (seconds: number): number => Math.max(1, Math.round(seconds * FPS));

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The fill layers at 1/{@link FILL_SCALE} scale: cover, edge extension and its feathered mask. */
const planFill = (rect: Box, canvas: PixelSize, src: ReframeSource): ReframeGraphSpec['fill'] => {
  const fw = Math.max(2, Math.round(canvas.width / FILL_SCALE));
  const fh = Math.max(2, Math.round(canvas.height / FILL_SCALE));
  const kx = fw / canvas.width;
  const ky = fh / canvas.height;
  // Cover: the source scaled (keeping its display aspect) until it covers the fill canvas, then cropped
  // around the rectangle's centre so the fill's content sits where the source does and moves with it.
  const a = src.displayAspect;
  const cw = a >= fw / fh ? Math.ceil(fh * a) : fw;
  const ch = a >= fw / fh ? fh : Math.ceil(fw / a);
  const cx = (rect.x + rect.w / 2) * kx;
  const cy = (rect.y + rect.h / 2) * ky;
  const clamp = (v: number, hi: number): number => Math.min(Math.max(0, Math.round(v)), hi);
  const cover: Box = { w: cw, h: ch, x: clamp(cw / 2 - cx, cw - fw), y: clamp(ch / 2 - cy, ch - fh) };
  const diag = Math.hypot(fw, fh);
  const small: Box = {
    x: Math.round(rect.x * kx),
    y: Math.round(rect.y * ky),
    w: Math.max(1, Math.round(rect.w * kx)),
    h: Math.max(1, Math.round(rect.h * ky)),
  };
  const ext = placement(small, { width: fw, height: fh }, src);
  let mask: (Box & { sigma: number }) | null = null;
  if (ext) {
    // The extension dominates within about a tenth of the canvas of the source, then yields to the cover.
    const margin = Math.max(1, Math.round(diag * 0.1));
    const x0 = Math.max(0, ext.at.x - margin);
    const y0 = Math.max(0, ext.at.y - margin);
    const x1 = Math.min(fw, ext.at.x + ext.cut.w + margin);
    const y1 = Math.min(fh, ext.at.y + ext.cut.h + margin);
    mask = { x: x0, y: y0, w: x1 - x0, h: y1 - y0, sigma: round2(margin * 0.6) };
  }
  return {
    width: fw,
    height: fh,
    cover,
    coverSigma: round2(Math.max(1, diag * 0.05)),
    extend: ext ? { ...ext, sigma: round2(Math.max(0.5, diag * 0.02)) } : null,
    mask,
    brightness: -0.04,
    saturation: 0.85,
  };
};

/**
 * Builds the plan. The canvas is the target ratio at the requested resolution (default 720p); the source
 * rectangle is `video.source_position` or the centred fit; the frame count follows the source's length.
 * Rules that need the source (length, ratio equality) are checked by the caller before planning.
 */
export const planReframe = (req: GenerationRequest, src: ReframeSource): ReframePlan => {
  const ratio = req.aspect_ratio;
  if (ratio === null) throw new Error('video_reframe needs aspect_ratio (validated at submit)');
  const canvas = videoSize(videoDefaults(req.video).resolution, ratio);
  const position = req.video?.source_position ?? centredFit(src.displayAspect, canvas);
  const rect = positionRect(position, canvas);
  const size = { width: src.width, height: src.height };
  return {
    ...canvas,
    ratio,
    frames: reframeFrames(src.duration),
    position,
    rect,
    graph: {
      canvas,
      colour: sourceColour(src.colorSpace, src.colorTransfer),
      fg: placement(rect, canvas, size),
      fill: planFill(rect, canvas, src),
    },
  };
};
