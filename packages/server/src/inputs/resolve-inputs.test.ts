// Inputs of an engine that does not verify them (the relay): sniffed only, but the source video of an edit
// or reframe is still measured, since it is charged by its length (issue 12, "Real charges").
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { locateBinary } from '../media/ffmpeg/binaries.js';
import { probeSource } from '../media/ffmpeg/source-probe.js';
import { resolveInputs } from './resolve-inputs.js';
import { quadClip } from './testing/video-fixtures.js';

describe('resolveInputs without verification', () => {
  let dir = '';
  let clip = '';
  let broken = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-resolve-'));
    clip = join(dir, 'clip.mp4');
    await quadClip(clip, { width: 64, height: 36, seconds: 2, fps: 24 });
    // An MP4 signature and nothing after it: sniffed as a video, unreadable by ffprobe.
    broken = join(dir, 'broken.mp4');
    await writeFile(
      broken,
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(12)]),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const resolve = (file: string) =>
    resolveInputs(
      [{ slot: 'source', mediaType: 'video/mp4', generationId: null, upstreamId: null }],
      join(dir, `in-${file === clip ? 'clip' : 'broken'}`),
      {
        fetch: async (_input, dest) => {
          await mkdir(dirname(dest), { recursive: true });
          await copyFile(file, dest);
        },
        verify: false,
        ffmpeg: null,
        ffprobe: null,
        type: 'video_edit',
      },
    );

  it("measures the source's length with ffprobe, as the worker would have", async () => {
    const { source } = await resolve(clip);
    const expected = (await probeSource(locateBinary('ffprobe', null).path, clip)).duration;
    assert.equal(source?.kind, 'video');
    assert.equal(source?.durationSeconds, expected);
  });

  it('leaves the length unknown when ffprobe cannot read the file (the upstream judges it)', async () => {
    const { source } = await resolve(broken);
    assert.equal(source?.kind, 'video');
    assert.equal(source?.durationSeconds, undefined);
  });
});
