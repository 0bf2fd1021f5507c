// Colour grades on Lab planes for edits: time of day, tints toward a named colour, and a seeded
// split-tone for prompts nothing else recognised. Pure.
import { rgbToLab, type Rgb } from '../../../media/color.js';
import type { TimeOfDay } from '../scene/scene.js';

/** Lab planes of one image plus its size (grades vary with height: skies are at the top). */
export interface LabImage {
  width: number;
  height: number;
  L: Float32Array;
  A: Float32Array;
  B: Float32Array;
}

interface Grade {
  /** Multiplier on lightness at the top and bottom of the frame. */
  gain: [number, number];
  lift: number;
  /** Multiplier on existing chroma. */
  chroma: number;
  /** Added a/b at the top and at the bottom. */
  top: [number, number];
  bottom: [number, number];
  /** Keep bright sources (lamps, windows) bright: a night grade should not put out the lights. */
  keepHighlights: boolean;
}

const GRADES: Record<TimeOfDay, Grade> = {
  night: { gain: [0.3, 0.4], lift: 1, chroma: 0.45, top: [2, -24], bottom: [-2, -16], keepHighlights: true },
  dusk: { gain: [0.62, 0.7], lift: 2, chroma: 0.7, top: [14, -22], bottom: [18, 16], keepHighlights: true },
  sunset: { gain: [0.85, 0.8], lift: 0, chroma: 0.9, top: [18, 6], bottom: [20, 34], keepHighlights: false },
  dawn: { gain: [0.98, 0.92], lift: 4, chroma: 0.85, top: [14, 2], bottom: [8, 20], keepHighlights: false },
  golden: { gain: [1, 0.95], lift: 2, chroma: 1, top: [4, 22], bottom: [8, 30], keepHighlights: false },
  day: { gain: [1.06, 1.04], lift: 3, chroma: 1.1, top: [-2, -8], bottom: [0, 2], keepHighlights: false },
};

/** Re-lights an image for a time of day. */
export const gradeTime = (img: LabImage, time: TimeOfDay): void => {
  const g = GRADES[time];
  const { width: w, height: h, L, A, B } = img;
  for (let y = 0, i = 0; y < h; y++) {
    const t = h > 1 ? y / (h - 1) : 0;
    const gain = g.gain[0] + (g.gain[1] - g.gain[0]) * t;
    const da = g.top[0] + (g.bottom[0] - g.top[0]) * t;
    const db = g.top[1] + (g.bottom[1] - g.top[1]) * t;
    for (let x = 0; x < w; x++, i++) {
      const l = L[i]!;
      const hi = g.keepHighlights ? Math.max(0, (l - 82) / 18) : 0;
      const keep = hi * hi;
      L[i] = (l * gain + g.lift) * (1 - keep) + l * 0.95 * keep;
      const shade = 0.35 + 0.65 * (1 - keep);
      A[i] = A[i]! * g.chroma + da * shade;
      B[i] = B[i]! * g.chroma + db * shade * (keep > 0 ? 0.5 : 1);
    }
  }
};

/**
 * Moves colour toward `target` while keeping lightness: the edit recolours, it does not repaint.
 * Neutral pixels pick up the tint too, so "make it blue" changes the whole picture.
 */
export const tint = (img: LabImage, target: Rgb, amount: number): void => {
  const [tl, ta, tb] = rgbToLab(target);
  const { L, A, B } = img;
  const chroma = Math.hypot(ta, tb) || 1;
  for (let i = 0; i < L.length; i++) {
    const l = L[i]!;
    // Very dark and very bright pixels carry less colour, as in any real grade.
    const w = amount * Math.min(1, Math.max(0.25, (l / 100) * (1 - l / 100) * 4));
    const c = Math.hypot(A[i]!, B[i]!);
    const want = Math.max(c, chroma * 0.7);
    A[i] = A[i]! * (1 - w) + (ta / chroma) * want * w;
    B[i] = B[i]! * (1 - w) + (tb / chroma) * want * w;
    L[i] = l + (tl - l) * w * 0.15;
  }
};

/** A split-tone (cool shadows, warm highlights, hue pair chosen by the seed) and a soft S-curve. */
export const splitTone = (img: LabImage, seed: number): void => {
  const angle = ((seed % 360) * Math.PI) / 180;
  const sa = Math.cos(angle) * 14;
  const sb = Math.sin(angle) * 14;
  const { L, A, B } = img;
  for (let i = 0; i < L.length; i++) {
    const v = L[i]! / 100;
    const curved = v + 0.35 * v * (1 - v) * (v - 0.5) * 4;
    L[i] = curved * 100;
    const k = curved - 0.5;
    A[i] = A[i]! * 1.08 - sa * k * 1.6;
    B[i] = B[i]! * 1.08 - sb * k * 1.6;
  }
};
