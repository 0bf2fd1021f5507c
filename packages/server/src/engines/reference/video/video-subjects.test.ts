// Video moves its subjects too (issue 14 part 6): the dog walks past the house it stands beside, a car
// drives, a bird flies, a boat bobs; things that do not move stay with their ground.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameRgb } from '../../../media/ffmpeg/probe.js';
import type { RawImage } from '../../../media/raw-image.js';
import { findSubject } from '../image-edit/subject-edits.js';
import { LEXICON } from '../scene/lexicon.js';
import { FFMPEG, probe, render, videoRequest } from '../testing/video-test-support.js';
import { figureMotion } from './motion.js';

const entry = (name: string) => LEXICON.find((e) => e.name === name)!;

const centroid = (mask: Uint8Array, width: number): { x: number; n: number } => {
  let sx = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      sx += i % width;
      n++;
    }
  return { x: n ? sx / n : NaN, n };
};

test('a dog walks past the house beside it: its own travel, on top of the camera move', async () => {
  const req = videoRequest('a dog walking past a house in a meadow', { resolution: '540p' }, '16:9');
  const { files } = await render(req);
  const p = await probe(files[0]!.path);
  const frame = async (index: number): Promise<RawImage> => ({
    width: p.width,
    height: p.height,
    data: new Uint8Array(await frameRgb(FFMPEG, files[0]!.path, index)),
  });
  const first = await frame(0);
  const last = await frame(p.frames - 1);
  const at = (img: RawImage, name: string) => centroid(findSubject(img, entry(name)), img.width);
  const [dog0, dog1, house0, house1] = [
    at(first, 'dog'),
    at(last, 'dog'),
    at(first, 'house'),
    at(last, 'house'),
  ];
  for (const c of [dog0, dog1, house0, house1]) assert.ok(c.n > 200, `found: ${c.n} px`);
  // The camera moves both alike; the walk moves the dog relative to the house.
  const walked = Math.abs(dog1.x - house1.x - (dog0.x - house0.x)) / p.width;
  assert.ok(walked > 0.05, `the dog walked ${(walked * 100).toFixed(1)}% of the width past the house`);
});

test('gaits: walkers, drivers, flyers and floaters move; buildings and plants do not; loops come back', () => {
  const shot = { direction: 1 as const, loop: false, frames: 121 };
  const room = { left: 100, right: 2000, up: 500 };
  for (const kind of ['animal', 'person', 'vehicle', 'bird', 'boat', 'swimmer'] as const) {
    const m = figureMotion(shot, kind, 200, room, 24);
    assert.equal(m.heading, 1, kind);
    assert.notEqual(m.dx, '0', kind);
  }
  for (const kind of ['building', 'plant', 'food', 'object', 'symbol'] as const)
    assert.deepEqual(figureMotion(shot, kind, 200, room, 24), { dx: '0', dy: '0', heading: 0 });
  // A car covers more ground than a dog; neither leaves its canvas.
  const travel = (dx: string): number => Math.abs(Number(dx.split('*')[0]));
  const car = travel(figureMotion(shot, 'vehicle', 200, room, 24).dx);
  const dog = travel(figureMotion(shot, 'animal', 200, room, 24).dx);
  assert.ok(car > dog * 2, `${car} > 2 × ${dog}`);
  assert.ok(travel(figureMotion(shot, 'vehicle', 200, { left: 10, right: 60, up: 5 }, 24).dx) <= 58);
  // Heads for the side with more room.
  assert.equal(figureMotion(shot, 'animal', 200, { left: 900, right: 100, up: 50 }, 24).heading, -1);
  // A loop's travel is out and back: at the last frame (n = frames − 1) the offset is zero again.
  const loop = figureMotion({ ...shot, loop: true }, 'animal', 200, room, 24);
  assert.match(loop.dx, /cos\(2\*PI\*n\/120\)/);
});
