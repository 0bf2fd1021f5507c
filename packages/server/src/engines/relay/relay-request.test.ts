import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerationRequest, ImageRef } from '../../contract/wire.js';
import { buildUpstreamRequest, mediaTypeForFormat, needsBytes, upstreamRef } from './relay-request.js';

const base: GenerationRequest = {
  prompt: 'a lighthouse at dusk',
  type: 'image',
  model: 'uni-1',
  aspect_ratio: null,
  image_ref: [],
  source: null,
  style: 'auto',
  output_format: null,
  web_search: false,
  user_id: null,
  video: null,
};

const bytes = (media_type: string): ImageRef => ({ data: 'AAAA', media_type });

describe('relay request builder', () => {
  it('sends type and model explicitly and leaves out nulls and top-level defaults', () => {
    assert.deepEqual(buildUpstreamRequest(base, new Map()), {
      prompt: 'a lighthouse at dusk',
      type: 'image',
      model: 'uni-1',
    });
    const full = { ...base, aspect_ratio: '16:9', style: 'manga', output_format: 'jpeg', web_search: true };
    assert.deepEqual(buildUpstreamRequest({ ...full, user_id: 'u-1' } as GenerationRequest, new Map()), {
      prompt: 'a lighthouse at dusk',
      type: 'image',
      model: 'uni-1',
      aspect_ratio: '16:9',
      output_format: 'jpeg',
      user_id: 'u-1',
      style: 'manga',
      web_search: true,
    });
  });

  it('puts every input back in its slot, keeping the video options the caller sent', () => {
    const req: GenerationRequest = {
      ...base,
      type: 'video',
      model: 'ray-3.2',
      video: {
        resolution: '360p',
        duration: null,
        loop: false,
        keyframes: [{ url: 'https://x/a.png' }, { data: null, media_type: 'image/png' }],
        keyframe_indexes: [0, 120],
        end_frame: null,
      },
    };
    const refs = new Map<string, ImageRef>([
      ['video.keyframes[0]', bytes('image/jpeg')],
      ['video.keyframes[1]', { generation_id: 'up-1' }],
    ]);
    assert.deepEqual(buildUpstreamRequest(req, refs), {
      prompt: 'a lighthouse at dusk',
      type: 'video',
      model: 'ray-3.2',
      video: {
        resolution: '360p',
        loop: false,
        keyframes: [bytes('image/jpeg'), { generation_id: 'up-1' }],
        keyframe_indexes: [0, 120],
      },
    });
  });

  it('maps source, image_ref, anchors and edit keyframes', () => {
    const edit: GenerationRequest = {
      ...base,
      type: 'video_edit',
      model: 'ray-3.2',
      source: { generation_id: 'local-1' },
      video: {
        start_frame: { url: 'https://x/s.png' },
        edit: { strength: 'flex_1', keyframes: [{ url: 'https://x/k.png' }], keyframe_indexes: [3] },
      },
    };
    const refs = new Map<string, ImageRef>([
      ['source', { generation_id: 'up-src' }],
      ['video.start_frame', bytes('image/png')],
      ['video.edit.keyframes[0]', bytes('image/webp')],
    ]);
    assert.deepEqual(buildUpstreamRequest(edit, refs), {
      prompt: 'a lighthouse at dusk',
      type: 'video_edit',
      model: 'ray-3.2',
      source: { generation_id: 'up-src' },
      video: {
        start_frame: bytes('image/png'),
        edit: { strength: 'flex_1', keyframes: [bytes('image/webp')], keyframe_indexes: [3] },
      },
    });
    const image: GenerationRequest = { ...base, type: 'image', image_ref: [{ url: 'https://x/r.png' }] };
    const out = buildUpstreamRequest(image, new Map([['image_ref[0]', bytes('image/png')]]));
    assert.deepEqual(out.image_ref, [bytes('image/png')]);
  });

  it('refuses a slot with no input and an input with no slot', () => {
    const edit: GenerationRequest = { ...base, type: 'image_edit', source: { url: 'https://x/s.png' } };
    assert.throws(() => buildUpstreamRequest(edit, new Map()), /no input was resolved for source/);
    assert.throws(
      () => buildUpstreamRequest(base, new Map([['image_ref[0]', bytes('image/png')]])),
      /no place in the request: image_ref\[0\]/,
    );
  });

  it('sends the upstream id of a relayed input, else an upstream file id or the bytes with the sniffed media type', () => {
    const relayed = { slot: 'source', format: 'png', upstreamId: 'up-7' };
    assert.equal(needsBytes(relayed), false);
    assert.deepEqual(upstreamRef({ generation_id: 'local-7' }, relayed, null), { generation_id: 'up-7' });
    const local = { slot: 'source', format: 'jpeg', upstreamId: null };
    assert.equal(needsBytes(local), true);
    assert.deepEqual(
      upstreamRef({ url: 'https://x/a.jpg', media_type: 'image/png' }, local, { base64: 'QUJD' }),
      { data: 'QUJD', media_type: 'image/jpeg' },
    );
    assert.deepEqual(
      upstreamRef({ url: 'https://x/a.jpg', media_type: 'image/png' }, local, { fileId: 'f-1' }),
      { file_id: 'f-1' },
      'a large input goes as the file the upstream already holds; media_type travels with data only',
    );
    // Members other than the sources are the caller's and travel unchanged.
    const extra = { url: 'https://x/a.jpg', note: 1 } as ImageRef;
    assert.deepEqual(upstreamRef(extra, local, { base64: 'QUJD' }), {
      note: 1,
      data: 'QUJD',
      media_type: 'image/jpeg',
    });
    assert.throws(() => upstreamRef(null, local, null), /source: bytes are needed/);
    // A file id names a file on this server only: its verified bytes travel instead (files-api.md).
    assert.deepEqual(upstreamRef({ file_id: 'f-1' }, local, { base64: 'QUJD' }), {
      data: 'QUJD',
      media_type: 'image/jpeg',
    });
  });

  it('names media types by sniffed format', () => {
    const table: Array<[string, string]> = [
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['webp', 'image/webp'],
      ['gif', 'image/gif'],
      ['mp4', 'video/mp4'],
      ['mov', 'video/quicktime'],
      ['webm', 'video/webm'],
      ['bmp', 'image/bmp'],
      ['unknown', 'application/octet-stream'],
    ];
    for (const [format, type] of table) assert.equal(mediaTypeForFormat(format), type, format);
  });
});
