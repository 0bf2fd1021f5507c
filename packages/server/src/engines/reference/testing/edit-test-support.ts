// Helpers for the video_edit tests: a source clip with a moving person-like figure over a textured
// background (made on the spot with the npm ffmpeg), validated requests, renders, and whole-clip decodes.
import { parseCreateRequest } from '../../../contract/validate-create.js';
import type { GenerationRequest, VideoOptions } from '../../../contract/wire.js';
import type { EngineInputs } from '../../engine.js';
import { capture } from '../../../media/ffmpeg/run.js';
import { writeSvgLayer } from '../../../media/stills.js';
import { makeJob } from './test-support.js';
import { FFMPEG, FFPROBE, resolved } from './video-test-support.js';
import type { VideoRenderedFile } from '../video/index.js';
import { renderEdit } from '../video-edit/index.js';

/** Size of the test source (16:9, so a 360p edit is 640×360). */
export const SRC = { width: 320, height: 180 } as const;

/** A person-like figure (drawn mannequin with a face) as SVG, 120×300 user units. */
export const figureSvg = (): string => {
  const limb = (x1: number, y1: number, x2: number, y2: number, w: number, c: string): string =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${c}" stroke-width="${w}" stroke-linecap="round"/>`;
  const [skin, shirt, pants, cx] = ['#d9a27c', '#2f5d8a', '#3a3a3a', 60];
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="300" viewBox="0 0 120 300">',
    limb(cx - 22, 175, cx - 30, 230, 16, pants),
    limb(cx - 30, 230, cx - 34, 290, 14, pants),
    limb(cx + 22, 175, cx + 34, 230, 16, pants),
    limb(cx + 34, 230, cx + 42, 290, 14, pants),
    `<path d="M ${cx - 34} 75 L ${cx + 34} 75 L ${cx + 28} 180 L ${cx - 28} 180 Z" fill="${shirt}"/>`,
    limb(cx - 34, 80, cx - 46, 130, 13, shirt),
    limb(cx - 46, 130, cx - 50, 175, 11, skin),
    limb(cx + 34, 80, cx + 46, 128, 13, shirt),
    limb(cx + 46, 128, cx + 52, 170, 11, skin),
    `<rect x="${cx - 8}" y="58" width="16" height="20" fill="${skin}"/>`,
    `<ellipse cx="${cx}" cy="36" rx="20" ry="26" fill="${skin}"/>`,
    `<path d="M ${cx - 21} 30 Q ${cx} -2 ${cx + 21} 30 Q ${cx} 14 ${cx - 21} 30" fill="#3b2a1e"/>`,
    `<ellipse cx="${cx - 8}" cy="36" rx="3" ry="2" fill="#222"/>`,
    `<ellipse cx="${cx + 8}" cy="36" rx="3" ry="2" fill="#222"/>`,
    `<path d="M ${cx} 38 L ${cx - 2} 47 L ${cx + 2} 47" stroke="#a0704f" fill="none"/>`,
    `<path d="M ${cx - 6} 53 Q ${cx} 57 ${cx + 6} 53" stroke="#8a3b33" stroke-width="2" fill="none"/>`,
    '</svg>',
  ].join('');
};

/**
 * A person-like figure walking left to right over a textured, sloping background, at 30 fps (so the edit
 * re-times it). Texture gives the tracker corners; the figure gives it motion and the pose model a body.
 */
export const figureClip = async (out: string, seconds = 1): Promise<void> => {
  const png = `${out}.figure.png`;
  await writeSvgLayer(figureSvg(), 64, 160, png, false);
  const bg =
    `color=c=gray:s=${SRC.width}x${SRC.height}:r=30:d=${seconds},format=yuv444p,` +
    "geq=lum='70+50*(Y/H)+9*sin(X/7)*cos(Y/5)':cb='128+10*sin(X/23)':cr='128+8*cos(Y/17)'";
  await capture(FFMPEG, [
    '-hide_banner',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    bg,
    '-loop',
    '1',
    '-i',
    png,
    '-filter_complex',
    `[0][1]overlay=x='40+160*t/${seconds}':y='12+4*sin(t*12)':shortest=1,format=yuv420p[v]`,
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '12',
    '-colorspace',
    'bt709',
    '-color_primaries',
    'bt709',
    '-color_trc',
    'bt709',
    '-y',
    out,
  ]);
};

/** A validated video_edit request with a URL source (the engine reads the resolved file). */
export const editRequest = (prompt: string, video: VideoOptions = {}, hdrAccess = false): GenerationRequest =>
  parseCreateRequest(
    {
      prompt,
      type: 'video_edit',
      model: 'ray-3.2',
      source: { url: 'https://example.com/a.mp4', media_type: 'video/mp4' },
      video: { resolution: '360p', ...video },
    },
    { hdrAccess },
  );

/** Renders an edit of `source` with the npm binaries. */
export const renderSource = async (
  req: GenerationRequest,
  source: string,
  inputs: Partial<EngineInputs> = {},
  engine: { controlsDir?: string | null; depthModel?: string | null } = {},
): Promise<{ files: VideoRenderedFile[]; progress: number[]; log: Record<string, unknown>[] }> => {
  const job = await makeJob(req, {
    source: resolved('source', source, 'video', SRC.width, SRC.height),
    ...inputs,
  });
  const log: Record<string, unknown>[] = [];
  const files = await renderEdit(job, {
    ffmpeg: FFMPEG,
    ffprobe: FFPROBE,
    controlsDir: engine.controlsDir ?? null,
    depthModel: engine.depthModel ?? null,
    log: (obj) => log.push(obj as Record<string, unknown>),
  });
  return { files, progress: job.progress, log };
};

/** Every frame of an SDR video (or the source, re-timed to 24 fps and scaled) as one rgb24 buffer. */
export const decodeRgb = (path: string, width: number, height: number): Promise<Buffer> =>
  capture(FFMPEG, [
    '-v',
    'error',
    '-i',
    path,
    '-vf',
    `fps=24,scale=${width}:${height}:flags=bicubic:in_color_matrix=bt709:in_range=tv:out_range=pc,format=rgb24`,
    '-f',
    'rawvideo',
    'pipe:1',
  ]);

/** Mean absolute difference per channel value between two equal-length buffers (0..255). */
export const meanAbsDiff = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(a[i]! - b[i]!);
  return s / Math.max(1, n);
};

/** Mean of each channel of an rgb24 buffer. */
export const meanChannels = (rgb: Uint8Array): [number, number, number] => {
  const m = [0, 0, 0];
  for (let i = 0; i < rgb.length; i++) m[i % 3]! += rgb[i]!;
  const n = rgb.length / 3;
  return [m[0]! / n, m[1]! / n, m[2]! / n];
};
