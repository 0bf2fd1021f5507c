// Dense optical flow between two greyscale images (pure): coarse-to-fine block matching on an image
// pyramid, refined to sub-pixel precision by Lucas–Kanade steps and regularised by median and box
// filters. Block matching finds large displacements that gradient methods miss; Lucas–Kanade then removes
// the integer quantisation. Every step is a fixed sequence of float operations, so the result is
// deterministic. Meant for small working resolutions (a few hundred pixels across).

/** A greyscale image as floats (any scale), row-major. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Per-pixel displacement: pixel (x, y) of the first image matches (x + u, y + v) in the second. */
export interface FlowField {
  width: number;
  height: number;
  u: Float32Array;
  v: Float32Array;
}

/** Tuning of {@link estimateFlow}; the defaults suit 100–400 px wide images. */
export interface FlowOptions {
  /** Integer search radius per pyramid level, px (default 3). */
  radius?: number;
  /** Half-size of the matching window, px (default 3, i.e. 7×7). */
  patch?: number;
  /** Cost per px of deviation from the coarser level's estimate, in normalised grey units (default 0.1). */
  penalty?: number;
  /** Smallest pyramid level side, px (default 8). */
  minSide?: number;
  /** Search radius on the coarsest level, where a full search is cheap (default 8). */
  topRadius?: number;
  /** Radius of the box blur applied to the final field, px (default 2, two passes). */
  smooth?: number;
}

/** Scales an image to zero mean and unit deviation, so matching ignores global exposure differences. */
export const normalise = (img: GreyImage): GreyImage => {
  const d = img.data;
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum += d[i]!;
  const mean = sum / Math.max(1, d.length);
  let sq = 0;
  for (let i = 0; i < d.length; i++) sq += (d[i]! - mean) ** 2;
  const k = 1 / Math.max(1e-3, Math.sqrt(sq / Math.max(1, d.length)));
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = (d[i]! - mean) * k;
  return { width: img.width, height: img.height, data: out };
};

/** Halves an image with a 2×2 box (odd edges clamp). */
export const halve = (img: GreyImage): GreyImage => {
  const w = Math.max(1, img.width >> 1);
  const h = Math.max(1, img.height >> 1);
  const out = new Float32Array(w * h);
  const s = img.data;
  const sw = img.width;
  for (let y = 0; y < h; y++) {
    const r0 = Math.min(2 * y, img.height - 1) * sw;
    const r1 = Math.min(2 * y + 1, img.height - 1) * sw;
    for (let x = 0; x < w; x++) {
      const x0 = Math.min(2 * x, sw - 1);
      const x1 = Math.min(2 * x + 1, sw - 1);
      out[y * w + x] = 0.25 * (s[r0 + x0]! + s[r0 + x1]! + s[r1 + x0]! + s[r1 + x1]!);
    }
  }
  return { width: w, height: h, data: out };
};

/** Bilinear sample with edge clamping. */
export const sampleBilinear = (d: Float32Array, w: number, h: number, x: number, y: number): number => {
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const a = d[y0 * w + x0]!;
  const b = d[y0 * w + x1]!;
  const c = d[y1 * w + x0]!;
  const e = d[y1 * w + x1]!;
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + e) * fx * fy;
};

/** `img` sampled at (x + u, y + v): the second image pulled back onto the first's grid. */
const warp = (img: GreyImage, u: Float32Array, v: Float32Array): Float32Array => {
  const { width: w, height: h, data } = img;
  const out = new Float32Array(w * h);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) out[i] = sampleBilinear(data, w, h, x + u[i]!, y + v[i]!);
  }
  return out;
};

/** Box sum over a (2r+1)² window, edges clamped, via two running-sum passes. */
export const boxFilter = (
  src: Float32Array,
  w: number,
  h: number,
  r: number,
  out?: Float32Array,
): Float32Array => {
  const tmp = new Float32Array(w * h);
  const res = out ?? new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += src[row + Math.min(w - 1, Math.max(0, k))]!;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc;
      acc += src[row + Math.min(w - 1, x + r + 1)]! - src[row + Math.max(0, x - r)]!;
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += tmp[Math.min(h - 1, Math.max(0, k)) * w + x]!;
    for (let y = 0; y < h; y++) {
      res[y * w + x] = acc;
      acc += tmp[Math.min(h - 1, y + r + 1) * w + x]! - tmp[Math.max(0, y - r) * w + x]!;
    }
  }
  return res;
};

