// One video-edit frame after another (runs on the edit thread): the control signals are computed on the
// source half — flow-based signals at working size, pose and faces by a shipped model at detection size —
// turned into guidance weights, and the source is mixed toward the full edit under them; guide images then
// pull the frames around their indexes. State carried between frames — the previous grey image, the
// tracked points, the depth history — makes it strictly sequential.
import { estimateFlow, type FlowField, type GreyImage } from '../video/flow.js';
import {
  blendToward,
  downscaleRgb,
  meanRgb,
  mixEdit,
  shiftColour,
  workingGrey,
  workingSize,
} from './edit-mix.js';
import { guidanceWeights, type FrameSignals } from './controls/guidance.js';
import type { PoseDetection, PoseModel } from './controls/pose-model.js';
import { detectionShapes } from './controls/pose-shapes.js';
import type { DepthModel } from './controls/depth-model.js';
import { renderDebugView } from './controls/debug-view.js';
import {
  approximateDepth,
  blurDepth,
  depthNormals,
  PointTracker,
  smoothDepth,
  trackSpacing,
} from './controls/signals.js';
import type { EditWorkerConfig } from './edit-messages.js';
import { guideInfluences, guideNeededUntil } from './guides.js';
import { cachedDepthModel, cachedPoseModel } from './model-cache.js';

/** Blur of the depth the normals are taken from: fixed, so `depth.blur` and the normals stay independent. */
const NORMALS_DEPTH_BLUR = 0.1;

/** Pose and faces are detected on the source at this multiple of the working size (320 px long side). */
const DETECTION_SCALE = 2.5;

/**
 * Pose and faces are detected on every POSE_EVERY-th frame and held in between: the model costs more than
 * everything else per frame, and a body moves little in 1/24 s.
 */
const POSE_EVERY = 2;

/** Every how many frames the output's faces are compared with the source's (an identity check for the log). */
const FACE_CHECK_EVERY = 24;

/** A processed frame: rgb24 at the canvas size, and the signal mosaic when debugging. */
export interface ProcessedFrame {
  rgb: Uint8Array;
  debug: Uint8Array | null;
  /** Tracked points alive on this frame (for logs and tests). */
  tracks: number;
  /** Bodies and faces found in the source frame. */
  bodies: number;
  faces: number;
  /** Identity similarity (0..1) of the output's face to the source's, on the frames where it is checked. */
  faceSimilarity: number | null;
}

/** The per-frame pipeline; feed it frames in order. */
export class EditFrameProcessor {
  private readonly work: { width: number; height: number };
  private readonly tracker: PointTracker | null;
  private prevGrey: GreyImage | null = null;
  private prevDepth: Float32Array | null = null;
  private found: PoseDetection = { bodies: [], faces: [] };
  private readonly guides = new Map<number, { rgb: Uint8Array; mean: [number, number, number] }>();

  /**
   * Builds a processor with the pose/face model and the depth model when they are used, loaded on the
   * thread's first use of each and shared by the processors after it (model-cache.ts).
   */
  static async create(cfg: EditWorkerConfig): Promise<EditFrameProcessor> {
    const { pose, face, depth, normals } = cfg.controls;
    const model = pose.enabled || face.enabled ? await cachedPoseModel(pose.enabled, face.enabled) : null;
    const work = workingSize(cfg.width, cfg.height);
    const depthModel =
      cfg.depthModel && (depth.enabled || normals.enabled)
        ? await cachedDepthModel(cfg.depthModel, { width: 2 * work.width, height: 2 * work.height })
        : null;
    return new EditFrameProcessor(cfg, model, depthModel);
  }

  private constructor(
    private readonly cfg: EditWorkerConfig,
    private readonly model: PoseModel | null,
    private readonly depthModel: DepthModel | null,
  ) {
    this.work = workingSize(cfg.width, cfg.height);
    const t = cfg.controls.trajectory;
    this.tracker = t.enabled
      ? new PointTracker(this.work.width, this.work.height, trackSpacing(t.sparsity))
      : null;
  }

  /** Takes a guide's fitted pixels (rgb24 at the canvas size). */
  addGuide(guide: number, rgb: Uint8Array): void {
    this.guides.set(guide, { rgb, mean: meanRgb(rgb) });
  }

