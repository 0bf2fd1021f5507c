// Pure builders for the encoder and output half of an ffmpeg command line (contract §7 item 21).
// Everything that decides bytes lives here so determinism and colour tags are unit-tested, not spawned.

/** SDR (H.264 High, BT.709) or HDR (HEVC Main10, BT.2020 + PQ). */
export type DynamicRange = 'sdr' | 'hdr';

/** The fixed frame rate of every video output (contract §5.4). */
export const FPS = 24;

/**
 * x264/x265 thread counts are pinned, and neither threads by frames: the contract promises same request →
 * same bytes, and x264's frame threads (its default) gave different bytes for the same input in about
 * half of the runs (5 s at 540p; frames identical before the encoder). x264 splits each frame into slices
 * instead (one per thread, bit-exact: 6 runs of 6 alike, ~12% slower than frame threads and ~4% larger at
 * 540p); x265 keeps one frame thread and its pool for wavefronts.
 */
export const ENCODER_THREADS = 2;

/** Peak luminance of the HDR grade, cd/m² (also the MaxCLL written into the stream). */
export const HDR_PEAK_NITS = 1000;

/** BT.2020 primaries and D65 white in x265's 0.00002 units; luminance range 0.005–1000 cd/m². */
const MASTER_DISPLAY = 'G(8500,39850)B(6550,2300)R(35400,14600)WP(15635,16450)L(10000000,50)';

/** Encoder, colour tags and MP4 flags for one video stream; `frames` caps the output exactly. */
export const encoderArgs = (range: DynamicRange, frames: number): string[] => {
  const common = ['-frames:v', String(frames), '-r', String(FPS), '-an', '-sn', '-dn', '-map_metadata', '-1'];
  // bitexact keeps muxer/encoder version strings out of the file, so identical input gives identical bytes.
  const exact = ['-fflags', '+bitexact', '-flags:v', '+bitexact'];
  const mp4 = ['-movflags', '+faststart', '-f', 'mp4'];
  if (range === 'sdr') {
    return [
      ...common,
      '-c:v',
      'libx264',
      // veryfast, not ultrafast: the static ffmpeg 4.1 build runs ultrafast ~2× slower (measured 1080p).
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-profile:v',
      'high',
      '-pix_fmt',
      'yuv420p',
      '-threads',
      String(ENCODER_THREADS),
      '-x264-params',
      'sliced-threads=1',
      '-color_primaries',
      'bt709',
      '-color_trc',
      'bt709',
      '-colorspace',
      'bt709',
      '-color_range',
      'tv',
      ...exact,
      ...mp4,
    ];
  }
  const x265 = [
    'log-level=error',
    `pools=${ENCODER_THREADS}`,
    'frame-threads=1',
    'colorprim=bt2020',
    'transfer=smpte2084',
    'colormatrix=bt2020nc',
    'range=limited',
    `master-display=${MASTER_DISPLAY}`,
    `max-cll=${HDR_PEAK_NITS},250`,
    'hdr10=1',
    'repeat-headers=1',
  ].join(':');
  return [
    ...common,
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-crf',
    '20',
    '-profile:v',
    'main10',
    '-pix_fmt',
    'yuv420p10le',
    '-x265-params',
    x265,
    '-color_primaries',
    'bt2020',
    '-color_trc',
    'smpte2084',
    '-colorspace',
    'bt2020nc',
    '-color_range',
    'tv',
    // Apple players only recognise HEVC in MP4 under the hvc1 sample entry.
    '-tag:v',
    'hvc1',
    ...exact,
    ...mp4,
  ];
};

/**
 * The HDR expansion curve as an ffmpeg expression over a 16-bit linear value (`val`, `maxval`): linear SDR
 * light x (1 = SDR white) becomes y (1 = {@link HDR_PEAK_NITS}) with diffuse tones near 203 cd/m²
 * (BT.2408 reference white × x) and the top 30 % of the range (sun, lamps, lit cloud edges) lifted toward
 * the peak, so the stream really uses the range above SDR white.
 */
export const hdrExpansionExpr = (): string => {
  const x = '(val/maxval)';
  const t = `clip((${x}-0.7)/0.3,0,1)`;
  return `maxval*(0.203*${x}+0.797*pow(${t}*${t}*(3-2*${t}),2))`;
};

/** The same curve in JS, for tests and for the EXR export's documentation of its values. */
export const hdrExpansion = (x: number): number => {
  const t = Math.min(1, Math.max(0, (x - 0.7) / 0.3));
  const s = t * t * (3 - 2 * t);
  return 0.203 * x + 0.797 * s * s;
};

/**
 * Finishing chain from a `[in]` stream (yuv444p, BT.709, limited range) to `[v]` ready for the encoder.
 * HDR: linearise, expand highlights, re-encode as PQ BT.2020. With `linearOut`, the expanded linear light
 * (gbrp16le, 1.0 = HDR peak) is also split to `[lin]` for the EXR export.
 */
export const finishChain = (range: DynamicRange, input: string, linearOut: boolean): string => {
  if (range === 'sdr') return `[${input}]format=yuv420p[v]`;
  const lut = hdrExpansionExpr();
  const linear =
    `[${input}]zscale=min=709:rin=limited:tin=iec61966-2-1:pin=709:t=linear:p=709:m=709:npl=100,` +
    `format=gbrp16le,lutrgb=r='${lut}':g='${lut}':b='${lut}'`;
  const pq = `zscale=tin=linear:pin=709:t=smpte2084:p=2020:m=2020_ncl:r=limited:npl=${HDR_PEAK_NITS},format=yuv420p10le`;
  if (!linearOut) return `${linear},${pq}[v]`;
  return `${linear},split=2[hl][lin];[hl]${pq}[v]`;
};

/** Output args for the raw linear frames of the EXR export, written to stdout. */
export const linearRawArgs = (frames: number): string[] => [
  '-map',
  '[lin]',
  '-frames:v',
  String(frames),
  '-f',
  'rawvideo',
  '-pix_fmt',
  'gbrp16le',
  'pipe:1',
];

/** Reads one `-progress` line; returns the frame count from `frame=N`, else null. */
export const parseProgress = (line: string): number | null => {
  const m = /^frame=(\d+)\s*$/.exec(line.trim());
  return m ? Number(m[1]) : null;
};

/** Reads only the picture of `input`: its audio, subtitle and data streams are never decoded. */
export const pictureInput = (input: string): string[] => ['-an', '-sn', '-dn', '-i', input];

/** Global flags every render uses: quiet, no stdin, progress on fd 3. */
export const globalArgs = (): string[] => [
  '-hide_banner',
  '-nostdin',
  '-v',
  'error',
  '-progress',
  'pipe:3',
  '-y',
];
