// Flow-based morphing between two frames (pure): motion is estimated once per pair at a small working
// resolution, and each in-between frame samples both anchors backward along the motion field of its
// moment — A pulled from t of the way back, B from (1 − t) of the way forward — blended by t and by how
// visible each anchor is there. Features therefore travel from where they are in A to where they are in B
// instead of fading in place. A virtual camera (zoom and pan) can be laid over any frame.
import { estimateFlow, type FlowField } from './flow.js';
import { splatWeights, timeField, type SplatSource, type TimeField } from './morph-field.js';
import { lumaAt, yuvPlanes, type YuvFrame } from './yuv.js';

/** Longest side of the grid the motion is estimated on, px. */
export const FLOW_WORKING_SIDE = 320;

/** A numeric camera over the frame, as in the ffmpeg graphs: zoom ≥ 1, centre offsets as fractions. */
export interface FrameCamera {
  zoom: number;
  panX: number;
  panY: number;
}

/** The identity camera. */
export const STILL: FrameCamera = { zoom: 1, panX: 0, panY: 0 };

/** Two anchors and the motion between them. */
export interface MorphPair {
  a: YuvFrame;
  b: YuvFrame;
  ab: SplatSource;
  ba: SplatSource;
}

/** Size of the flow grid for a frame size (aspect kept, at least 8 px per side). */
export const workingSize = (width: number, height: number): { width: number; height: number } => {
  const k = Math.min(1, FLOW_WORKING_SIDE / Math.max(width, height));
  return { width: Math.max(8, Math.round(width * k)), height: Math.max(8, Math.round(height * k)) };
};

/** Estimates the motion both ways between two frames of the same size. */
export const prepareMorph = (a: YuvFrame, b: YuvFrame): MorphPair => {
  const ws = workingSize(a.width, a.height);
  const ga = lumaAt(a, ws.width, ws.height);
  const gb = lumaAt(b, ws.width, ws.height);
  const fab: FlowField = estimateFlow(ga, gb);
  const fba: FlowField = estimateFlow(gb, ga);
  return {
    a,
    b,
    ab: { flow: fab, weight: splatWeights(fab, fba) },
    ba: { flow: fba, weight: splatWeights(fba, fab) },
  };
};

const sample = (p: Uint8Array, w: number, h: number, x: number, y: number): number => {
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = cx | 0;
  const y0 = cy | 0;
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const r0 = y0 * w;
  const r1 = (y0 + 1 < h ? y0 + 1 : y0) * w;
  const fx = cx - x0;
  const fy = cy - y0;
  const top = p[r0 + x0]! + (p[r0 + x1]! - p[r0 + x0]!) * fx;
  const bot = p[r1 + x0]! + (p[r1 + x1]! - p[r1 + x0]!) * fx;
  return top + (bot - top) * fy;
};

interface PlaneJob {
  dst: Uint8Array;
  srcA: Uint8Array;
  srcB: Uint8Array | null;
  /** Plane size and its subsampling (1 for luma, 2 for 4:2:0 chroma). */
  pw: number;
  ph: number;
  s: number;
}

