// Prices of contract §5.2–§5.3 in integer micro-USD (1 USD = 1 000 000 µUSD), so budgets never meet floats.
// Pure: the price follows from the validated request alone (plus the source length once it is known).
import type { GenerationRequest, Resolution } from '../contract/wire.js';
import { videoDefaults } from '../contract/validate-create.js';
import { EDIT_MAX_SOURCE_SECONDS, REFRAME_MAX_SOURCE_SECONDS } from '../contract/video-source.js';

/** Text-to-image base price per model (§5.2). */
const IMAGE_BASE: Readonly<Record<'uni-1' | 'uni-1-max', number>> = { 'uni-1': 40_400, 'uni-1-max': 100_000 };
/** Surcharge per input image: every `image_ref` entry plus the `source` of an edit (§5.2). */
const PER_INPUT_IMAGE = 3_000;

/** type video, 5 s SDR (§5.3). 10 s = 3×, 5 s HDR = 2×, 5 s HDR+EXR = 3× reproduce every published cell. */
const GENERATION_5S: Readonly<Record<Resolution, number>> = {
  '360p': 60_000,
  '540p': 150_000,
  '720p': 300_000,
  '1080p': 1_200_000,
};
/** Video edit, 5 s SDR tier (§5.3); the 10 s tier is 2×, HDR 2×, HDR+EXR 3×. */
const EDIT_5S: Readonly<Record<Resolution, number>> = {
  '360p': 540_000,
  '540p': 720_000,
  '720p': 1_080_000,
  '1080p': 2_160_000,
};
/** Reframe, per output second, SDR only (§5.3). */
const REFRAME_PER_SECOND: Readonly<Record<Resolution, number>> = {
  '360p': 30_000,
  '540p': 60_000,
  '720p': 120_000,
  '1080p': 360_000,
};

// The reservation covers the longest source accepted (enforced at ingest).
export { EDIT_MAX_SOURCE_SECONDS, REFRAME_MAX_SOURCE_SECONDS } from '../contract/video-source.js';

/**
 * Containers often report a frame more than the nominal length (10.04 s for a 10 s clip); up to this much over a
 * boundary does not start a new block or second.
 */
const LENGTH_TOLERANCE_SECONDS = 0.05;

/** Started units of `unit` seconds in `seconds`, at least one. */
const startedUnits = (seconds: number, unit: number): number =>
  Math.max(1, Math.ceil((seconds - LENGTH_TOLERANCE_SECONDS) / unit));

/** HDR ×2, HDR+EXR ×3 (§5.3: generation 5 s rows and the whole edit table). */
const hdrFactor = (hdr: boolean, exr: boolean): number => (hdr ? (exr ? 3 : 2) : 1);

/**
 * The amount to reserve at submit, in µUSD. §5.1 says the reserve covers the maximum possible charge, and
 * edit/reframe charges depend on the source length, which is unknown until ingest. So:
 * - images: base + 3 000 per input image (§5.2);
 * - `video`: the generation table; an extend (a `generation_id` anchor) is one 5 s SDR block at its resolution;
 *   keyframes price like a plain generation;
 * - `video_edit`: priced as an 18 s source (the E23 maximum) = 4 started 5 s blocks at the 5 s tier, i.e. twice
 *   the published 10 s tier;
 * - `video_reframe`: 30 s (the F34 maximum) at the per-second rate.
 * Once the source length is known, `settledPriceMicros` gives the actual charge; refund the difference.
 */
export function priceMicros(req: GenerationRequest): number {
  switch (req.type) {
    case 'video_edit':
      return settledPriceMicros(req, EDIT_MAX_SOURCE_SECONDS);
    case 'video_reframe':
      return settledPriceMicros(req, REFRAME_MAX_SOURCE_SECONDS);
    case 'image':
    case 'image_edit':
    case 'video':
      return settledPriceMicros(req, null);
  }
}

