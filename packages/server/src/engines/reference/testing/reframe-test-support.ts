// Helpers for the reframe tests.
import { parseCreateRequest } from '../../../contract/validate-create.js';
import type { GenerationRequest, VideoOptions } from '../../../contract/wire.js';

/** A validated video_reframe request to `ratio` with a URL source. */
export const reframeRequest = (ratio: string, video: VideoOptions = {}): GenerationRequest =>
  parseCreateRequest(
    {
      prompt: 'reframe',
      type: 'video_reframe',
      model: 'ray-3.2',
      aspect_ratio: ratio,
      source: { url: 'https://example.com/a.mp4', media_type: 'video/mp4' },
      video,
    },
    { hdrAccess: false },
  );
