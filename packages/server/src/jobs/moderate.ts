// The pipeline's moderation step (issue 12 part 8): input images after resolution, output images after
// render and before they are stored. Engines never see moderation; a hit is a classified failure.
import { FAILURES } from '../contract/failures.js';
import type { EngineInputs, RenderedFile, ResolvedMedia } from '../engines/engine.js';
import { EngineFailure } from '../engines/engine.js';
import type { Moderator } from '../policy/moderation.js';

/** The failure a hit ends the job with: permanent, with the contract's documented reason. */
export const moderatedFailure = (): EngineFailure =>
  new EngineFailure('content_moderated', FAILURES.content_moderated.reason, false);

const inputImages = (i: EngineInputs): ResolvedMedia[] =>
  [i.source, ...i.imageRefs, i.startFrame, i.endFrame, ...i.keyframes, ...i.editKeyframes].filter(
    (m): m is ResolvedMedia => m !== null && m.kind === 'image',
  );

/** Throws the moderated failure when the moderator flags any input image. */
export async function moderateInputs(
  m: Moderator | undefined,
  inputs: EngineInputs,
  signal: AbortSignal,
): Promise<void> {
  if (m === undefined || !m.checksImages) return;
  for (const media of inputImages(inputs)) {
    if ((await m.checkImage(media.path, `image/${media.format}`, signal)).flagged) throw moderatedFailure();
  }
}

/** Throws the moderated failure when the moderator flags any output image (videos are not classified). */
export async function moderateOutputs(
  m: Moderator | undefined,
  files: RenderedFile[],
  signal: AbortSignal,
): Promise<void> {
  if (m === undefined || !m.checksImages) return;
  for (const f of files) {
    if (f.type !== 'image') continue;
    if ((await m.checkImage(f.path, f.contentType, signal)).flagged) throw moderatedFailure();
  }
}
