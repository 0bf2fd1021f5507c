// Referencing files from generations (contract, Files API "Referencing a file"): a ~10 MB video uploaded both
// ways and edited by file_id, an image_ref by file_id, and every way a file_id is refused at admission.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { heavyClip } from '../inputs/testing/video-fixtures.js';
import { png } from '../inputs/testing/image-fixtures.js';
import { FilesClient } from '../testing/files-client.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const IMG = png(64, 48, { noisy: true });
const WAIT = { pollInterval: 50, timeout: 240_000 };

describe('file_id in generations end to end', () => {
  let s: TestServer;
  let files: FilesClient;
  let dir = '';
  let video = Buffer.alloc(0);
  before(async () => {
    s = await startTestServer();
    files = new FilesClient(s);
    dir = await mkdtemp(join(tmpdir(), 'umbra-files-e2e-'));
    await heavyClip(join(dir, 'heavy.mp4'), 10);
    video = await readFile(join(dir, 'heavy.mp4'));
  });
  after(async () => {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const post = async (body: unknown): Promise<{ status: number; detail?: string; id?: string }> => {
    const res = await s.raw('POST', '/v1/generations', { body });
    const json = (await res.json()) as { detail?: string; id?: string };
    return { status: res.status, ...json };
  };
  const editOf = (fileId: string) => ({
    prompt: 'rain at night',
    type: 'video_edit',
    source: { file_id: fileId },
    video: { resolution: '360p', edit: { strength: 'adhere_1' } },
  });
  const imageWithRef = (fileId: string) => ({ prompt: 'a lighthouse', image_ref: [{ file_id: fileId }] });
  /** Plain-fetch POST (the SDK's ImageRef gains file_id separately), then the SDK's wait. */
  const generate = async (body: unknown) => {
    const r = await post(body);
    assert.equal(r.status, 201, r.detail);
    return s.client.generations.wait(r.id ?? '', WAIT);
  };

  it('the ~10 MB fixture crosses many stream chunks', () => {
    assert.ok(video.length > 8_000_000, `${video.length} bytes`);
  });

  it('a multipart-uploaded video is a video_edit source by file_id → completed MP4', async () => {
    const f = await files.uploadSettled(video, { mime_type: 'video/mp4', filename: 'heavy.mp4' }, 'ready');
    assert.equal(f.size_bytes, video.length);
    const g = await generate(editOf(f.id));
    assert.equal(g.state, 'completed');
    assert.equal(g.output[0]?.type, 'video');
  });

  it('a presigned (JSON → PUT → complete) video is a video_edit source by file_id → completed MP4', async () => {
    const r = await files.create({ mime_type: 'video/mp4', size_bytes: video.length });
    assert.equal(await files.put(r.body, video), 200);
    assert.equal((await files.complete(r.body.id)).status, 200);
    const f = await files.settled(r.body.id);
    assert.equal(f.state, 'ready', f.failure_reason ?? '');
    const g = await generate(editOf(f.id));
    assert.equal(g.state, 'completed');
  });

  it('an image file is an image_ref by file_id → completed', async () => {
    const f = await files.uploadSettled(IMG, { mime_type: 'image/png', purpose: 'reference' }, 'ready');
    const g = await generate(imageWithRef(f.id));
    assert.equal(g.state, 'completed');
  });

  it('a deleted file → 422 <path>: file not found', async () => {
    const f = await files.uploadSettled(IMG, { mime_type: 'image/png' }, 'ready');
    assert.equal((await files.delete(f.id)).status, 204);
    assert.deepEqual(await post(imageWithRef(f.id)), { status: 422, detail: 'image_ref[0]: file not found' });
  });

  it('an expired file → 422 file not found', async () => {
    const expires = new Date(Date.now() + 1500).toISOString();
    const f = await files.uploadSettled(IMG, { mime_type: 'image/png', expires_at: expires }, 'ready');
    await new Promise((r) => setTimeout(r, 1600));
    const body = { prompt: 'p', type: 'image_edit', source: { file_id: f.id } };
    assert.deepEqual(await post(body), { status: 422, detail: 'source: file not found' });
  });

  it("another client's file, or an unknown id → 422 file not found", async () => {
    const f = await files.uploadSettled(IMG, { mime_type: 'image/png' }, 'ready');
    const other = new FilesClient(s, await s.newKey({ client: 'other' }));
    const theirs = await other.uploadSettled(IMG, { mime_type: 'image/png' }, 'ready');
    assert.deepEqual(await post(imageWithRef(theirs.id)), {
      status: 422,
      detail: 'image_ref[0]: file not found',
    });
    assert.deepEqual(await post(imageWithRef('nope')), {
      status: 422,
      detail: 'image_ref[0]: file not found',
    });
    assert.equal((await post(imageWithRef(f.id))).status, 201, 'the own file works');
  });

  it('a pending or failed file → 422 file is not ready', async () => {
    const pending = await files.create({ mime_type: 'image/png', size_bytes: IMG.length });
    const body = { prompt: 'p', type: 'video', video: { start_frame: { file_id: pending.body.id } } };
    assert.deepEqual(await post(body), { status: 422, detail: 'video.start_frame: file is not ready' });
    const failed = await files.uploadSettled(IMG, { mime_type: 'image/jpeg' }, 'failed');
    assert.deepEqual(await post(imageWithRef(failed.id)), {
      status: 422,
      detail: 'image_ref[0]: file is not ready',
    });
  });

  it('a file of the wrong kind for its position → 422 file has the wrong media type', async () => {
    const img = await files.uploadSettled(IMG, { mime_type: 'image/png' }, 'ready');
    assert.deepEqual(await post(editOf(img.id)), {
      status: 422,
      detail: 'source: file has the wrong media type',
    });
    const vid = await files.uploadSettled(video, { mime_type: 'video/mp4' }, 'ready');
    assert.deepEqual(await post(imageWithRef(vid.id)), {
      status: 422,
      detail: 'image_ref[0]: file has the wrong media type',
    });
    const keyframes = {
      prompt: 'p',
      type: 'video_edit',
      source: { file_id: vid.id },
      video: { edit: { keyframes: [{ file_id: vid.id }], keyframe_indexes: [0] } },
    };
    assert.deepEqual(await post(keyframes), {
      status: 422,
      detail: 'video.edit.keyframes[0]: file has the wrong media type',
    });
  });

  it('a file_id beside another source member → 400 exactly one', async () => {
    const r = await post({ prompt: 'p', image_ref: [{ url: 'https://example.com/a.png', file_id: 'x' }] });
    assert.deepEqual(r, {
      status: 400,
      detail: "image_ref[0]: provide only one of 'url', 'data', 'generation_id' or 'file_id'",
    });
  });
});
