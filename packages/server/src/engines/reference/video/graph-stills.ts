// Pure builder of the pinned-still filtergraph (single-anchor image-to-video, extend, loop on a still): the
// timeline is cut at the pinned frame into segments; each segment films the still with a moving sub-pixel
// camera; an extend's subjects, lifted out of the still, are moved over it first (extend-subjects.ts). Two
// or more pins are morphed on a worker thread instead (video/morph-*). A pinned frame is always rendered
// with the identity camera, full opacity and every subject in its place, so it reproduces its still. Output label `[cam]`: yuv444p, BT.709, limited range.
import { perspectiveFilter, type Camera } from './camera.js';
import { byTime } from './graph-layers.js';
import { FPS } from '../../../media/ffmpeg/encode-args.js';

/** A subject lifted out of the still (an extend's): moved over it before the camera films it. */
export interface StillSubject {
  /** ffmpeg input index of its cutout (RGBA), used by one segment only. */
  input: number;
  /**
   * Its top-left on the still, px, as expressions of the segment's frame number `n` (from 0; rounded to
   * whole pixels, so it is never resampled).
   */
  x: string;
  y: string;
}

/** One shot on the timeline. */
export interface StillSegment {
  /** Frames this segment spans, both ends included (it renders `span + 1` frames). */
  span: number;
  /** The still filmed over the segment. */
  from: { input: number; camera: Camera; subjects?: StillSubject[] };
  /** Keep the final frame; false when the next segment starts on the same pinned frame. */
  keepLast: boolean;
}

/** The timeline. */
export interface StillGraphSpec {
  width: number;
  height: number;
  /** ffmpeg input count; each input is one fitted still, exactly `width`×`height`. */
  inputs: number;
  segments: StillSegment[];
}

/** Total output frames of a timeline. */
export const timelineFrames = (segments: readonly StillSegment[]): number =>
  segments.reduce((sum, s) => sum + s.span + (s.keepLast ? 1 : 0), 0);

/** Builds the `-filter_complex` text up to `[cam]`. */
export const stillGraph = (s: StillGraphSpec): string => {
  // Each still is converted once and split once per use, so it is decoded a single time.
  const uses = new Array<number>(s.inputs).fill(0);
  for (const seg of s.segments) uses[seg.from.input] = (uses[seg.from.input] ?? 0) + 1;
  const parts: string[] = [];
  const taken = new Array<number>(s.inputs).fill(0);
  uses.forEach((u, i) => {
    if (u === 0) return;
    const labels = Array.from({ length: u }, (_, k) => `[s${i}_${k}]`).join('');
    parts.push(`[${i}:v]scale=out_color_matrix=bt709:out_range=tv,format=yuv444p,split=${u}${labels}`);
  });
  const take = (input: number): string => {
    const k = taken[input] ?? 0;
    taken[input] = k + 1;
    return `[s${input}_${k}]`;
  };
  const hold = (span: number): string => `loop=loop=${span}:size=1:start=0,settb=1/${FPS},setpts=N`;
  const segLabels: string[] = [];
  s.segments.forEach((seg, i) => {
    const trim = seg.keepLast ? '' : `,trim=end_frame=${seg.span}`;
    const out = `[g${i}]`;
    const cam = perspectiveFilter(seg.from.camera);
    const subjects = seg.from.subjects ?? [];
    if (subjects.length === 0) {
      parts.push(
        `${take(seg.from.input)}loop=loop=${seg.span}:size=1:start=0,setpts=N/${FPS}/TB,${cam}${trim}${out}`,
      );
    } else {
      // Each subject is laid over the held still at its own whole-pixel position (yuv444: any position
      // is exact), then the camera films the two together, so the subject moves with its ground.
      let base = `b${i}`;
      parts.push(`${take(seg.from.input)}${hold(seg.span)}[${base}]`);
      subjects.forEach((sub, j) => {
        const m = `m${i}_${j}`;
        parts.push(
          `[${sub.input}:v]scale=out_color_matrix=bt709:out_range=tv,format=yuva444p,${hold(seg.span)}[${m}]`,
        );
        const next = `b${i}_${j}`;
        const at = (e: string): string => `'round(${byTime(e)})'`;
        parts.push(
          `[${base}][${m}]overlay=x=${at(sub.x)}:y=${at(sub.y)}:format=yuv444:eval=frame:eof_action=endall[${next}]`,
        );
        base = next;
      });
      parts.push(`[${base}]${cam}${trim}${out}`);
    }
    segLabels.push(out);
  });
  parts.push(`${segLabels.join('')}concat=n=${segLabels.length}:v=1:a=0,setpts=N/${FPS}/TB[cam]`);
  return parts.join(';');
};
