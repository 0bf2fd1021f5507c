// Probing a user-supplied source video before any frame is decoded (docs/architecture.md "Media rules"): what
// the container and the first video stream claim (codec, size, rotation, frame rate, duration, colour tags),
// plus two cheap integrity checks — a packet scan that demuxes the whole file without decoding it (catches
// truncation) and a decode of the first frame only (catches streams the decoder cannot read). The builders
// and the parser are pure; the runners are thin wrappers over run.ts.
import { capture } from './run.js';

/** Everything the video-to-video engines need to know about a source, read by ffprobe. */
export interface SourceProbe {
  /** ffprobe's demuxer name list, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`. */
  container: string;
  /** Codec of the first video stream (`h264`, `hevc`, `vp9`, `prores`, …). */
  codec: string;
  /** Stored frame size in pixels, before rotation. */
  codedWidth: number;
  codedHeight: number;
  /** Frame size as ffmpeg decodes it: coded size with width and height swapped for a ±90° rotation. */
  width: number;
  height: number;
  /** Display aspect (width/height) after rotation and sample aspect ratio: what the viewer sees. */
  displayAspect: number;
  /** Clockwise degrees the player turns the picture: 0, 90, 180 or 270. */
  rotation: number;
  /** Frames per second (average rate when known, else the stream's base rate); NaN when unknown. */
  fps: number;
  /** Seconds (the video stream's own duration, else the container's); NaN when unknown. */
  duration: number;
  pixFmt: string;
  colorSpace: string;
  colorTransfer: string;
  colorPrimaries: string;
  colorRange: string;
}

/** ffprobe arguments: every stream (with side data, for the display matrix) and the format, as JSON. */
export const sourceProbeArgs = (path: string): string[] => [
  '-v',
  'error',
  '-show_streams',
  '-show_format',
  '-of',
  'json',
  path,
];

// Quiet, no stdin, the first error aborts (-xerror): a damaged file fails instead of being patched over.
const strictVideoInput = (path: string): string[] => [
  '-hide_banner',
  '-nostdin',
  '-v',
  'error',
  '-xerror',
  '-i',
  path,
  '-map',
  '0:v:0',
];

/**
 * ffmpeg arguments that demux every video packet without decoding (stream copy to the null muxer); with
 * `-xerror` a truncated or damaged container ends with a non-zero exit. Cost is I/O only.
 */
export const packetScanArgs = (path: string): string[] => [
  ...strictVideoInput(path),
  '-c',
  'copy',
  '-f',
  'null',
  '-',
];

/** ffmpeg arguments that decode only the first video frame; a stream the decoder cannot read fails. */
export const firstDecodeArgs = (path: string): string[] => [
  ...strictVideoInput(path),
  '-frames:v',
  '1',
  '-f',
  'null',
  '-',
];

const num = (v: unknown): number => (typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** `30000/1001` → 29.97; `0/0` or garbage → NaN. */
export const parseRate = (r: string): number => {
  const [a, b] = r.split('/').map(Number);
  return a !== undefined && b !== undefined && b > 0 && a > 0 ? a / b : NaN;
};

/**
 * The rotation a player applies, normalised to 0/90/180/270 clockwise. ffprobe ≥ 5 reports the display
 * matrix as side data (`rotation`, counter-clockwise degrees, so −90 means a quarter turn clockwise);
 * older builds expose a `rotate` tag (clockwise). Either may be absent.
 */
export const readRotation = (stream: Record<string, unknown>): number => {
  let degrees = NaN;
  const side = stream['side_data_list'];
  if (Array.isArray(side)) {
    for (const entry of side) {
      const r = num(rec(entry)['rotation']);
      if (Number.isFinite(r)) degrees = -r;
    }
  }
  if (!Number.isFinite(degrees)) degrees = num(rec(stream['tags'])['rotate']);
  if (!Number.isFinite(degrees)) return 0;
  // Snap to the nearest quarter turn: players only honour those, and matrices carry rounding noise.
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
};

/** `4:3` → 4/3; a missing, `0:1` or malformed SAR means square pixels. */
const sampleAspect = (sar: string): number => {
  const [a, b] = sar.split(':').map(Number);
  return a !== undefined && b !== undefined && a > 0 && b > 0 ? a / b : 1;
};

/** Parses ffprobe's JSON (from {@link sourceProbeArgs}); throws when there is no video stream with a size. */
export const parseSourceProbe = (json: string): SourceProbe => {
  const doc = rec(JSON.parse(json) as unknown);
  const streams = Array.isArray(doc['streams']) ? doc['streams'].map(rec) : [];
  const format = rec(doc['format']);
  // Cover art in MP4/MOV is a video stream flagged attached_pic; it is not the moving picture.
  const v = streams.find(
    (s) => s['codec_type'] === 'video' && num(rec(s['disposition'])['attached_pic']) !== 1,
  );
  if (!v) throw new Error('no video stream');
  const codedWidth = num(v['width']);
  const codedHeight = num(v['height']);
  if (!(codedWidth > 0 && codedHeight > 0)) throw new Error('video stream has no frame size');
  const rotation = readRotation(v);
  const quarter = rotation === 90 || rotation === 270;
  const width = quarter ? codedHeight : codedWidth;
  const height = quarter ? codedWidth : codedHeight;
  const sar = sampleAspect(str(v['sample_aspect_ratio']));
  const displayAspect = quarter ? width / (height * sar) : (width * sar) / height;
  const avg = parseRate(str(v['avg_frame_rate']));
  const streamDuration = num(v['duration']);
  return {
    container: str(format['format_name']),
    codec: str(v['codec_name']),
    codedWidth,
    codedHeight,
    width,
    height,
    displayAspect,
    rotation,
    fps: Number.isFinite(avg) ? avg : parseRate(str(v['r_frame_rate'])),
    duration: Number.isFinite(streamDuration) ? streamDuration : num(format['duration']),
    pixFmt: str(v['pix_fmt']),
    colorSpace: str(v['color_space']),
    colorTransfer: str(v['color_transfer']),
    colorPrimaries: str(v['color_primaries']),
    colorRange: str(v['color_range']),
  };
};

/** Runs ffprobe on `path`; rejects (ToolError, or a parse Error) when the file cannot be probed. */
export const probeSource = async (
  ffprobe: string,
  path: string,
  signal?: AbortSignal,
): Promise<SourceProbe> =>
  parseSourceProbe((await capture(ffprobe, sourceProbeArgs(path), signal, 4 * 1024 * 1024)).toString('utf8'));

/**
 * Runs the packet scan and the first-frame decode; rejects (ToolError) when either fails. Neither holds
 * more than a frame in memory.
 */
export const checkSourceIntegrity = async (
  ffmpeg: string,
  path: string,
  signal?: AbortSignal,
): Promise<void> => {
  await capture(ffmpeg, packetScanArgs(path), signal, 1024);
  await capture(ffmpeg, firstDecodeArgs(path), signal, 1024);
};
