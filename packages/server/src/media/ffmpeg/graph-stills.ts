// Pure builder of the pinned-stills filtergraph (image-to-video, keyframes, extend): the timeline is cut at
// every pinned frame into segments; each segment films one still (or passes from one still to the next)
// with a moving sub-pixel camera. A pinned frame is always rendered with the identity camera and full
// opacity, so it reproduces its still. Output label `[cam]`: yuv444p, BT.709, limited range.
import { perspectiveFilter, type Camera } from './camera.js';
import { FPS } from './encode-args.js';

/** One shot on the timeline. */
export interface StillSegment {
  /** Frames this segment spans, both ends included (it renders `span + 1` frames). */
  span: number;
  /** The still filmed from the segment's first frame. */
  from: { input: number; camera: Camera };
  /**
   * When set, this still dissolves in over the segment while both cameras move (a push-through morph),
   * ending on it at full opacity.
   */
  to?: { input: number; camera: Camera };
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

/** Frames of a morph span during which the second still fades in: the middle 40 %, at least one frame. */
export const dissolveWindow = (span: number): { start: number; length: number } => {
  const start = Math.floor(span * 0.3);
  return { start, length: Math.max(1, span - 2 * start) };
};

/** Builds the `-filter_complex` text up to `[cam]`. */
export const stillGraph = (s: StillGraphSpec): string => {
  // Each still is converted once and split once per use, so it is decoded a single time.
  const uses = new Array<number>(s.inputs).fill(0);
  for (const seg of s.segments) {
    uses[seg.from.input] = (uses[seg.from.input] ?? 0) + 1;
    if (seg.to) uses[seg.to.input] = (uses[seg.to.input] ?? 0) + 1;
  }
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
  const filmed = (input: number, cam: Camera, span: number): string =>
    `${take(input)}loop=loop=${span}:size=1:start=0,setpts=N/${FPS}/TB,${perspectiveFilter(cam)}`;
  const segLabels: string[] = [];
  s.segments.forEach((seg, i) => {
    const trim = seg.keepLast ? '' : `,trim=end_frame=${seg.span}`;
    const out = `[g${i}]`;
    if (seg.to) {
      parts.push(`${filmed(seg.from.input, seg.from.camera, seg.span)}[a${i}]`);
      // The dissolve takes the middle of the span only: the camera first pushes into the first still, and
      // the second settles after it, so the pass reads as one move rather than a long double exposure.
      // Frame 0 is the first still untouched (alpha 0), the last frame the second (alpha 1).
      const { start, length } = dissolveWindow(seg.span);
      parts.push(
        `${filmed(seg.to.input, seg.to.camera, seg.span)},format=yuva444p,fade=t=in:s=${start}:n=${length}:alpha=1[b${i}]`,
      );
      parts.push(`[a${i}][b${i}]overlay=x=0:y=0:format=yuv444:eof_action=endall${trim}${out}`);
    } else {
      parts.push(`${filmed(seg.from.input, seg.from.camera, seg.span)}${trim}${out}`);
    }
    segLabels.push(out);
  });
  parts.push(`${segLabels.join('')}concat=n=${segLabels.length}:v=1:a=0,setpts=N/${FPS}/TB[cam]`);
  return parts.join(';');
};
