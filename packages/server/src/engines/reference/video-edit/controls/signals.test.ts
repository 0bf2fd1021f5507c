import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateFlow, type GreyImage } from '../../video/flow.js';
import { renderDebugView, debugViewSize } from './debug-view.js';
import { guidanceWeights, HOLD_FLOOR, type FrameSignals } from './guidance.js';
import {
  FB_MAX_ERROR,
  PointTracker,
  approximateDepth,
  blurDepth,
  depthNormals,
  trackSpacing,
} from './signals.js';

const W = 96;
const H = 64;

/** A textured image shifted by (dx, dy), with an optional flat patch hiding part of it. */
const texture = (dx: number, dy: number, hide: { x: number; w: number } | null = null): GreyImage => {
  const data = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - dx;
      const v = y - dy;
      data[y * W + x] =
        0.5 + 0.25 * Math.sin(u * 0.45) * Math.cos(v * 0.38) + 0.15 * Math.sin((u + 2 * v) * 0.21);
      if (hide && x >= hide.x && x < hide.x + hide.w) data[y * W + x] = 0.5;
    }
  }
  return { width: W, height: H, data };
};

describe('point tracker', () => {
  it('follows a translation; sparsity sets how many points; forward–backward disagreement kills points', () => {
    const a = texture(0, 0);
    const b = texture(2, 1);
    const dense = new PointTracker(W, H, trackSpacing(0));
    const sparse = new PointTracker(W, H, trackSpacing(1));
    dense.step(a, null, null);
    sparse.step(a, null, null);
    assert.ok(
      dense.points.length > 3 * sparse.points.length,
      `${dense.points.length} vs ${sparse.points.length}`,
    );
    const before = new Map(dense.points.map((p) => [p.id, p]));
    dense.step(b, estimateFlow(a, b), estimateFlow(b, a));
    const moved = dense.points.filter((p) => p.age === 1);
    assert.ok(moved.length > 0.5 * before.size, `${moved.length} of ${before.size} survived`);
    for (const p of moved) {
      const q = before.get(p.id)!;
      if (q.x > 8 && q.x < W - 8 && q.y > 8 && q.y < H - 8) {
        assert.ok(
          Math.abs(p.x - q.x - 2) < 1 && Math.abs(p.y - q.y - 1) < 1,
          `${q.x},${q.y} → ${p.x},${p.y}`,
        );
      }
    }
    // Points on a region that disappears cannot come back along the backward flow.
    const c = texture(2, 1, { x: 30, w: 40 });
    const t = new PointTracker(W, H, trackSpacing(0));
    t.step(b, null, null);
    const inside = t.points.filter((p) => p.x > 36 && p.x < 64).length;
    t.step(c, estimateFlow(b, c), estimateFlow(c, b));
    const aged = t.points.filter((p) => p.age === 1 && p.x > 36 && p.x < 64).length;
    assert.ok(aged < inside / 2, `${aged} of ${inside} survived an occlusion`);
    assert.ok(FB_MAX_ERROR < 1);
  });
});

describe('approximate depth and normals', () => {
  it('lower is nearer, motion against the frame is nearer, blur smooths, augmentation loosens normals', () => {
    const a = texture(0, 0);
    const d = approximateDepth(a, null, null);
    const rowMean = (m: Float32Array, y: number) =>
      m.subarray(y * W, (y + 1) * W).reduce((s, v) => s + v, 0) / W;
    assert.ok(rowMean(d, H - 1) > rowMean(d, 0) + 0.2);
    const u = new Float32Array(W * H);
    for (let i = 0; i < u.length; i++) if (i % W > 40 && i % W < 56) u[i] = 3;
    const moving = approximateDepth(a, { width: W, height: H, u, v: new Float32Array(W * H) }, null);
    assert.ok(moving[32 * W + 48]! > d[32 * W + 48]! + 0.2);
    const spread = (m: Float32Array) => Math.max(...m) - Math.min(...m);
    assert.ok(spread(blurDepth(moving, W, H, 1)) < spread(moving));
    assert.equal(blurDepth(moving, W, H, 0), moving);
    const tight = depthNormals(moving, W, H, 0, 0);
    const loose = depthNormals(moving, W, H, 1, 0);
    let diff = 0;
    for (let i = 0; i < tight.length; i++) diff += Math.abs(tight[i]! - loose[i]!);
    assert.ok(diff / tight.length > 0.01);
    for (let i = 0; i < W * H; i += 97) {
      assert.ok(Math.abs(Math.hypot(tight[3 * i]!, tight[3 * i + 1]!, tight[3 * i + 2]!) - 1) < 1e-5);
    }
  });
});

describe('guidance', () => {
  const base: FrameSignals = { width: W, height: H, depth: null, normals: null, tracks: null, shapes: [] };
  it('no signals hold nothing; each signal holds where it speaks, never below the floor', () => {
    assert.ok(guidanceWeights(base).weight.every((w) => w === 1));
    const tracks = guidanceWeights({ ...base, tracks: [{ id: 0, x: 20, y: 20, age: 3 }] });
    assert.ok(Math.abs(tracks.weight[20 * W + 20]! - HOLD_FLOOR) < 1e-6);
    assert.equal(tracks.weight[50 * W + 80], 1);
    const limb = guidanceWeights({
      ...base,
      shapes: [{ kind: 'segment', x0: 10, y0: 40, x1: 60, y1: 40, radius: 2, weight: 1 }],
    });
    assert.ok(limb.hold[40 * W + 30]! > 0.99 && limb.hold[50 * W + 30] === 0);
    const depth = guidanceWeights({ ...base, depth: approximateDepth(texture(0, 0), null, null) });
    assert.ok(depth.weight.every((w) => w >= HOLD_FLOOR - 1e-6 && w <= 1));
  });

  it('the debug mosaic shows every enabled signal and leaves disabled panels black', () => {
    const grey = texture(0, 0);
    const depth = approximateDepth(grey, null, null);
    const s: FrameSignals = {
      ...base,
      depth,
      normals: depthNormals(depth, W, H, 0, 0),
      tracks: [{ id: 1, x: 5, y: 5, age: 0 }],
    };
    const view = renderDebugView(grey, s, guidanceWeights(s).hold);
    const size = debugViewSize(W, H);
    assert.equal(view.length, size.width * size.height * 3);
    const p = (x: number, y: number) => [
      ...view.subarray((y * size.width + x) * 3, (y * size.width + x) * 3 + 3),
    ];
    assert.deepEqual(p(5, 5), [40, 255, 60]);
    assert.ok(p(W + 10, H - 1)[0]! > p(W + 10, 0)[0]!);
    const off = renderDebugView(grey, { ...base }, guidanceWeights(base).hold);
    assert.deepEqual(p(W + 10, 10).length, 3);
    assert.deepEqual(
      [...off.subarray((10 * size.width + W + 10) * 3, (10 * size.width + W + 10) * 3 + 3)],
      [0, 0, 0],
    );
  });
});
