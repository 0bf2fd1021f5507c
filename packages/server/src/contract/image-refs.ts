// Every ImageRef of a request with its path (the prefix of its error details, contract §2.8 A4) and the
// kind of media expected there (contract §2.4 "generation_id semantics by position").
import type { GenerationRequest, ImageRef } from './wire.js';

export type MediaKind = 'image' | 'video';

export interface RefSlot {
  /** `source`, `image_ref[0]`, `video.start_frame`, `video.keyframes[2]`, `video.edit.keyframes[1]`. */
  slot: string;
  ref: ImageRef;
  /** The kind of media this reference must resolve to. */
  expects: MediaKind;
}

export function listRefs(req: GenerationRequest): RefSlot[] {
  const out: RefSlot[] = [];
  const videoSource = req.type === 'video_edit' || req.type === 'video_reframe';
  if (req.source) out.push({ slot: 'source', ref: req.source, expects: videoSource ? 'video' : 'image' });
  req.image_ref.forEach((ref, i) => out.push({ slot: `image_ref[${i}]`, ref, expects: 'image' }));
  const v = req.video;
  if (v) {
    // A generation id at a video anchor means "extend that video" (or chain off it), so it must be a video.
    const anchor = (slot: string, ref: ImageRef): RefSlot => ({
      slot,
      ref,
      expects: ref.generation_id != null ? 'video' : 'image',
    });
    if (v.start_frame) out.push(anchor('video.start_frame', v.start_frame));
    if (v.end_frame) out.push(anchor('video.end_frame', v.end_frame));
    v.keyframes?.forEach((ref, i) => out.push(anchor(`video.keyframes[${i}]`, ref)));
    v.edit?.keyframes?.forEach((ref, i) =>
      out.push({ slot: `video.edit.keyframes[${i}]`, ref, expects: 'image' }),
    );
  }
  return out;
}