/** Renders one plane; all positions are worked out in full-resolution pixel coordinates. */
const renderPlane = (
  j: PlaneJob,
  frame: { width: number; height: number },
  field: TimeField | null,
  t: number,
  cam: FrameCamera,
): void => {
  const { width: W, height: H } = frame;
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  const fw = field?.width ?? 1;
  const fh = field?.height ?? 1;
  // Grid px → frame px for the vectors, frame px → grid px for the lookups.
  const ux = W / fw;
  const vy = H / fh;
  const row = {
    u: new Float32Array(fw),
    v: new Float32Array(fw),
    a: new Float32Array(fw),
    b: new Float32Array(fw),
  };
  const inv = 1 / cam.zoom;
  for (let py = 0; py < j.ph; py++) {
    const Y = cy + cam.panY * H + ((py + 0.5) * j.s - 0.5 - cy) * inv;
    if (field) {
      // The field is interpolated vertically once per row; per pixel only the horizontal lerp remains.
      const gy = Math.min(fh - 1, Math.max(0, (Y + 0.5) / vy - 0.5));
      const y0 = gy | 0;
      const y1 = y0 + 1 < fh ? y0 + 1 : y0;
      const f = gy - y0;
      for (let x = 0; x < fw; x++) {
        const i0 = y0 * fw + x;
        const i1 = y1 * fw + x;
        row.u[x] = field.u[i0]! + (field.u[i1]! - field.u[i0]!) * f;
        row.v[x] = field.v[i0]! + (field.v[i1]! - field.v[i0]!) * f;
        row.a[x] = field.visA[i0]! + (field.visA[i1]! - field.visA[i0]!) * f;
        row.b[x] = field.visB[i0]! + (field.visB[i1]! - field.visB[i0]!) * f;
      }
    }
    const out = py * j.pw;
    for (let px = 0; px < j.pw; px++) {
      const X = cx + cam.panX * W + ((px + 0.5) * j.s - 0.5 - cx) * inv;
      if (!field || !j.srcB) {
        j.dst[out + px] = sample(j.srcA, j.pw, j.ph, (X + 0.5) / j.s - 0.5, (Y + 0.5) / j.s - 0.5) + 0.5;
        continue;
      }
      const gx = Math.min(fw - 1, Math.max(0, (X + 0.5) / ux - 0.5));
      const x0 = gx | 0;
      const x1 = x0 + 1 < fw ? x0 + 1 : x0;
      const f = gx - x0;
      const fu = (row.u[x0]! + (row.u[x1]! - row.u[x0]!) * f) * ux;
      const fv = (row.v[x0]! + (row.v[x1]! - row.v[x0]!) * f) * vy;
      let wa = (1 - t) * (row.a[x0]! + (row.a[x1]! - row.a[x0]!) * f);
      let wb = t * (row.b[x0]! + (row.b[x1]! - row.b[x0]!) * f);
      if (wa + wb < 1e-4) {
        wa = 1 - t;
        wb = t;
      }
      const sa = sample(j.srcA, j.pw, j.ph, (X - t * fu + 0.5) / j.s - 0.5, (Y - t * fv + 0.5) / j.s - 0.5);
      const sb = sample(
        j.srcB,
        j.pw,
        j.ph,
        (X + (1 - t) * fu + 0.5) / j.s - 0.5,
        (Y + (1 - t) * fv + 0.5) / j.s - 0.5,
      );
      // Uint8Array stores truncate, so +0.5 rounds.
      j.dst[out + px] = (wa * sa + wb * sb) / (wa + wb) + 0.5;
    }
  }
};

/**
 * Writes the frame at `t` ∈ [0, 1] of `pair` (or, with `pair` null, of the still `a`) seen through `cam`
 * into `out` (one yuv420p buffer). With t = 0 and the identity camera this is `a` exactly.
 */
export const renderMorphFrame = (
  a: YuvFrame,
  pair: MorphPair | null,
  t: number,
  cam: FrameCamera,
  out: Uint8Array,
): void => {
  const dst = yuvPlanes(out, a.width, a.height);
  const still = !pair || t <= 0;
  if (still && cam.zoom === 1 && cam.panX === 0 && cam.panY === 0) {
    dst.y.set(a.y);
    dst.u.set(a.u);
    dst.v.set(a.v);
    return;
  }
  const field = still ? null : timeField(pair.ab, pair.ba, t);
  const b = still ? null : pair.b;
  const { width: W, height: H } = a;
  renderPlane({ dst: dst.y, srcA: a.y, srcB: b?.y ?? null, pw: W, ph: H, s: 1 }, a, field, t, cam);
  renderPlane({ dst: dst.u, srcA: a.u, srcB: b?.u ?? null, pw: W / 2, ph: H / 2, s: 2 }, a, field, t, cam);
  renderPlane({ dst: dst.v, srcA: a.v, srcB: b?.v ?? null, pw: W / 2, ph: H / 2, s: 2 }, a, field, t, cam);
};
