// Bad video anchors end to end (issue 4, point 2): corrupt, wrong type, huge, foreign and unfinished
// generation ids each fail with the documented status or failure code; a good anchor and an extend work.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GenerationCreateParams, ImageRef } from '@umbra/sdk';
import { GenerationFailedError } from '@umbra/sdk';
import { bmp, png } from '../inputs/testing/image-fixtures.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const GOOD = png(96, 54, { noisy: true });
const b64 = (b: Buffer, media_type = 'image/png'): ImageRef => ({ data: b.toString('base64'), media_type });
// Extends (a generation id anchor) start at 540p (contract §2.8 D19); image anchors may be 360p.
const video = (start_frame: ImageRef): GenerationCreateParams => ({
  type: 'video',
  prompt: 'the camera drifts forward',
  video: { resolution: start_frame.generation_id != null ? '540p' : '360p', start_frame },
});

describe('video anchors end to end', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ UMBRA_EMULATOR: '1' });
  });
  after(async () => s.stop());

  const post = async (body: GenerationCreateParams): Promise<{ status: number; detail?: string }> => {
    const res = await s.raw('POST', '/v1/generations', { body });
    const j = (await res.json()) as { detail?: string };
    return { status: res.status, ...(j.detail === undefined ? {} : { detail: j.detail }) };
  };
  const failureOf = async (body: GenerationCreateParams): Promise<string | null> => {
    const g = await s.client.generations.create(body);
    const end = await s.client.generations
      .wait(g.id, { pollInterval: 50, timeout: 120_000 })
      .catch((e: unknown) => e);
    if (end instanceof GenerationFailedError) return end.code;
    if (end instanceof Error) throw end;
    return null;
  };

  it('a good image anchor renders; its video extends from a generation id', async () => {
    const clip = await s.client.generations.createAndWait(video(b64(GOOD)), {
      pollInterval: 50,
      timeout: 120_000,
    });
    assert.equal(clip.output[0]?.type, 'video');
    const extended = await s.client.generations.createAndWait(video({ generation_id: clip.id }), {
      pollInterval: 50,
      timeout: 120_000,
    });
    assert.equal(extended.output[0]?.type, 'video');
  });

  it('corrupt → corrupt_input; wrong type → unsupported_format; huge → 413', async () => {
    assert.equal(await failureOf(video(b64(GOOD.subarray(0, GOOD.length >> 1)))), 'corrupt_input');
    assert.equal(await failureOf(video(b64(bmp(16, 16), 'image/bmp'))), 'unsupported_format');
    assert.equal(await failureOf(video(b64(png(20000, 20000, { depth: 1 })))), 'image_too_large');
    const huge = await post(video(b64(Buffer.alloc(52_428_801, 1))));
    assert.deepEqual(huge, { status: 413, detail: 'video.start_frame: image exceeds 50 MB limit' });
    const text = await post(video(b64(GOOD, 'text/plain')));
    assert.equal(text.status, 422);
  });

  it('foreign, unknown and unfinished generation ids → 422 with the slot named', async () => {
    const other = s.clientFor(await s.newKey({ client: 'elsewhere' }));
    const theirs = await other.generations.create({ prompt: 'x' });
    for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000']) {
      assert.deepEqual(await post(video({ generation_id: id })), {
        status: 422,
        detail: 'video.start_frame: generation not found',
      });
    }
    const failed = await s.client.generations.create(video(b64(GOOD)), {
      headers: { 'x-umbra-fail': 'generation_failed' },
    });
    await s.client.generations.wait(failed.id, { pollInterval: 30 }).catch(() => undefined);
    assert.deepEqual(await post(video({ generation_id: failed.id })), {
      status: 422,
      detail: 'video.start_frame: generation is not completed',
    });
    const image = await s.client.generations.createAndWait({ prompt: 'a still' }, { pollInterval: 30 });
    assert.deepEqual(await post(video({ generation_id: image.id })), {
      status: 422,
      detail: 'video.start_frame: generation has no video output',
    });
  });
});
