// The camera and light of every shot, as ffmpeg expressions (pure). Text-to-video trucks sideways and
// cranes gently over parallax layers (whole-pixel offsets: no resampling per frame, so it costs almost
// nothing next to the encode) while the light drifts with the time of day; shots built on one pinned
// still push in and out of it (two or more pins morph instead: morph-plan.ts). Loops use
// periodic functions of the frame number with period `frames − 1`, so the last frame equals the first and
// velocity is continuous across the wrap.
import type { Camera } from './camera.js';
import type { Grade, LayerSpec } from './graph-layers.js';
import type { StillSegment } from './graph-stills.js';
import type { SubjectKind } from '../scene/lexicon.js';
import type { TimeOfDay } from '../scene/scene.js';

/** Seeded choices of a shot. */
export interface ShotStyle {
  /** +1 trucks right, −1 left. */
  direction: 1 | -1;
  loop: boolean;
  frames: number;
}

const f = (x: number): string => (Math.round(x * 1e6) / 1e6).toString();

/** Position along the shot in −1..1 as an expression of frame variable `v`. */
const sweep = (s: ShotStyle, v: string): string =>
  s.loop ? `sin(2*PI*${v}/${s.frames - 1})` : `(2*${v}/${s.frames - 1}-1)`;

/** Margins (px) the layers are drawn beyond the frame on each side, so the camera can travel. */
export const layerMargins = (width: number, height: number): { mx: number; my: number } => ({
  mx: Math.round(width * 0.06),
  my: Math.round(height * 0.04),
});

/**
 * Crop offsets of a layer at `depth` (0 = infinitely far, 1 = the nearest plane): near layers travel the
 * whole margin, far ones a fraction of it — that difference is the parallax.
 */
export const layerMotion = (
  s: ShotStyle,
  input: number,
  depth: number,
  margins: { mx: number; my: number },
  opaque: boolean,
): Omit<LayerSpec, 'box' | 'resize'> => {
  const m = sweep(s, 'n');
  // The crane is a quarter-phase behind the truck in loops, so the camera traces an ellipse, not a line.
  const rise = s.loop ? `cos(2*PI*n/${s.frames - 1})` : `(-${m})`;
  return {
    input,
    // Two pixels short of the margin: the canvas's outermost columns are anti-aliased (half transparent).
    x: `${margins.mx}+${f(s.direction * depth * Math.max(0, margins.mx - 2))}*${m}`,
    y: `${margins.my}+${f(depth * margins.my * 0.6)}*${rise}`,
    opaque,
  };
};

/**
 * Frames the light holds between changes. A grade that moves every frame alters every pixel of every
 * frame, which the encoder cannot predict from the previous one: measured at 1080p it made x264 spend
 * ~40 % more CPU (and ~2.5× the bits) than the same shot under constant light. Stepping it 4 times a
 * second moves each step by under one code value (the drift is slow), so it still reads as a continuous
 * change, while the frames in between are pure motion. Divides 24, so loops (period 24·s) still wrap.
 */
export const GRADE_STEP = 6;

/** Light over the shot by time of day (`eq` expressions of `n`, held for {@link GRADE_STEP} frames). */
export const lightGrade = (s: ShotStyle, time: TimeOfDay): Grade => {
  const n = `(${GRADE_STEP}*floor(n/${GRADE_STEP}))`;
  const u = s.loop ? `(0.5-0.5*cos(2*PI*${n}/${s.frames - 1}))` : `(${n}/${s.frames - 1})`;
  const fading = time === 'sunset' || time === 'dusk' || time === 'golden';
  const rising = time === 'dawn';
  if (time === 'night') {
    return {
      brightness: `0.012*sin(2*PI*${n}/${s.loop ? s.frames - 1 : 60})`,
      contrast: '1',
      saturation: '1',
      gamma: '1',
    };
  }
  return {
    brightness: fading ? `-0.05*${u}` : rising ? `-0.03+0.06*${u}` : `0.025*${u}`,
    contrast: fading ? `1+0.06*${u}` : '1',
    saturation: fading ? `1+0.18*${u}` : rising ? `0.9+0.15*${u}` : '1',
    // As the sun sinks the shadows deepen faster than the highlights fade.
    gamma: fading ? `1-0.08*${u}` : '1',
  };
};

