// Pure builders for ffprobe and frame-grab command lines, plus the parser of ffprobe's JSON.

/** What the video engines need to know about a video file. */
export interface VideoProbe {
  codec: string;
  width: number;
  height: number;
  /** Frames counted by decoding (exact, unlike the container's claim). */
  frames: number;
  /** Seconds, from the stream (or the container when the stream has none). */
  duration: number;
  pixFmt: string;
  profile: string;
  colorPrimaries: string;
  colorTransfer: string;
  colorSpace: string;
  colorRange: string;
  /** Frames per second as a number (e.g. 24). */
  fps: number;
  codecTag: string;
  hasAudio: boolean;
}

/** ffprobe arguments: every stream's facts as JSON; `countFrames` decodes to count exactly. */
export const probeArgs = (path: string, countFrames: boolean): string[] => [
  '-v',
  'error',
  ...(countFrames ? ['-count_frames'] : []),
  '-show_entries',
  'stream=codec_type,codec_name,codec_tag_string,profile,width,height,pix_fmt,color_primaries,color_transfer,color_space,color_range,r_frame_rate,nb_frames,nb_read_frames,duration:format=duration',
  '-of',
  'json',
  path,
];

const num = (v: unknown): number => (typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const rate = (r: string): number => {
  const [a, b] = r.split('/').map(Number);
  return a !== undefined && b ? a / b : NaN;
};

/** Parses ffprobe's JSON; throws when there is no decodable video stream. */
export const parseProbe = (json: string): VideoProbe => {
  const doc = JSON.parse(json) as { streams?: Record<string, unknown>[]; format?: Record<string, unknown> };
  const streams = doc.streams ?? [];
  const v = streams.find((s) => s['codec_type'] === 'video');
  if (!v) throw new Error('no video stream');
  const width = num(v['width']);
  const height = num(v['height']);
  if (!(width > 0 && height > 0)) throw new Error('video stream has no size');
  const counted = num(v['nb_read_frames']);
  const claimed = num(v['nb_frames']);
  const duration = num(v['duration']);
  return {
    codec: str(v['codec_name']),
    width,
    height,
    frames: Number.isFinite(counted) ? counted : Number.isFinite(claimed) ? claimed : 0,
    duration: Number.isFinite(duration) ? duration : num(doc.format?.['duration']),
    pixFmt: str(v['pix_fmt']),
    profile: str(v['profile']),
    colorPrimaries: str(v['color_primaries']),
    colorTransfer: str(v['color_transfer']),
    colorSpace: str(v['color_space']),
    colorRange: str(v['color_range']),
    fps: rate(str(v['r_frame_rate'])),
    codecTag: str(v['codec_tag_string']),
    hasAudio: streams.some((s) => s['codec_type'] === 'audio'),
  };
};

/** Conversion to 8-bit sRGB-coded RGB that honours BT.709 limited-range tags (swscale assumes BT.601). */
const TO_RGB = 'scale=in_color_matrix=bt709:in_range=tv:out_range=pc,format=rgb24';

/** Writes the first frame of `input` to the PNG `out`. */
export const firstFrameArgs = (input: string, out: string): string[] => [
  '-hide_banner',
  '-nostdin',
  '-v',
  'error',
  '-i',
  input,
  '-vf',
  TO_RGB,
  '-frames:v',
  '1',
  '-y',
  out,
];

/**
 * Writes the last frame of `input` to the PNG `out`: seek to one second before the end and let the image
 * muxer overwrite one file with every decoded frame, so only the last survives without buffering the video.
 */
export const lastFrameArgs = (input: string, out: string): string[] => [
  '-hide_banner',
  '-nostdin',
  '-v',
  'error',
  '-sseof',
  '-1',
  '-i',
  input,
  '-vf',
  TO_RGB,
  '-update',
  '1',
  '-y',
  out,
];

/** Decodes frame `index` of an SDR video to raw rgb24 on stdout (tests and metrics). */
export const frameRgbArgs = (input: string, index: number): string[] => [
  '-hide_banner',
  '-nostdin',
  '-v',
  'error',
  '-i',
  input,
  '-vf',
  `select=eq(n\\,${index}),${TO_RGB}`,
  '-frames:v',
  '1',
  '-f',
  'rawvideo',
  'pipe:1',
];
