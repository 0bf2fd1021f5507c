// The request examples of the OpenAPI document: bodies that succeed exactly as written (a test sends each
// one to a real server and expects the documented success status), so they work offline: images travel as
// base64, never as URLs to fetch. Pure data.

/** One named request example. */
export interface RequestExample {
  /** Key in the document's `examples` map. */
  name: string;
  summary: string;
  value: unknown;
}

/** An 8×8 PNG, so the edit examples need no network. */
export const EXAMPLE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mM4EaCBFTEMLQkAaplQAbIh774AAAAASUVORK5CYII=';

const png = { data: EXAMPLE_PNG_BASE64, media_type: 'image/png' };

/** By operation id. */
export const REQUEST_EXAMPLES = {
  createGeneration: [
    {
      name: 'text_to_image',
      summary: 'Text to image, every default (uni-1, type image, style auto)',
      value: { prompt: 'red lantern over a rainy alley' },
    },
    {
      name: 'image_edit',
      summary: 'Image edit of base64 bytes, with one reference',
      value: {
        type: 'image_edit',
        model: 'uni-1-max',
        prompt: 'make it dusk',
        source: png,
        image_ref: [png],
      },
    },
    {
      name: 'text_to_video',
      summary: 'Text to video, 10 s SDR',
      value: {
        model: 'ray-3.2',
        type: 'video',
        prompt: 'a paper boat drifting down a gutter stream',
        aspect_ratio: '16:9',
        video: { resolution: '720p', duration: '10s' },
      },
    },
    {
      name: 'keyframes',
      summary: 'Image to video: one keyframe pinned at the first frame',
      value: {
        model: 'ray-3.2',
        type: 'video',
        prompt: 'the lantern starts to sway',
        video: { resolution: '360p', keyframes: [png], keyframe_indexes: [0] },
      },
    },
  ],
  createFile: [
    {
      name: 'presigned',
      summary: 'Announce a 1 MB PNG; PUT it to upload.url, then complete',
      value: { mime_type: 'image/png', size_bytes: 1048576, purpose: 'input', filename: 'in.png' },
    },
  ],
  createWebhookEndpoint: [
    {
      name: 'completed_and_failed',
      summary: 'Receive the terminal events (the default set, spelled out)',
      value: {
        url: 'https://93.184.215.14/hooks/umbra',
        events: ['generation.completed', 'generation.failed'],
      },
    },
  ],
  updateClient: [
    {
      name: 'limits',
      summary: 'Raise the rate limit and top the balance up by 10 USD',
      value: { rpm_limit: 120, add_balance_micros: 10_000_000 },
    },
  ],
  claimJob: [
    {
      name: 'any_job',
      summary: 'Take any job this token may serve; answer 204 at once when none waits',
      value: { protocol: 1, instance: 'gpu-box-1', wait_seconds: 0 },
    },
  ],
} as const satisfies Record<string, readonly RequestExample[]>;