/**
 * The actual charge once the source video's length (seconds) is known; `sourceSeconds` is ignored for types
 * without a source video (pass null).
 * - Edit (§7 item 7): per started 5 s block at the 5 s tier. This reproduces both published tiers (≤5 s = 5 s
 *   tier, ≤10 s = the 10 s tier = 2 blocks) and extends them to the 18 s limit; a source of unknown length
 *   (null) is priced at the maximum.
 * - Reframe: per started output second at the tier rate (output length = source length).
 * Both forgive LENGTH_TOLERANCE_SECONDS of container overshoot.
 */
export function settledPriceMicros(req: GenerationRequest, sourceSeconds: number | null): number {
  const v = req.video;
  const { resolution, duration } = videoDefaults(v);
  const hdr = v?.hdr === true;
  const exr = hdr && v?.exr_export === true;
  switch (req.type) {
    case 'image':
    case 'image_edit': {
      const base = req.model === 'uni-1-max' ? IMAGE_BASE['uni-1-max'] : IMAGE_BASE['uni-1'];
      const inputs = req.image_ref.length + (req.source ? 1 : 0);
      return base + PER_INPUT_IMAGE * inputs;
    }
    case 'video': {
      const extend = v?.start_frame?.generation_id != null || v?.end_frame?.generation_id != null;
      // §5.3: an extend is SDR and always one 5 s block, whatever duration says (§7 item 8).
      if (extend) return GENERATION_5S[resolution];
      const lengthFactor = duration === '10s' ? 3 : 1;
      return GENERATION_5S[resolution] * lengthFactor * hdrFactor(hdr, exr);
    }
    case 'video_edit': {
      const blocks = startedUnits(sourceSeconds ?? EDIT_MAX_SOURCE_SECONDS, 5);
      return EDIT_5S[resolution] * blocks * hdrFactor(hdr, exr);
    }
    case 'video_reframe': {
      return REFRAME_PER_SECOND[resolution] * startedUnits(sourceSeconds ?? REFRAME_MAX_SOURCE_SECONDS, 1);
    }
  }
}

/** What a completed generation settles at, and what it delivered (for usage). */
export interface Settlement {
  /**
   * The charge in µUSD, to replace the reservation; null = the reservation stands, because it already is
   * the exact price (images, `video`) or because the source's length is unknown (it is the maximum).
   */
  chargeMicros: number | null;
  /** Milliseconds of video delivered; null for images, and for an edit or reframe of unknown length. */
  videoMs: number | null;
}

/** Nominal length of a `video` generation: 5 s or 10 s, and always one 5 s block for an extend (§5.3). */
const generationSeconds = (req: GenerationRequest): number => {
  const v = req.video;
  const extend = v?.start_frame?.generation_id != null || v?.end_frame?.generation_id != null;
  return !extend && videoDefaults(v).duration === '10s' ? 10 : 5;
};

/**
 * The settlement of a completed generation (issue 12, "Real charges"). Edits and reframes were reserved
 * at their longest source (`priceMicros`); once the worker has measured the source (`sourceSeconds`, its
 * length in seconds as probed), they cost what that length costs (`settledPriceMicros`), and their
 * output, which follows the source, is that long. Other types were reserved at their exact price. The
 * store keeps the smaller of the reservation and the charge, so a settlement never costs more.
 */
export function settleCompletion(req: GenerationRequest, sourceSeconds: number | null): Settlement {
  switch (req.type) {
    case 'image':
    case 'image_edit':
      return { chargeMicros: null, videoMs: null };
    case 'video':
      return { chargeMicros: null, videoMs: generationSeconds(req) * 1000 };
    case 'video_edit':
    case 'video_reframe':
      if (sourceSeconds === null || !Number.isFinite(sourceSeconds) || sourceSeconds < 0)
        return { chargeMicros: null, videoMs: null };
      return {
        chargeMicros: settledPriceMicros(req, sourceSeconds),
        videoMs: Math.round(sourceSeconds * 1000),
      };
  }
}
