// Stage 3 for video types: the `video.*` combination rules of contract §2.8 D14–D20, E25–E28, F31–F33 and
// §7 items 3–5, 14, 15. All are video-era combination rules, so they answer 422 (§2.9, §7 item 2) with the
// §7 item 3 wordings where given. Rules that need the ingested source (E23 and F34 lengths, edit keyframe upper
// bound, reframe ratio equality) are enforced at ingest, not here. Pure, no I/O.
import { ApiError } from './api-error.js';
import { MAX_KEYFRAMES } from './generation-request.fields.js';
import type { Duration, GenerationRequest, ImageRef, Resolution, VideoOptions } from './wire.js';

/** Options that change validation per client. */
export interface CreateContext {
  /** The client may request HDR (contract §7 item 5). */
  hdrAccess: boolean;
}

/** Output settings with the §2.7 defaults applied: `720p`, `5s`. */
export interface VideoDefaults {
  resolution: Resolution;
  duration: Duration;
}

/**
 * The engine-side defaults of §2.7 for a (possibly absent) `video` object. The validator leaves the request
 * as sent; engines, pricing and the rules below read the effective values through this helper.
 */
export function videoDefaults(v: VideoOptions | null | undefined): VideoDefaults {
  return { resolution: v?.resolution ?? '720p', duration: v?.duration ?? '5s' };
}

/** Keyframe ceiling of the type-video grid: 24 fps, inclusive (5s → 120, 10s → 240; §2.8 D20). */
const lastFrameIndex = (d: Duration): number => (d === '10s' ? 240 : 120);

/** Vertical reframe targets whose 1080p tier is still "coming soon" (§2.8 F32). */
const REFRAME_1080P_SOON = new Set<string>(['9:16', '3:4']);

const reject = (detail: string): never => {
  throw new ApiError(422, detail);
};

const sent = (v: unknown): boolean => v !== undefined && v !== null;

/** Runs the video rules for `req.type` (one of the video types); throws on the first violation. */
export function checkVideoOptions(req: GenerationRequest, ctx: CreateContext): void {
  const v: VideoOptions = req.video ?? {};
  switch (req.type) {
    case 'video':
      return checkGeneration(v, ctx);
    case 'video_edit':
      return checkEdit(v, ctx);
    case 'video_reframe':
      return checkReframe(v, req.aspect_ratio);
    case 'image':
    case 'image_edit':
      return;
  }
}

/** `type: "video"` (§2.8 D14–D20). */
function checkGeneration(v: VideoOptions, ctx: CreateContext): void {
  if (sent(v.edit)) reject(`video.edit is only valid for type 'video_edit'`); // D14
  if (sent(v.source_position)) reject(`video.source_position is only valid for type 'video_reframe'`); // D15
  checkHdrGate(v, ctx); // D18, §7 item 5

  const { resolution } = videoDefaults(v);
  const extend = v.start_frame?.generation_id != null || v.end_frame?.generation_id != null;
  // An extend is always one 5 s block whatever `duration` says (§7 item 8), so duration rules read this value.
  const duration: Duration = extend ? '5s' : videoDefaults(v).duration;

  // D20 before D16, so keyframes + loop gets the keyframes wording of §7 item 3.
  if (sent(v.keyframes) || sent(v.keyframe_indexes)) {
    checkKeyframePairing(v.keyframes, v.keyframe_indexes, 'video');
    if (sent(v.start_frame) || sent(v.end_frame) || v.loop === true) {
      reject('video.keyframes is mutually exclusive with video.start_frame, video.end_frame and video.loop');
    }
    const indexes = checkKeyframeCounts(v.keyframes, v.keyframe_indexes, 'video');
    const max = lastFrameIndex(duration);
    indexes.forEach((n, i) => {
      if (n < 0 || n > max) {
        reject(`video.keyframe_indexes[${i}]: must be between 0 and ${max} for duration '${duration}'`);
      }
    });
    checkUnique(indexes, 'video.keyframe_indexes');
  }

  // D19: start/end anchors.
  if (extend && sent(v.start_frame) && sent(v.end_frame)) {
    reject('video.start_frame and video.end_frame cannot be combined when one of them is a generation_id');
  }
  if (!extend && duration === '10s' && (sent(v.start_frame) || sent(v.end_frame))) {
    reject(
      `video.duration '10s' is not supported with video.start_frame or video.end_frame; use video.keyframes`,
    );
  }
  if (extend && resolution === '360p')
    reject(`video.resolution '360p' is not supported when extending a video`);

  // D16: loop.
  if (v.loop === true) {
    if (duration === '10s') reject(`video.loop is not supported with duration '10s'`);
    if (v.hdr === true) reject('video.loop is not supported with video.hdr');
    // Also covers the backward extend (end_frame.generation_id): loops extend forward only.
    if (sent(v.end_frame)) reject('video.loop is not supported with video.end_frame');
  }

  // D17: HDR (the loop conflict was answered above).
  if (v.hdr === true) {
    if (extend) reject('video.hdr is not supported when extending a video');
    if (resolution !== '720p' && resolution !== '1080p')
      reject('video.hdr requires resolution 720p or 1080p');
    if (duration === '10s') reject(`video.hdr is not supported with duration '10s'`); // §7 item 4
  }
}

