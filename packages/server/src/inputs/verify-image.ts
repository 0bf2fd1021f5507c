// Worker-side check of a stored image input (contract §2.4, §3.4): what the bytes really are, how big the
// header says they are, and whether they decode — each problem becomes its documented failure code.
import type { ResolvedMedia } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import {
  decodeCheck,
  ImageProbeError,
  probeImage,
  type ImageProbe,
  type PixelLimits,
} from '../media/probe.js';
import { sniffFile } from './sniff.js';

/** Contract §2.4: at most 8000 px per side; the pixel cap follows from it (8000 × 8000). */
export const IMAGE_LIMITS: Readonly<PixelLimits> = { maxSide: 8000, maxPixels: 8000 * 8000 };

/** Image formats the pipeline accepts at image positions (contract §2.4: JPEG, PNG, WebP, still GIF). */
export const ACCEPTED_IMAGE_FORMATS: ReadonlySet<string> = new Set(['png', 'jpeg', 'webp', 'gif']);

const ACCEPTED_TEXT = 'use PNG, JPEG, WebP or a still GIF';

function nameOf(format: string, kind: string): string {
  if (kind === 'video') return `a video (${format})`;
  if (format === 'unknown') return 'not a recognised image format';
  return format.toUpperCase();
}

/**
 * Verifies the image stored at `path` for input position `slot` (`source`, `image_ref[0]`, …) and returns
 * it as engine input. Order matters: sniff (cheap, trusts no label) → header probe (catches bombs before
 * decoding) → full decode (catches truncation and corrupt data).
 *
 * Throws EngineFailure (never retryable):
 * - `unsupported_format` — the bytes are not PNG/JPEG/WebP/GIF (BMP, TIFF, AVIF, SVG, PDF, HTML, video,
 *   unknown), or the GIF is animated;
 * - `image_too_large` — a side over 8000 px or a frame over the pixel cap, judged from the header;
 * - `corrupt_input` — empty file, unreadable header, or a decode that fails or ends early.
 * Messages start with the slot, e.g. `source: input image could not be decoded`.
 */
export async function verifyImage(
  path: string,
  slot: string,
  limits: Readonly<PixelLimits> = IMAGE_LIMITS,
): Promise<ResolvedMedia> {
  const sniffed = await sniffFile(path);
  if (sniffed.size === 0) throw new EngineFailure('corrupt_input', `${slot}: input image is empty`);
  if (sniffed.kind !== 'image' || !ACCEPTED_IMAGE_FORMATS.has(sniffed.format)) {
    throw new EngineFailure(
      'unsupported_format',
      `${slot}: input is ${nameOf(sniffed.format, sniffed.kind)}; ${ACCEPTED_TEXT}`,
    );
  }
  let probe: ImageProbe;
  try {
    probe = await probeImage(path, limits);
    // The decoder must agree with the magic bytes; a disagreement means the file is damaged or crafted.
    if (probe.format !== sniffed.format) {
      throw new ImageProbeError('unreadable', `sniffed ${sniffed.format}, decoder saw ${probe.format}`);
    }
    if (probe.format === 'gif' && probe.pages > 1) {
      throw new EngineFailure(
        'unsupported_format',
        `${slot}: animated GIF (${probe.pages} frames) is not supported; ${ACCEPTED_TEXT}`,
      );
    }
    await decodeCheck(path, limits.maxPixels);
  } catch (e) {
    throw classify(e, slot, limits);
  }
  return {
    slot,
    path,
    kind: 'image',
    format: probe.format,
    width: probe.width,
    height: probe.height,
  };
}

function classify(e: unknown, slot: string, limits: Readonly<PixelLimits>): unknown {
  if (!(e instanceof ImageProbeError)) return e;
  switch (e.problem) {
    case 'too_large':
      return new EngineFailure(
        'image_too_large',
        `${slot}: input image is too large (${e.message}); the limit is ${limits.maxSide} px per side`,
      );
    case 'unreadable':
      return new EngineFailure('corrupt_input', `${slot}: input image could not be decoded`);
  }
}
