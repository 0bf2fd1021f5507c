// video_reframe through the API (issue 5): a prior video chained by generation_id and a base64 video
// source, each reframed to another ratio by the reference engine; and the source rules end to end.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GenerationFailedError } from '@umbra/sdk';
import { longClip, quadClip } from '../inputs/testing/video-fixtures.js';
import { probeVideo } from '../media/ffmpeg/probe.js';
import { locateBinary } from '../media/ffmpeg/binaries.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const WAIT = { pollInterval: 50, timeout: 180_000 };

describe('video_reframe end to end', () => {
  let s: TestServer;
  let dir = '';
  before(async () => {
    s = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'umbra-reframe-e2e-'));
  });
  after(async () => {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const download = async (url: string, name: string): Promise<string> => {
    const res = await fetch(url);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    const path = join(dir, name);
    await writeFile(path, Buffer.from(await res.arrayBuffer()));
    return path;
  };
  const ffprobe = (): string => locateBinary('ffprobe', null).path;

  it('a 360p video, reframed by generation_id to 9:16 → completed MP4 of the target size and length', async () => {
    const clip = await s.client.generations.createAndWait(
      {
        prompt: 'harbour at dusk',
        model: 'ray-3.2',
        type: 'video',
        aspect_ratio: '16:9',
        video: { resolution: '360p' },
      },
      WAIT,
    );
    const g = await s.client.generations.createAndWait(
      {
        prompt: 'reframe',
        model: 'ray-3.2',
        type: 'video_reframe',
        aspect_ratio: '9:16',
        source: { generation_id: clip.id },
        video: { resolution: '360p' },
      },
      WAIT,
    );
    assert.equal(g.state, 'completed');
    assert.equal(g.output.length, 1);
    const p = await probeVideo(ffprobe(), await download(g.output[0]?.url ?? '', 'chained.mp4'), true);
    assert.deepEqual([p.codec, p.width, p.height, p.fps], ['h264', 360, 640, 24]);
    assert.equal(p.frames, 121, 'the 5.04 s source keeps its 121 frames');
  });

  it('the same ratio as a chained source → 422 at submit (the prior request fixes its ratio)', async () => {
    const clip = await s.client.generations.createAndWait(
      {
        prompt: 'fields',
        model: 'ray-3.2',
        type: 'video',
        aspect_ratio: '1:1',
        video: { resolution: '360p' },
      },
      WAIT,
    );
    const res = await s.raw('POST', '/v1/generations', {
      body: {
        prompt: 'r',
        model: 'ray-3.2',
        type: 'video_reframe',
        aspect_ratio: '1:1',
        source: { generation_id: clip.id },
      },
    });
    // Admission checks it when it hands the request to ingest; otherwise the worker fails the job with
    // the same words. Both are the documented behaviour (§7 items 6 and 10).
    if (res.status === 201) {
      const { id } = (await res.json()) as { id: string };
      const err = await s.client.generations.wait(id, WAIT).catch((e: unknown) => e);
      assert.ok(err instanceof GenerationFailedError);
      assert.equal(err.generation.failure_code, 'invalid_request');
      assert.equal(
        err.generation.failure_reason,
        "aspect_ratio must differ from the source video's aspect ratio",
      );
    } else {
      assert.equal(res.status, 422);
      assert.deepEqual(await res.json(), {
        detail: "aspect_ratio must differ from the source video's aspect ratio",
      });
    }
  });

  it('a base64 MP4 source (4:3) reframed to 21:9 at 360p', async () => {
    const src = join(dir, 'quad.mp4');
    await quadClip(src, { width: 320, height: 240, seconds: 2, fps: 24 });
    const data = (await readFile(src)).toString('base64');
    const g = await s.client.generations.createAndWait(
      {
        prompt: 'reframe',
        model: 'ray-3.2',
        type: 'video_reframe',
        aspect_ratio: '21:9',
        source: { data, media_type: 'video/mp4' },
        video: { resolution: '360p', source_position: { x_norm: 0.1, y_norm: 0, w_norm: 0.4, h_norm: 1 } },
      },
      WAIT,
    );
    const p = await probeVideo(ffprobe(), await download(g.output[0]?.url ?? '', 'b64.mp4'), true);
    assert.deepEqual([p.width, p.height, p.fps, p.frames], [840, 360, 24, 48]);
  });

  it('a 31 s base64 source → failed invalid_request `source video must be 30 seconds or shorter`', async () => {
    const src = join(dir, 'long.mp4');
    await longClip(src, 31);
    const g = await s.client.generations.create({
      prompt: 'reframe',
      model: 'ray-3.2',
      type: 'video_reframe',
      aspect_ratio: '16:9',
      source: { data: (await readFile(src)).toString('base64'), media_type: 'video/mp4' },
    });
    const err = await s.client.generations.wait(g.id, WAIT).catch((e: unknown) => e);
    assert.ok(err instanceof GenerationFailedError);
    assert.equal(err.generation.failure_code, 'invalid_request');
    assert.equal(err.generation.failure_reason, 'source video must be 30 seconds or shorter');
  });

  it('bytes that are not a video under video/mp4 → failed unsupported_format', async () => {
    const g = await s.client.generations.create({
      prompt: 'reframe',
      model: 'ray-3.2',
      type: 'video_reframe',
      aspect_ratio: '16:9',
      source: { data: Buffer.from('not a video at all').toString('base64'), media_type: 'video/mp4' },
    });
    const err = await s.client.generations.wait(g.id, WAIT).catch((e: unknown) => e);
    assert.ok(err instanceof GenerationFailedError);
    assert.equal(err.generation.failure_code, 'unsupported_format');
  });
});
