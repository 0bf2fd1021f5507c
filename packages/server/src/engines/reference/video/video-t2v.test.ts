import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { videoSize } from '../../../contract/sizes.js';
import { emptyEngineInputs } from '../../engine.js';
import type { AspectRatio, Resolution } from '../../../contract/wire.js';
import { framesPsnr, probe, render, videoRequest } from '../testing/video-test-support.js';
import { planVideo, RAY_RATIOS } from './plan.js';

const NO_INPUTS = emptyEngineInputs();

test('plan: every resolution × ray ratio uses the §7.19 size, inclusive grid', () => {
  for (const res of ['360p', '540p', '720p', '1080p'] as Resolution[]) {
    for (const ratio of RAY_RATIOS) {
      const p = planVideo(videoRequest('x', { resolution: res }, ratio), NO_INPUTS, null);
      assert.deepEqual({ width: p.width, height: p.height }, videoSize(res, ratio));
      assert.equal(p.frames, 121);
    }
  }
  assert.equal(planVideo(videoRequest('x', { duration: '10s' }), NO_INPUTS, null).frames, 241);
});

test('text to video 360p 16:9: H.264 High, BT.709, 121 frames, deterministic bytes, moving', async () => {
  const req = videoRequest('snowy mountains above a lake at sunset', { resolution: '360p' }, '16:9');
  const a = await render(req);
  const b = await render(req);
  const [file] = a.files;
  assert.ok(file);
  assert.equal(file.type, 'video');
  assert.equal(file.contentType, 'video/mp4');
  const p = await probe(file.path);
  assert.equal(p.codec, 'h264');
  assert.equal(p.profile, 'High');
  assert.equal(p.pixFmt, 'yuv420p');
  assert.deepEqual(
    [p.colorPrimaries, p.colorTransfer, p.colorSpace, p.colorRange],
    ['bt709', 'bt709', 'bt709', 'tv'],
  );
  assert.equal(p.fps, 24);
  assert.equal(p.frames, 121);
  assert.ok(Math.abs(p.duration - 121 / 24) < 0.01, `duration ${p.duration}`);
  assert.deepEqual([p.width, p.height], [640, 360]);
  assert.equal(p.hasAudio, false);
  assert.ok((await readFile(file.path)).equals(await readFile(b.files[0]!.path)), 'same request, same bytes');
  // A shot, not a still: the start and the end of the shot differ clearly.
  assert.ok((await framesPsnr(file.path, 0, file.path, 120)) < 30);
  assert.ok(a.progress.length > 2 && a.progress.at(-1) === 1);
  assert.ok(
    a.progress.every((v, i) => i === 0 || v >= a.progress[i - 1]!),
    'progress never goes back',
  );
});

for (const ratio of ['9:16', '21:9'] as AspectRatio[]) {
  test(`text to video 360p ${ratio}: size per §7.19`, async () => {
    const { files } = await render(videoRequest('a city skyline at night', { resolution: '360p' }, ratio));
    const p = await probe(files[0]!.path);
    const s = videoSize('360p', ratio);
    assert.deepEqual([p.width, p.height], [s.width, s.height]);
    assert.equal(p.frames, 121);
  });
}

test('same request, same bytes, run after run: 540p with moving water and a figure (contract: deterministic)', async () => {
  // x264's frame threads gave this request three different files in four runs; slices give one.
  const req = videoRequest('a boat on the sea at dawn', { resolution: '540p' }, '16:9');
  // One after another: the difference came from how the encoder's threads met, not from the scene.
  const bytes: Buffer[] = [];
  for (let i = 0; i < 4; i++) bytes.push(await readFile((await render(req)).files[0]!.path));
  for (const b of bytes.slice(1)) assert.ok(b.equals(bytes[0]!), 'the same bytes every time');
});

test('text to video 10 s: 241 frames', async () => {
  const { files } = await render(
    videoRequest('rolling hills on a foggy morning', { resolution: '360p', duration: '10s' }, '4:3'),
  );
  const p = await probe(files[0]!.path);
  assert.equal(p.frames, 241);
  assert.deepEqual([p.width, p.height], [480, 360]);
});

test('loop: last frame equals the first, middle moves', async () => {
  const { files } = await render(
    videoRequest('desert dunes under a blue sky', { resolution: '360p', loop: true }, '1:1'),
  );
  const path = files[0]!.path;
  assert.ok((await framesPsnr(path, 0, path, 120)) >= 40, 'seamless wrap');
  assert.ok((await framesPsnr(path, 0, path, 60)) < 32, 'moves in between');
});

test('text to video 1080p 16:9', async () => {
  const { files } = await render(
    videoRequest('a lighthouse on a cliff above the sea at golden hour', { resolution: '1080p' }, '16:9'),
  );
  const p = await probe(files[0]!.path);
  assert.deepEqual([p.width, p.height, p.frames], [1920, 1080, 121]);
});

test('abort kills ffmpeg', async () => {
  const ac = new AbortController();
  const run = render(
    videoRequest('mountains', { resolution: '720p', duration: '10s' }, '16:9'),
    {},
    ac.signal,
  );
  setTimeout(() => ac.abort(), 800);
  await assert.rejects(run, (e: Error) => e.name === 'AbortError');
});