/** Zoom gained per 120 frames when drifting away from (or toward) a single pinned still. */
const DRIFT = 0.12;
const panFor = (zoom: string, side: number): string => `${f(side * 0.4)}*(1-1/(${zoom}))`;

const away = (dir: number): Camera => {
  const zoom = `1+${f(DRIFT / 120)}*on`;
  return { zoom, panX: panFor(zoom, dir), panY: panFor(zoom, -0.3) };
};

const toward = (span: number, dir: number): Camera => {
  const zoom = `1+${f(DRIFT / 120)}*(${span}-on)`;
  return { zoom, panX: panFor(zoom, -dir), panY: panFor(zoom, 0.3) };
};

const breathe = (span: number, dir: number): Camera => {
  const zoom = `1+0.08*pow(sin(PI*on/${span}),2)`;
  return { zoom, panX: `${f(dir * 0.35)}*(1-1/(${zoom}))*sin(2*PI*on/${span})`, panY: '0' };
};

/**
 * Cuts the timeline at its one pinned frame into segments filming input `inputs[0]`: a drift toward the
 * pin, the pin itself, a drift away (or, for a loop pinned at 0, one breathing move).
 */
export const stillTimeline = (
  pins: readonly number[],
  inputs: readonly number[],
  frames: number,
  loop: boolean,
  direction: 1 | -1,
): StillSegment[] => {
  const first = pins[0];
  const last = pins[pins.length - 1];
  if (first === undefined || last === undefined) throw new Error('a still timeline needs a pin');
  const segs: StillSegment[] = [];
  const input = (i: number): number => inputs[i] ?? 0;
  if (loop && pins.length === 1 && first === 0) {
    return [
      { span: frames - 1, from: { input: input(0), camera: breathe(frames - 1, direction) }, keepLast: true },
    ];
  }
  if (first > 0)
    segs.push({ span: first, from: { input: input(0), camera: toward(first, direction) }, keepLast: false });
  if (last < frames - 1) {
    segs.push({
      span: frames - 1 - last,
      from: { input: input(pins.length - 1), camera: away(direction) },
      keepLast: false,
    });
  }
  const tail = segs[segs.length - 1];
  if (tail) tail.keepLast = true;
  return segs;
};

/**
 * Frames the water's ripples hold between moves. Moved 8 times a second they still read as water on the
 * move (hand-drawn animation moves its ripples on threes too), and the frames between are the camera's
 * motion alone, which the encoder predicts for free. Divides 24, so loops still wrap.
 */
export const RIPPLE_STEP = 3;

/**
 * The water's own stir: its ripple lines (and the light's glitter on them) sway across and bob over the
 * surface, as offsets (px, expressions of `n`) added to the near plane's. Periods divide the shot (they wrap
 * in loops, and the first frame is at rest); a few px at most, so the ripples stay on the water they cross.
 */
export const rippleMotion = (s: ShotStyle, width: number, height: number): { dx: string; dy: string } => {
  const last = s.frames - 1;
  const across = Math.max(2, Math.round(width * 0.003));
  const bob = Math.max(1, Math.round(height * 0.002));
  // About 2.5 s a sway and 1 s a bob over a 5 s shot: slow swell, quick chop.
  const sway = Math.max(1, Math.round(last / 60));
  const chop = Math.max(1, Math.round(last / 24));
  const n = `(${RIPPLE_STEP}*floor(n/${RIPPLE_STEP}))`;
  return {
    dx: `${across}*sin(2*PI*${sway}*${n}/${last})`,
    dy: `${bob}*sin(2*PI*${chop}*${n}/${last})`,
  };
};

