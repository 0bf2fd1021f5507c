// Assembles one complete render command line from a filtergraph (pure).
import {
  FPS,
  encoderArgs,
  finishChain,
  globalArgs,
  linearRawArgs,
  type DynamicRange,
} from '../../../media/ffmpeg/encode-args.js';

/** Raw frames piped to ffmpeg's stdin: yuv420p, BT.709 limited range, 24 fps. */
export interface RawFramesInput {
  width: number;
  height: number;
}

/**
 * One still ffmpeg reads: an image file (probed and decoded), or one frame of raw pixels of a known size
 * (read as they are: no probing, no decoding, no decoder buffers held until the render ends).
 */
export type StillInput = string | RawStill;

/** One frame of raw RGB or RGBA pixels in a file, rows top to bottom. */
export interface RawStill {
  path: string;
  width: number;
  height: number;
  pixFmt: 'rgb24' | 'rgba';
}

/**
 * A render: input stills (or raw frames on stdin), a graph ending in `[cam]`, one MP4 and optionally raw
 * linear frames on stdout.
 */
export interface RenderCommand {
  inputs: readonly StillInput[];
  /** When set, input 0 is raw frames on stdin (and `inputs` follow it). */
  stdinFrames?: RawFramesInput;
  graph: string;
  range: DynamicRange;
  frames: number;
  out: string;
  /** Also write expanded linear light (gbrp16le) to stdout for the EXR export; HDR only. */
  linear: boolean;
}

/** The argument list for {@link RenderCommand}. */
export const renderArgs = (c: RenderCommand): string[] => {
  if (c.linear && c.range !== 'hdr') throw new Error('linear export needs the HDR chain');
  return [
    ...globalArgs(),
    ...(c.stdinFrames ? rawFramesInputArgs(c.stdinFrames) : []),
    ...c.inputs.flatMap(stillInputArgs),
    '-filter_complex',
    `${c.graph};${finishChain(c.range, 'cam', c.linear)}`,
    '-map',
    '[v]',
    ...encoderArgs(c.range, c.frames),
    c.out,
    ...(c.linear ? linearRawArgs(c.frames) : []),
  ];
};

/** Input flags for one still. */
export const stillInputArgs = (s: StillInput): string[] =>
  typeof s === 'string'
    ? ['-i', s]
    : ['-f', 'rawvideo', '-pix_fmt', s.pixFmt, '-video_size', `${s.width}x${s.height}`, '-i', s.path];

/** Input flags for raw yuv420p frames on stdin. */
export const rawFramesInputArgs = (r: RawFramesInput): string[] => [
  '-f',
  'rawvideo',
  '-pix_fmt',
  'yuv420p',
  '-video_size',
  `${r.width}x${r.height}`,
  '-framerate',
  String(FPS),
  '-i',
  'pipe:0',
];

/** Graph for raw stdin frames: already in the encoder's format, so `[cam]` is the input itself. */
export const rawFramesGraph = (): string => '[0:v]null[cam]';
