// Worker-side check of a stored source video (contract §2.4, §2.8 E22–E23, F29/F34, §3.4, §7 items 6, 29):
// what the bytes really are, what ffprobe says about them before any frame is decoded, and whether they
// demux and decode — each problem becomes its documented failure code.
import { SOURCE_LENGTH_TOLERANCE_SECONDS, sourceTooLongDetail } from '../contract/video-source.js';
import type { ResolvedMedia } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import { locateBinary } from '../media/ffmpeg/binaries.js';
import { ToolAborted } from '../media/ffmpeg/run.js';
import { checkSourceIntegrity, probeSource, type SourceProbe } from '../media/ffmpeg/source-probe.js';
import { sniffFile } from './sniff.js';
import { DependencyUnavailable } from '../unavailable.js';

/** Containers accepted as a source video (contract §7 item 29: MP4, QuickTime, WebM), by sniffed format. */
export const ACCEPTED_VIDEO_CODECS: Readonly<Record<string, ReadonlySet<string>>> = {
  mp4: new Set(['h264', 'hevc', 'av1', 'vp9', 'mpeg4']),
  mov: new Set(['h264', 'hevc', 'prores', 'mpeg4', 'mjpeg']),
  webm: new Set(['vp8', 'vp9', 'av1']),
};

/** Which ffprobe demuxer must have read each accepted container (a mislabelled file fails the match). */
const DEMUXER: Readonly<Record<string, string>> = { mp4: 'mp4', mov: 'mov', webm: 'webm' };

/**
 * Frame-size and rate caps against decompression bombs: 8K per side (past every camera and phone the
 * contract's users film with) and 240 fps (high-speed phone capture).
 */
export const VIDEO_LIMITS = { maxSide: 8192, maxFps: 240 } as const;

const ACCEPTED_TEXT = 'use MP4 or MOV (H.264, HEVC, ProRes) or WebM (VP8, VP9, AV1)';

/** Options for {@link verifyVideo}. */
export interface VerifyVideoOptions {
  /** ffprobe binary; null/absent = `ffprobe` on PATH, else the npm-shipped build. */
  ffprobe?: string | null;
  /** ffmpeg binary, found the same way. */
  ffmpeg?: string | null;
  /** Longest accepted source in seconds (18 for video_edit, 30 for video_reframe); null = no check here. */
  maxSeconds?: number | null;
  signal?: AbortSignal;
}

/**
 * Judges a probe (pure): the container/codec pair must be accepted, the frame size and rate inside
 * {@link VIDEO_LIMITS}, the length known and (when `maxSeconds` is given) within it.
 * @throws EngineFailure `unsupported_format`, `corrupt_input` or `invalid_request`.
 */
export function judgeProbe(
  probe: SourceProbe,
  sniffed: string,
  slot: string,
  maxSeconds: number | null,
): void {
  const codecs = ACCEPTED_VIDEO_CODECS[sniffed];
  const demuxer = DEMUXER[sniffed];
  if (codecs === undefined || demuxer === undefined || !probe.container.split(',').includes(demuxer)) {
    throw new EngineFailure(
      'unsupported_format',
      `${slot}: ${sniffed} video is not supported; ${ACCEPTED_TEXT}`,
    );
  }
  if (!codecs.has(probe.codec)) {
    throw new EngineFailure(
      'unsupported_format',
      `${slot}: ${probe.codec || 'unknown'} video in ${sniffed.toUpperCase()} is not supported; ${ACCEPTED_TEXT}`,
    );
  }
  const { maxSide, maxFps } = VIDEO_LIMITS;
  if (probe.codedWidth > maxSide || probe.codedHeight > maxSide) {
    throw new EngineFailure(
      'unsupported_format',
      `${slot}: frame size ${probe.codedWidth}×${probe.codedHeight} exceeds ${maxSide} px per side`,
    );
  }
  if (probe.fps > maxFps) {
    throw new EngineFailure('unsupported_format', `${slot}: frame rate above ${maxFps} fps is not supported`);
  }
  if (!(probe.duration > 0))
    throw new EngineFailure('corrupt_input', `${slot}: video length could not be read`);
  if (maxSeconds !== null && probe.duration > maxSeconds + SOURCE_LENGTH_TOLERANCE_SECONDS) {
    throw new EngineFailure('invalid_request', sourceTooLongDetail(maxSeconds));
  }
}

/** The engine's view of a verified video. */
export const mediaOf = (slot: string, path: string, format: string, p: SourceProbe): ResolvedMedia => ({
  slot,
  path,
  kind: 'video',
  format,
  width: p.width,
  height: p.height,
  durationSeconds: p.duration,
  fps: p.fps,
  rotation: p.rotation,
  codec: p.codec,
  displayAspect: p.displayAspect,
});

/**
 * Verifies the video stored at `path` for input position `slot` and returns it as engine input. Order
 * matters: sniff (cheap, trusts no label) → ffprobe (container, codec, size, rate, length, rotation — no
 * frame decoded yet) → packet scan and first-frame decode (truncation, undecodable streams).
 *
 * Throws EngineFailure (never retryable):
 * - `unsupported_format` — not MP4/MOV/WebM (image, MKV, AVI, 3GP, unknown bytes), an unaccepted codec, or
 *   a frame size or rate beyond {@link VIDEO_LIMITS};
 * - `corrupt_input` — ffprobe cannot read it, the length is unknown, or the scan/decode fails;
 * - `invalid_request` — longer than `maxSeconds` (`source video must be 30 seconds or shorter`).
 */
export async function verifyVideo(
  path: string,
  slot: string,
  opts: VerifyVideoOptions = {},
): Promise<ResolvedMedia> {
  const head = await sniffFile(path);
  if (head.kind !== 'video') {
    const what = head.kind === 'image' ? `an image (${head.format})` : 'not a recognised video format';
    throw new EngineFailure('unsupported_format', `${slot}: input is ${what}; ${ACCEPTED_TEXT}`);
  }
  if (ACCEPTED_VIDEO_CODECS[head.format] === undefined) {
    throw new EngineFailure(
      'unsupported_format',
      `${slot}: ${head.format} video is not supported; ${ACCEPTED_TEXT}`,
    );
  }
  const ffprobe = locateBinary('ffprobe', opts.ffprobe ?? null).path;
  const ffmpeg = locateBinary('ffmpeg', opts.ffmpeg ?? null).path;
  let probe: SourceProbe;
  try {
    probe = await probeSource(ffprobe, path, opts.signal);
  } catch (err) {
    if (err instanceof ToolAborted || err instanceof DependencyUnavailable) throw err;
    throw new EngineFailure('corrupt_input', `${slot}: input video could not be read`);
  }
  judgeProbe(probe, head.format, slot, opts.maxSeconds ?? null);
  try {
    await checkSourceIntegrity(ffmpeg, path, opts.signal);
  } catch (err) {
    if (err instanceof ToolAborted || err instanceof DependencyUnavailable) throw err;
    throw new EngineFailure('corrupt_input', `${slot}: input video could not be decoded`);
  }
  return mediaOf(slot, path, head.format, probe);
}
