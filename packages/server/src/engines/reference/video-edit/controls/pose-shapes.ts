// Pose and face detections as structure the edit must keep (pure): MoveNet's limbs become segments and
// faces become boxes, in working pixels. `precise` holds thin limbs fully; `coarse` holds wider, softer
// bands, so the edit may drift further from the exact pose.
import type { PoseStrength } from '../../../../contract/wire.js';
import type { StructureShape } from './guidance.js';
import type { PoseDetection, PoseKeypoint } from './pose-model.js';

/** MoveNet's skeleton: the keypoint pairs joined by a limb. */
export const LIMBS: readonly (readonly [string, string])[] = [
  ['leftShoulder', 'rightShoulder'],
  ['leftShoulder', 'leftElbow'],
  ['leftElbow', 'leftWrist'],
  ['rightShoulder', 'rightElbow'],
  ['rightElbow', 'rightWrist'],
  ['leftShoulder', 'leftHip'],
  ['rightShoulder', 'rightHip'],
  ['leftHip', 'rightHip'],
  ['leftHip', 'leftKnee'],
  ['leftKnee', 'leftAnkle'],
  ['rightHip', 'rightKnee'],
  ['rightKnee', 'rightAnkle'],
  ['nose', 'leftEye'],
  ['nose', 'rightEye'],
  ['leftEye', 'leftEar'],
  ['rightEye', 'rightEar'],
];

/** Least keypoint score a limb end needs. */
export const KEYPOINT_MIN_SCORE = 0.3;

/** Limb half-width (working px) and hold weight per pose strength. */
export const POSE_HOLD: Readonly<Record<PoseStrength, { radius: number; weight: number }>> = {
  precise: { radius: 1.5, weight: 1 },
  coarse: { radius: 3, weight: 0.35 },
};

/**
 * Shapes in working pixels from a detection made on an image `scale` times the working size
 * (`scale` = detection px per working px). Null `pose` or `faces` leave that part out.
 */
export const detectionShapes = (
  d: PoseDetection,
  scale: number,
  pose: PoseStrength | null,
  faces: boolean,
): StructureShape[] => {
  const shapes: StructureShape[] = [];
  if (pose) {
    const hold = POSE_HOLD[pose];
    for (const body of d.bodies) {
      const at = new Map<string, PoseKeypoint>();
      for (const k of body.keypoints) if (k.score >= KEYPOINT_MIN_SCORE) at.set(k.part, k);
      for (const [a, b] of LIMBS) {
        const p = at.get(a);
        const q = at.get(b);
        if (!p || !q) continue;
        shapes.push({
          kind: 'segment',
          x0: p.x / scale,
          y0: p.y / scale,
          x1: q.x / scale,
          y1: q.y / scale,
          radius: hold.radius,
          weight: hold.weight,
        });
      }
    }
  }
  if (faces) {
    for (const f of d.faces) {
      shapes.push({
        kind: 'box',
        x0: f.x / scale,
        y0: f.y / scale,
        x1: (f.x + f.w) / scale,
        y1: (f.y + f.h) / scale,
        radius: 0,
        weight: 1,
      });
    }
  }
  return shapes;
};