/** `type: "video_edit"` (§2.8 E25–E28; E23 and the keyframe upper bound are checked at ingest). */
function checkEdit(v: VideoOptions, ctx: CreateContext): void {
  // E28
  if (v.loop === true) reject(`video.loop is only valid for type 'video'`);
  if (sent(v.end_frame)) reject(`video.end_frame is only valid for type 'video'`);
  if (sent(v.keyframes)) reject(`video.keyframes is only valid for type 'video'; use video.edit.keyframes`);
  if (sent(v.keyframe_indexes)) {
    reject(`video.keyframe_indexes is only valid for type 'video'; use video.edit.keyframe_indexes`);
  }
  if (sent(v.source_position)) reject(`video.source_position is only valid for type 'video_reframe'`);
  // E27: HDR at every resolution, and `duration` is ignored on edits (§7 item 8), so no 10 s HDR rule here.
  checkHdrGate(v, ctx);

  const e = v.edit;
  if (e == null) return; // §2.7: absent edit behaves as auto_controls: true
  // E25, §7 item 14
  if (e.auto_controls === true && (sent(e.strength) || sent(e.controls))) {
    reject('video.edit.auto_controls cannot be combined with video.edit.strength or video.edit.controls');
  }
  // E26, §7 item 15: the upper bound (last source frame) is only known after ingest.
  if (sent(e.keyframes) || sent(e.keyframe_indexes)) {
    checkKeyframePairing(e.keyframes, e.keyframe_indexes, 'video.edit');
    if (sent(v.start_frame)) reject('video.edit.keyframes is mutually exclusive with video.start_frame');
    const indexes = checkKeyframeCounts(e.keyframes, e.keyframe_indexes, 'video.edit');
    indexes.forEach((n, i) => {
      if (n < 0) reject(`video.edit.keyframe_indexes[${i}]: must be non-negative`);
    });
    checkUnique(indexes, 'video.edit.keyframe_indexes');
  }
}

/** `type: "video_reframe"` (§2.8 F31–F33; F30 presence is a 400 in validate-create.ts, F34 is ingest). */
function checkReframe(v: VideoOptions, aspectRatio: string | null): void {
  // F31: SDR only. Answered before the exr ⇒ hdr rule so the caller is not sent to turn hdr on.
  if (v.hdr === true) reject(`video.hdr is not supported for type 'video_reframe'`);
  if (v.exr_export === true) reject(`video.exr_export is not supported for type 'video_reframe'`);
  // F33
  if (sent(v.edit)) reject(`video.edit is only valid for type 'video_edit'`);
  if (v.loop === true) reject(`video.loop is only valid for type 'video'`);
  if (sent(v.keyframes)) reject(`video.keyframes is only valid for type 'video'`);
  if (sent(v.keyframe_indexes)) reject(`video.keyframe_indexes is only valid for type 'video'`);
  if (sent(v.start_frame)) reject(`video.start_frame is only valid for types 'video' and 'video_edit'`);
  if (sent(v.end_frame)) reject(`video.end_frame is only valid for type 'video'`);
  // F32
  if (
    videoDefaults(v).resolution === '1080p' &&
    aspectRatio !== null &&
    REFRAME_1080P_SOON.has(aspectRatio)
  ) {
    reject(`1080p is coming soon for video_reframe with aspect_ratio '${aspectRatio}'`);
  }
}

/** D18 and §7 item 5, shared by video and video_edit. */
function checkHdrGate(v: VideoOptions, ctx: CreateContext): void {
  if (v.exr_export === true && v.hdr !== true) reject('video.exr_export requires video.hdr');
  if (v.hdr === true && !ctx.hdrAccess) reject('HDR access is not enabled for this client');
}

/** Both lists present or both absent (§2.8 D20, E26). */
function checkKeyframePairing(
  frames: ImageRef[] | null | undefined,
  indexes: number[] | null | undefined,
  prefix: string,
): void {
  if (!sent(frames)) reject(`${prefix}.keyframe_indexes requires ${prefix}.keyframes`);
  if (!sent(indexes)) reject(`${prefix}.keyframes requires ${prefix}.keyframe_indexes`);
}

/** 1..64 entries, equal lengths; returns the indexes. Callers have checked both lists are present. */
function checkKeyframeCounts(
  frames: ImageRef[] | null | undefined,
  indexes: number[] | null | undefined,
  prefix: string,
): number[] {
  const f = frames ?? [];
  const ix = indexes ?? [];
  if (f.length < 1 || f.length > MAX_KEYFRAMES) {
    reject(`${prefix}.keyframes must have between 1 and ${MAX_KEYFRAMES} entries`);
  }
  if (f.length !== ix.length)
    reject(`${prefix}.keyframes and ${prefix}.keyframe_indexes must have the same length`);
  return ix;
}

/** Pairwise distinct; names the first repeat (indexes need not be sorted, §7 item 15). */
function checkUnique(indexes: readonly number[], path: string): void {
  const seen = new Set<number>();
  indexes.forEach((n, i) => {
    if (seen.has(n)) reject(`${path}[${i}]: duplicate index ${n}`);
    seen.add(n);
  });
}