/** 3×3 median of one channel (edges clamped): removes isolated wrong matches without blurring edges. */
const median3 = (src: Float32Array, w: number, h: number): Float32Array => {
  const out = new Float32Array(w * h);
  const win = new Float64Array(9);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let k = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy)) * w;
        for (let dx = -1; dx <= 1; dx++) win[k++] = src[yy + Math.min(w - 1, Math.max(0, x + dx))]!;
      }
      win.sort();
      out[y * w + x] = win[4]!;
    }
  }
  return out;
};

/** Integer search around the current estimate; adds the best offset per pixel to (u, v). */
const blockMatch = (a: GreyImage, b: GreyImage, flow: FlowField, o: Required<FlowOptions>): void => {
  const { width: w, height: h } = a;
  const bw = warp(b, flow.u, flow.v);
  const n = w * h;
  const best = new Float32Array(n).fill(Infinity);
  const bdx = new Int8Array(n);
  const bdy = new Int8Array(n);
  const diff = new Float32Array(n);
  const cost = new Float32Array(n);
  const area = (2 * o.patch + 1) ** 2;
  const r = o.radius;
  // Candidates are visited in a fixed order and ties keep the earlier (smaller) offset, so the search is
  // deterministic and prefers staying put where the texture cannot tell.
  const order: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) order.push([dx, dy]);
  order.sort((p, q) => Math.abs(p[0]) + Math.abs(p[1]) - (Math.abs(q[0]) + Math.abs(q[1])));
  for (const [dx, dy] of order) {
    for (let y = 0; y < h; y++) {
      const yy = Math.min(h - 1, Math.max(0, y + dy)) * w;
      for (let x = 0; x < w; x++) {
        diff[y * w + x] = Math.abs(a.data[y * w + x]! - bw[yy + Math.min(w - 1, Math.max(0, x + dx))]!);
      }
    }
    boxFilter(diff, w, h, o.patch, cost);
    const pen = o.penalty * (Math.abs(dx) + Math.abs(dy));
    for (let i = 0; i < n; i++) {
      const c = cost[i]! / area + pen;
      if (c < best[i]!) {
        best[i] = c;
        bdx[i] = dx;
        bdy[i] = dy;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    flow.u[i] = flow.u[i]! + bdx[i]!;
    flow.v[i] = flow.v[i]! + bdy[i]!;
  }
};

/** One Lucas–Kanade step over (2·patch+1)² windows; each update is capped at 1 px. */
const lucasKanade = (a: GreyImage, b: GreyImage, flow: FlowField, patch: number): void => {
  const { width: w, height: h } = a;
  const n = w * h;
  const bw = warp(b, flow.u, flow.v);
  const xx = new Float32Array(n);
  const xy = new Float32Array(n);
  const yy = new Float32Array(n);
  const xt = new Float32Array(n);
  const yt = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    const up = Math.max(0, y - 1) * w;
    const dn = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = y * w + Math.max(0, x - 1);
      const r = y * w + Math.min(w - 1, x + 1);
      // Gradients of the mean of both images: symmetric, so the step is unbiased in either direction.
      const gx = 0.25 * (a.data[r]! - a.data[l]! + bw[r]! - bw[l]!);
      const gy = 0.25 * (a.data[dn + x]! - a.data[up + x]! + bw[dn + x]! - bw[up + x]!);
      const gt = bw[i]! - a.data[i]!;
      xx[i] = gx * gx;
      xy[i] = gx * gy;
      yy[i] = gy * gy;
      xt[i] = gx * gt;
      yt[i] = gy * gt;
    }
  }
  for (const m of [xx, xy, yy, xt, yt]) boxFilter(m, w, h, patch, m);
  const eps = 1e-3 * (2 * patch + 1) ** 2;
  for (let i = 0; i < n; i++) {
    const a11 = xx[i]! + eps;
    const a12 = xy[i]!;
    const a22 = yy[i]! + eps;
    const det = a11 * a22 - a12 * a12;
    let du = -(a22 * xt[i]! - a12 * yt[i]!) / det;
    let dv = -(a11 * yt[i]! - a12 * xt[i]!) / det;
    du = du > 1 ? 1 : du < -1 ? -1 : du;
    dv = dv > 1 ? 1 : dv < -1 ? -1 : dv;
    flow.u[i] = flow.u[i]! + du;
    flow.v[i] = flow.v[i]! + dv;
  }
};

