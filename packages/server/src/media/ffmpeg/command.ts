// Assembles one complete render command line from a filtergraph (pure).
import { encoderArgs, finishChain, globalArgs, linearRawArgs, type DynamicRange } from './encode-args.js';

/** A render: input stills, a graph ending in `[cam]`, one MP4 and optionally raw linear frames on stdout. */
export interface RenderCommand {
  inputs: readonly string[];
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
