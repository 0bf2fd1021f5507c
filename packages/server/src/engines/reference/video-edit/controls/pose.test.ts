// The shipped pose/face model (real WASM inference on a drawn figure) and the pure shape conversion.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { figureSvg } from '../../testing/edit-test-support.js';
import { stillRgb, writeSvgLayer } from '../../../../media/stills.js';
import { loadPoseModel, localFetch, type PoseDetection } from './pose-model.js';
import { KEYPOINT_MIN_SCORE, LIMBS, POSE_HOLD, detectionShapes } from './pose-shapes.js';

describe('detectionShapes', () => {
  const d: PoseDetection = {
    bodies: [
      {
        score: 0.8,
        keypoints: [
          { part: 'leftShoulder', x: 10, y: 20, score: 0.9 },
          { part: 'leftElbow', x: 10, y: 40, score: 0.9 },
          { part: 'leftWrist', x: 10, y: 60, score: KEYPOINT_MIN_SCORE - 0.01 },
        ],
      },
    ],
    faces: [{ x: 20, y: 0, w: 10, h: 10, score: 0.9, descriptor: [] }],
  };
  it('joins confident keypoints into limbs, scales to working pixels, adds face boxes', () => {
    const precise = detectionShapes(d, 2, 'precise', true);
    assert.deepEqual(precise, [
      { kind: 'segment', x0: 5, y0: 10, x1: 5, y1: 20, radius: POSE_HOLD.precise.radius, weight: 1 },
      { kind: 'box', x0: 10, y0: 0, x1: 15, y1: 5, radius: 0, weight: 1 },
    ]);
    const coarse = detectionShapes(d, 2, 'coarse', false);
    assert.equal(coarse.length, 1);
    assert.ok(coarse[0]!.radius > precise[0]!.radius && coarse[0]!.weight < precise[0]!.weight);
    assert.deepEqual(detectionShapes(d, 2, null, false), []);
    assert.equal(LIMBS.length, 16);
  });
});

describe('loadPoseModel (shipped weights, WASM)', () => {
  it('model files come from disk only: the loader fetch refuses every non-file URL', async () => {
    await assert.rejects(localFetch('https://example.com/movenet.json'), /only local files/);
    const own = await localFetch(new URL(import.meta.url));
    assert.equal(own.status, 200);
  });

  it('finds the body and the face of a drawn figure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-pose-'));
    try {
      const png = join(dir, 'figure.png');
      // The figure on a plain backdrop, as nested SVG: 320×320 with the figure at (100, 10).
      const scene =
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320"><rect width="320" height="320" fill="#9bb7d4"/>' +
        figureSvg().replace('<svg ', '<svg x="100" y="10" ') +
        '</svg>';
      await writeSvgLayer(scene, 320, 320, png, true);
      const model = await loadPoseModel(true, true);
      const found = await model.detect(await stillRgb(png, 320, 320), 320, 320);
      const body = found.bodies[0];
      assert.ok(body, 'no body');
      assert.ok(body.keypoints.filter((k) => k.score >= KEYPOINT_MIN_SCORE).length >= 12);
      const nose = body.keypoints.find((k) => k.part === 'nose');
      assert.ok(nose && Math.abs(nose.x - 160) < 15 && Math.abs(nose.y - 50) < 20, JSON.stringify(nose));
      assert.equal(found.faces.length, 1, JSON.stringify(found.faces.map((f) => [f.x, f.y, f.w, f.h])));
      const face = found.faces[0]!;
      assert.equal(face.descriptor.length, 1024);
      assert.ok(model.similarity(face.descriptor, face.descriptor) > 0.99);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
