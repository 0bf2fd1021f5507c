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
 * A render: input stills (or raw frames on stdin), a graph ending in `[cam]`, one MP4 and optionally raw
 * linear frames on stdout.
 */
export interface RenderCommand {
  inputs: readonly string[];
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
    ...c.inputs.flatMap((p) => ['-i', p]),
    '-filter_complex',
    `${c.graph};${finishChain(c.range, 'cam', c.linear)}`,
    '-map',
    '[v]',
    ...encoderArgs(c.range, c.frames),
    c.out,
    ...(c.linear ? linearRawArgs(c.frames) : []),
  ];
};

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