/** How a kind of subject moves by itself, in art sizes per second; its bob in art sizes and seconds. */
const GAITS: Partial<Record<SubjectKind, { speed: number; bob: number; period: number; hop: boolean }>> = {
  animal: { speed: 0.3, bob: 0.012, period: 0.5, hop: true },
  person: { speed: 0.22, bob: 0.01, period: 0.55, hop: true },
  vehicle: { speed: 0.9, bob: 0.003, period: 0.2, hop: false },
  bird: { speed: 0.7, bob: 0.05, period: 0.8, hop: false },
  insect: { speed: 0.5, bob: 0.08, period: 0.5, hop: false },
  aircraft: { speed: 0.5, bob: 0.01, period: 2, hop: false },
  boat: { speed: 0.08, bob: 0.012, period: 1.8, hop: false },
  swimmer: { speed: 0.15, bob: 0.02, period: 1.5, hop: false },
};

/** Whether a kind of subject moves by itself (walks, drives, flies, floats). */
export const moves = (kind: SubjectKind): boolean => GAITS[kind] !== undefined;

/** A subject's own travel over the shot: offsets (px, expressions of `n`) added to its plane's motion. */
export interface FigureMotion {
  dx: string;
  dy: string;
  /** +1 moves right, −1 left, 0 stays. */
  heading: 1 | -1 | 0;
}

/** A subject already on its way: the heading it keeps, and the frame where it is where it stands now. */
export interface Pinned {
  heading: 1 | -1;
  frame: number;
}

/**
 * An animal walks, a vehicle drives, a bird flies, a boat drifts and bobs; buildings, plants and things
 * stay put. It heads toward the side with more room and never travels further than `room` px (so it stays
 * on its layer's canvas); loops go out and back, so the last frame equals the first. A `pinned` subject (an
 * extend's) keeps its heading and is exactly where it stands at the pinned frame (0: it walks on from
 * there; the last: it arrives there, so its room is behind it); `room.down` then bounds its bob below.
 */
export const figureMotion = (
  s: ShotStyle,
  kind: SubjectKind,
  size: number,
  room: { left: number; right: number; up: number; down?: number },
  fps: number,
  pinned?: Pinned,
): FigureMotion => {
  const gait = GAITS[kind];
  if (!gait) return { dx: '0', dy: '0', heading: 0 };
  const heading: 1 | -1 = pinned?.heading ?? (room.right >= room.left ? 1 : -1);
  const last = s.frames - 1;
  const arrives = pinned !== undefined && pinned.frame === last && !s.loop;
  const want = (gait.speed * size * last) / fps;
  const space = heading > 0 !== arrives ? room.right : room.left;
  const travel = Math.max(0, Math.min(want, space - 2));
  const along = s.loop ? `0.5*(1-cos(2*PI*n/${last}))` : arrives ? `(n/${last}-1)` : `(n/${last})`;
  let bob = Math.min(gait.bob * size, Math.max(0, room.up - 2));
  if (pinned && room.down !== undefined) bob = Math.min(bob, Math.max(0, room.down - 2));
  const per = Math.max(2, Math.round(gait.period * fps));
  // A walk's bob is a hop per step (always up); a flight's or a float's is a swell (up and down). A pinned
  // subject's is shifted to be nought at its pinned frame.
  const at = (n: number): number =>
    gait.hop ? Math.abs(Math.sin((Math.PI * n) / per)) : 0.5 + 0.5 * Math.sin((2 * Math.PI * n) / per);
  const wave = gait.hop ? `abs(sin(PI*n/${per}))` : `(0.5+0.5*sin(2*PI*n/${per}))`;
  const rest = pinned ? at(pinned.frame) : 0;
  return {
    dx: `${f(heading * travel)}*${along}`,
    dy: rest ? `${f(-bob)}*(${wave}-${f(rest)})` : `${f(-bob)}*${wave}`,
    heading,
  };
};
