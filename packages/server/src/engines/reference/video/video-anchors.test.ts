import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { before, test } from 'node:test';
import { EngineFailure } from '../../engine.js';
import { grabEdgeFrame } from '../../../media/ffmpeg/probe.js';
import {
  FFMPEG,
  framePsnr,
  framesPsnr,
  probe,
  render,
  resolved,
  videoRequest,
} from '../testing/video-test-support.js';

// Anchors are frames of rendered shots: natural content, and no image library needed in this folder.
let shotA = '';
let shotB = '';
let anchorA = '';
let anchorB = '';
let anchorC = '';

before(async () => {
  shotA = (
    await render(videoRequest('snowy mountains above a lake at sunset', { resolution: '540p' }, '4:3'))
  ).files[0]!.path;
  shotB = (await render(videoRequest('a city skyline at night', { resolution: '540p' }, '4:3'))).files[0]!
    .path;
  anchorA = join(dirname(shotA), 'anchor-a.png');
  anchorB = join(dirname(shotB), 'anchor-b.png');
  anchorC = join(dirname(shotB), 'anchor-c.png');
  await grabEdgeFrame(FFMPEG, shotA, 'first', anchorA);
  await grabEdgeFrame(FFMPEG, shotB, 'last', anchorB);
  await grabEdgeFrame(FFMPEG, shotA, 'last', anchorC);
});

const img = (slot: string, path: string) => resolved(slot, path, 'image', 720, 540);

test('image to video: start and end frames reproduce the anchors, ratio follows them', async () => {
  const { files } = await render(videoRequest('push in', { resolution: '360p' }), {
    startFrame: img('video.start_frame', anchorA),
    endFrame: img('video.end_frame', anchorB),
  });
  const path = files[0]!.path;
  const p = await probe(path);
  assert.deepEqual([p.width, p.height, p.frames], [480, 360, 121]); // 4:3 anchors → 4:3 output
  assert.ok((await framePsnr(path, 0, anchorA, 480, 360)) >= 35);
  assert.ok((await framePsnr(path, 120, anchorB, 480, 360)) >= 35);
  // Real motion in between: the middle is neither anchor.
  assert.ok((await framePsnr(path, 60, anchorA, 480, 360)) < 30);
  assert.ok((await framePsnr(path, 60, anchorB, 480, 360)) < 30);
  // Motion, not a bare dissolve: consecutive frames near the start already differ from the anchor.
  assert.ok((await framesPsnr(path, 0, path, 12)) < 40);
});

test('image to video: a single start frame drifts away from it (16:9 requested)', async () => {
  const { files } = await render(videoRequest('x', { resolution: '360p' }, '16:9'), {
    startFrame: img('video.start_frame', anchorA),
  });
  const path = files[0]!.path;
  const p = await probe(path);
  assert.deepEqual([p.width, p.height, p.frames], [640, 360, 121]);
  assert.ok((await framePsnr(path, 0, anchorA, 640, 360)) >= 35);
  assert.ok((await framePsnr(path, 120, anchorA, 640, 360)) < 30);
});

test('keyframes 10 s: each pinned index reproduces its keyframe', async () => {
  const indexes = [0, 100, 240];
  const anchors = [anchorA, anchorB, anchorC];
  const { files } = await render(
    videoRequest('x', { resolution: '360p', duration: '10s', keyframe_indexes: indexes }, '4:3'),
    { keyframes: anchors.map((a, i) => img(`video.keyframes[${i}]`, a)) },
  );
  const path = files[0]!.path;
  assert.equal((await probe(path)).frames, 241);
  for (const [i, idx] of indexes.entries()) {
    assert.ok((await framePsnr(path, idx, anchors[i]!, 480, 360)) >= 35, `keyframe ${idx}`);
  }
});

test('keyframe in the middle: arrives at it and leaves it', async () => {
  const { files } = await render(videoRequest('x', { resolution: '360p', keyframe_indexes: [57] }, '4:3'), {
    keyframes: [img('video.keyframes[0]', anchorA)],
  });
  const path = files[0]!.path;
  assert.equal((await probe(path)).frames, 121);
  const pinned = await framePsnr(path, 57, anchorA, 480, 360);
  assert.ok(pinned >= 35);
  assert.ok((await framePsnr(path, 0, anchorA, 480, 360)) < pinned - 5, 'the camera moves toward the pin');
  assert.ok((await framePsnr(path, 120, anchorA, 480, 360)) < pinned - 5, 'and away after it');
});

test('loop with a start frame: starts and ends on it', async () => {
  const { files } = await render(videoRequest('x', { resolution: '360p', loop: true }, '4:3'), {
    startFrame: img('video.start_frame', anchorA),
  });
  const path = files[0]!.path;
  assert.ok((await framePsnr(path, 0, anchorA, 480, 360)) >= 35);
  assert.ok((await framePsnr(path, 120, anchorA, 480, 360)) >= 35);
  assert.ok((await framePsnr(path, 60, anchorA, 480, 360)) < 30);
});

test('extend forward continues from the last frame; backward leads into the first', async () => {
  const src = resolved('video.start_frame', shotA, 'video', 0, 0);
  const fwd = (await render(videoRequest('x', { resolution: '540p', duration: '10s' }), { startFrame: src }))
    .files[0]!.path;
  const p = await probe(fwd);
  assert.deepEqual([p.width, p.height, p.frames], [720, 540, 121]); // one 5 s block, ratio of the source
  assert.ok((await framesPsnr(fwd, 0, shotA, 120)) >= 35);
  const back = (
    await render(videoRequest('x', { resolution: '540p' }), { endFrame: { ...src, slot: 'video.end_frame' } })
  ).files[0]!.path;
  assert.ok((await framesPsnr(back, 120, shotA, 0)) >= 35);
});

test('extend of an unreadable video fails with corrupt_input', async () => {
  const bad = join(dirname(shotA), 'broken.mp4');
  await writeFile(bad, (await readFile(shotA)).subarray(0, 2000));
  await assert.rejects(
    render(videoRequest('x', { resolution: '540p' }), {
      startFrame: resolved('video.start_frame', bad, 'video', 0, 0),
    }),
    (e: unknown) => e instanceof EngineFailure && e.code === 'corrupt_input',
  );
});
