// Source videos for tests, made on the spot with the same ffmpeg the server uses (nothing shipped): a
// four-colour clip with a moving box (pixel tests can tell where every part of the source landed), its
// rotated, WebM, Matroska, truncated and over-long variants.
import { readFile, writeFile } from 'node:fs/promises';
import { locateBinary } from '../../media/ffmpeg/binaries.js';
import { capture } from '../../media/ffmpeg/run.js';

/** The quadrant colours (RGB), top-left, top-right, bottom-left, bottom-right: far apart in every channel mix. */
export const QUAD_COLOURS = {
  tl: [220, 40, 40],
  tr: [40, 190, 60],
  bl: [40, 60, 220],
  br: [230, 200, 40],
} as const;

const hex = (c: readonly number[]): string => `0x${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

const ffmpeg = (): string => locateBinary('ffmpeg', null).path;

/** BT.709 limited-range tags and the matching RGB→YUV conversion, like a camera or our own outputs. */
const H264_709 = [
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-pix_fmt',
  'yuv420p',
  '-colorspace',
  'bt709',
  '-color_primaries',
  'bt709',
  '-color_trc',
  'bt709',
  '-color_range',
  'tv',
];

/** Options for {@link quadClip}. */
export interface QuadClip {
  width: number;
  height: number;
  seconds: number;
  fps: number;
  /** Container flags, e.g. `['-movflags', '+faststart']`. */
  extra?: string[];
}

/**
 * Four solid quadrants (QUAD_COLOURS) with a small white box moving inside the bottom-right quadrant only,
 * so everything near the quadrant borders and the frame edges stays flat colour.
 */
export const quadClip = async (out: string, o: QuadClip): Promise<void> => {
  const qw = o.width / 2;
  const qh = o.height / 2;
  const src = (c: readonly number[]): string[] => [
    '-f',
    'lavfi',
    '-i',
    `color=c=${hex(c)}:s=${qw}x${qh}:r=${o.fps}:d=${o.seconds}`,
  ];
  const box = Math.max(4, Math.round(o.height / 12));
  // The box sweeps 60–80 % of the frame on both axes (inside the bottom-right quadrant).
  const x = `${Math.round(o.width * 0.6)}+${Math.round(o.width * 0.2 - box)}*(0.5+0.5*sin(t*3))`;
  const y = `${Math.round(o.height * 0.6)}+${Math.round(o.height * 0.2 - box)}*(0.5+0.5*cos(t*2))`;
  await capture(ffmpeg(), [
    '-hide_banner',
    '-v',
    'error',
    ...src(QUAD_COLOURS.tl),
    ...src(QUAD_COLOURS.tr),
    ...src(QUAD_COLOURS.bl),
    ...src(QUAD_COLOURS.br),
    '-f',
    'lavfi',
    '-i',
    `color=c=white:s=${box}x${box}:r=${o.fps}:d=${o.seconds}`,
    '-filter_complex',
    `[0][1]hstack[t];[2][3]hstack[b];[t][b]vstack[q];[q][4]overlay=x='${x}':y='${y}',` +
      'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p[v]',
    '-map',
    '[v]',
    ...H264_709,
    ...(o.extra ?? []),
    '-y',
    out,
  ]);
};

/** Re-muxes `input` into a QuickTime file whose display matrix asks players to rotate it a quarter turn. */
export const rotatedMov = async (input: string, out: string): Promise<void> => {
  await capture(ffmpeg(), [
    '-v',
    'error',
    '-i',
    input,
    '-c',
    'copy',
    '-metadata:s:v:0',
    'rotate=90',
    '-f',
    'mov',
    '-y',
    out,
  ]);
};

/** A VP9 WebM test pattern (fast realtime settings: content does not matter, the container does). */
export const webmClip = async (out: string, seconds = 2): Promise<void> => {
  await capture(ffmpeg(), [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=160x120:r=24:d=${seconds}`,
    '-c:v',
    'libvpx-vp9',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '200k',
    '-y',
    out,
  ]);
};

/** H.264 in Matroska: a real video, in a container the contract does not accept. */
export const mkvClip = async (out: string): Promise<void> => {
  await capture(ffmpeg(), [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=160x120:r=24:d=1',
    ...H264_709,
    '-f',
    'matroska',
    '-y',
    out,
  ]);
};

/** A long clip made cheaply: tiny frames at 2 fps, for the length limits. */
export const longClip = async (out: string, seconds: number): Promise<void> => {
  await capture(ffmpeg(), [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=c=gray:s=64x64:r=2:d=${seconds}`,
    ...H264_709,
    '-y',
    out,
  ]);
};

/** Copies the first `fraction` of `input` to `out` (a download cut short). */
export const truncated = async (input: string, out: string, fraction: number): Promise<void> => {
  const bytes = await readFile(input);
  await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
};

/**
 * A clip of about `megabytes` MB: full-frame noise over a test pattern at a fixed bit rate, for uploads
 * big enough to cross buffer and chunk boundaries (the noise keeps the encoder from undershooting).
 */
export const heavyClip = async (out: string, megabytes: number, seconds = 2): Promise<void> => {
  const bitrate = Math.round((megabytes * 8 * 1_000_000) / seconds);
  await capture(ffmpeg(), [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=640x360:r=24:d=${seconds},noise=alls=80:allf=t`,
    ...H264_709,
    '-b:v',
    String(bitrate),
    '-minrate',
    String(bitrate),
    '-maxrate',
    String(bitrate),
    '-bufsize',
    String(bitrate),
    '-y',
    out,
  ]);
};