  /** Processes frame `index` from its side-by-side pair (source | full edit). */
  async process(index: number, pair: Uint8Array): Promise<ProcessedFrame> {
    const { width: W, height: H, controls: c } = this.cfg;
    const { width: ww, height: wh } = this.work;
    const grey = workingGrey(pair, W, H, 2 * W, ww, wh);
    const dw = Math.round(ww * DETECTION_SCALE);
    const dh = Math.round(wh * DETECTION_SCALE);
    const det = this.model || this.depthModel ? downscaleRgb(pair, W, H, 2 * W, dw, dh) : null;
    if (this.model && det && index % POSE_EVERY === 0) this.found = await this.model.detect(det, dw, dh);
    const found = this.found;
    const needFlow = c.trajectory.enabled || c.depth.enabled || c.normals.enabled;
    let fwd: FlowField | null = null;
    let bwd: FlowField | null = null;
    if (needFlow && this.prevGrey) {
      fwd = estimateFlow(this.prevGrey, grey);
      if (this.tracker) bwd = estimateFlow(grey, this.prevGrey);
    }
    this.tracker?.step(grey, fwd, bwd);
    let depth: Float32Array | null = null;
    let normals: Float32Array | null = null;
    if (c.depth.enabled || c.normals.enabled) {
      // A supplied depth model replaces the approximation; both are smoothed over time the same way.
      const raw =
        this.depthModel && det
          ? smoothDepth(await this.depthModel.estimate(det, dw, dh, this.work), this.prevDepth)
          : approximateDepth(grey, fwd, this.prevDepth);
      this.prevDepth = raw;
      if (c.depth.enabled) depth = blurDepth(raw, ww, wh, c.depth.blur);
      if (c.normals.enabled) {
        const smooth = blurDepth(raw, ww, wh, NORMALS_DEPTH_BLUR);
        normals = depthNormals(smooth, ww, wh, c.normals.augmentation, index);
      }
    }
    this.prevGrey = grey;
    const signals: FrameSignals = {
      width: ww,
      height: wh,
      depth,
      normals,
      tracks: this.tracker ? this.tracker.points : null,
      shapes: detectionShapes(
        found,
        DETECTION_SCALE,
        c.pose.enabled ? c.pose.strength : null,
        c.face.enabled,
      ),
    };
    const { hold, weight } = guidanceWeights(signals);
    const rgb = new Uint8Array(W * H * 3);
    mixEdit(pair, W, H, weight, ww, wh, this.cfg.amount, rgb);
    this.applyGuides(index, rgb);
    return {
      rgb,
      debug: this.cfg.debug ? renderDebugView(grey, signals, hold) : null,
      tracks: this.tracker?.points.length ?? 0,
      bodies: found.bodies.length,
      faces: found.faces.length,
      faceSimilarity: await this.faceSimilarity(index, found, rgb, dw, dh),
    };
  }

  /** Best identity similarity between the source's first face and the faces of the output frame. */
  private async faceSimilarity(
    index: number,
    found: PoseDetection,
    rgb: Uint8Array,
    dw: number,
    dh: number,
  ): Promise<number | null> {
    const ref = found.faces[0]?.descriptor;
    if (!this.model || !ref?.length || index % FACE_CHECK_EVERY !== 0) return null;
    const { width: W, height: H } = this.cfg;
    const out = await this.model.detect(downscaleRgb(rgb, W, H, W, dw, dh), dw, dh);
    let best = 0;
    for (const f of out.faces) best = Math.max(best, this.model.similarity(ref, f.descriptor));
    return best;
  }

  private applyGuides(index: number, rgb: Uint8Array): void {
    const influences = guideInfluences(index, this.cfg.pins);
    if (influences.length) {
      const mean = meanRgb(rgb);
      for (const g of influences) {
        const guide = this.guides.get(g.guide);
        if (!guide) throw new Error(`guide ${g.guide} was not sent before frame ${index}`);
        if (g.colour > 0)
          shiftColour(
            rgb,
            guide.mean.map((m, i) => m - (mean[i] ?? 0)),
            g.colour,
          );
      }
      for (const g of influences) {
        const guide = this.guides.get(g.guide);
        if (guide && g.pixel > 0) blendToward(rgb, guide.rgb, g.pixel);
      }
    }
    // Guides whose reach ends here are dropped, so memory follows the guides in reach, not all 64.
    for (const p of this.cfg.pins) if (guideNeededUntil(p) <= index) this.guides.delete(p.guide);
  }
}