/** Doubles a flow field to `w`×`h` (bilinear), scaling the vectors with the grid. */
const upsample = (f: FlowField, w: number, h: number): FlowField => {
  const u = new Float32Array(w * h);
  const v = new Float32Array(w * h);
  const sx = f.width / w;
  const sy = f.height / h;
  for (let y = 0, i = 0; y < h; y++) {
    const fy = (y + 0.5) * sy - 0.5;
    for (let x = 0; x < w; x++, i++) {
      const fx = (x + 0.5) * sx - 0.5;
      u[i] = sampleBilinear(f.u, f.width, f.height, fx, fy) / sx;
      v[i] = sampleBilinear(f.v, f.width, f.height, fx, fy) / sy;
    }
  }
  return { width: w, height: h, u, v };
};

/**
 * Estimates the flow from `a` to `b` (same size). Both are normalised first, so a brighter or darker
 * second image still matches by structure.
 */
export const estimateFlow = (a: GreyImage, b: GreyImage, options: FlowOptions = {}): FlowField => {
  if (a.width !== b.width || a.height !== b.height) throw new Error('flow images differ in size');
  const o: Required<FlowOptions> = {
    radius: 3,
    patch: 3,
    penalty: 0.1,
    minSide: 8,
    topRadius: 8,
    smooth: 2,
    ...options,
  };
  const pa: GreyImage[] = [normalise(a)];
  const pb: GreyImage[] = [normalise(b)];
  for (;;) {
    const top = pa[pa.length - 1]!;
    if (Math.min(top.width, top.height) < 2 * o.minSide) break;
    pa.push(halve(top));
    pb.push(halve(pb[pb.length - 1]!));
  }
  let flow: FlowField | null = null;
  for (let level = pa.length - 1; level >= 0; level--) {
    const la = pa[level]!;
    const lb = pb[level]!;
    flow = flow
      ? upsample(flow, la.width, la.height)
      : {
          width: la.width,
          height: la.height,
          u: new Float32Array(la.width * la.height),
          v: new Float32Array(la.width * la.height),
        };
    // The coarsest level searches wide, so motions of a large part of the frame are found at all.
    const top = level === pa.length - 1;
    blockMatch(la, lb, flow, top ? { ...o, radius: o.topRadius, patch: Math.min(o.patch, 2) } : o);
    flow.u = median3(flow.u, la.width, la.height);
    flow.v = median3(flow.v, la.width, la.height);
    for (let k = 0; k < 2; k++) lucasKanade(la, lb, flow, o.patch);
    const area = 9;
    flow.u = boxFilter(flow.u, la.width, la.height, 1).map((s) => s / area);
    flow.v = boxFilter(flow.v, la.width, la.height, 1).map((s) => s / area);
  }
  if (!flow) throw new Error('empty pyramid');
  // A smooth field warps images without tearing them; the fine structure of the flow is mostly noise
  // wherever the two images do not show the same things.
  const k = (2 * o.smooth + 1) ** 2;
  for (let pass = 0; pass < 2 && o.smooth > 0; pass++) {
    flow.u = boxFilter(flow.u, flow.width, flow.height, o.smooth).map((s) => s / k);
    flow.v = boxFilter(flow.v, flow.width, flow.height, o.smooth).map((s) => s / k);
  }
  return flow;
};
