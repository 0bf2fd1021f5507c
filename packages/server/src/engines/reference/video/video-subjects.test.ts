// Video moves its subjects too (issue 14 part 6): the dog walks past the house it stands beside, a car
// drives, a bird flies, a boat bobs, water ripples, and an extend walks the dog on; things that do not move
// stay with their ground.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameRgb } from '../../../media/ffmpeg/probe.js';
import type { RawImage } from '../../../media/raw-image.js';
import { hex, rgbToLab } from '../../../media/color.js';
import { hashString } from '../scene/rng.js';
import { parseScene } from '../scene/scene.js';
import { iconBody } from '../scene/subject-art.js';
import { LEXICON } from '../scene/lexicon.js';
import { FFMPEG, framesPsnr, probe, render, resolved, videoRequest } from '../testing/video-test-support.js';
import { figureMotion, layerMargins, layerMotion, stillTimeline, type ShotStyle } from './motion.js';

const entry = (name: string) => LEXICON.find((e) => e.name === name)!;

const frameOf = async (path: string, index: number): Promise<RawImage> => {
  const p = await probe(path);
  return { width: p.width, height: p.height, data: new Uint8Array(await frameRgb(FFMPEG, path, index)) };
};

const PROMPT = 'a dog walking past a house in a meadow';
const dogColours = [
  ...new Set([...iconBody(entry('dog').icon, 't').matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!)),
].map((c) => rgbToLab(hex(c)));

/** Close to a colour of the dog's art, lightness counting less (as the engine's edits judge it). */
const dogColoured = (img: RawImage, i: number): boolean => {
  const [L, A, B] = rgbToLab([img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!]);
  return dogColours.some((c) => ((L - c[0]) * 0.35) ** 2 + (A - c[1]) ** 2 + (B - c[2]) ** 2 < 144);
};

/** The value at `frame` of a motion expression (numbers, `n` or `on`, `PI`, + − × ÷, brackets, functions). */
const evaluate = (expr: string, frame: number): number => {
  const tokens = expr.match(/\d+\.?\d*(?:e[-+]?\d+)?|[a-z]+|[-+*/()]/gi) ?? [];
  let k = 0;
  const atom = (): number => {
    const t = tokens[k++];
    if (t === '-') return -atom();
    if (t === '+') return atom();
    if (t === '(') {
      const v = sum();
      k++;
      return v;
    }
    if (t === 'n' || t === 'on') return frame;
    if (t === 'PI') return Math.PI;
    const fn = ({ floor: Math.floor, abs: Math.abs, sin: Math.sin, cos: Math.cos } as const)[t as 'abs'];
    if (fn) {
      k++;
      const v = sum();
      k++;
      return fn(v);
    }
    return Number(t);
  };
  const product = (): number => {
    let v = atom();
    while (tokens[k] === '*' || tokens[k] === '/') v = tokens[k++] === '*' ? v * atom() : v / atom();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[k] === '+' || tokens[k] === '-') v = tokens[k++] === '+' ? v + product() : v - product();
    return v;
  };
  return sum();
};

/**
 * How far (share of the width) the dog moved over its ground from frame `a` to frame `b`, once `b` is
 * mapped back onto `a`'s ground (`ground(x, y)` gives where `a`'s pixel x, y is in `b`): the pixels that
 * changed and are the dog's colour in `b` (where it went), less those that changed and are in `a` (where
 * it was). The house, the meadow and the refilled ground did not change, so they drop out.
 */
const walk = (a: RawImage, b: RawImage, ground: (x: number, y: number) => [number, number]): number => {
  const { width: w, height: h } = a;
  let was = 0;
  let wasX = 0;
  let is = 0;
  let isX = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [bx, by] = ground(x, y).map(Math.round) as [number, number];
      if (bx < 0 || by < 0 || bx >= w || by >= h) continue;
      const i = y * w + x;
      const j = by * w + bx;
      let d = 0;
      for (let c = 0; c < 3; c++) d += Math.abs(a.data[i * 3 + c]! - b.data[j * 3 + c]!);
      if (d < 60) continue;
      if (dogColoured(a, i)) {
        was++;
        wasX += x;
      }
      if (dogColoured(b, j)) {
        is++;
        isX += x;
      }
    }
  assert.ok(was > 1000 && is > 1000, `the dog is found: ${was}, ${is} px`);
  return (isX / is - wasX / was) / w;
};

let walked: { path: string; frames: number } | null = null;
const walking = async (): Promise<{ path: string; frames: number }> => {
  if (!walked) {
    const { files } = await render(videoRequest(PROMPT, { resolution: '540p' }, '16:9'));
    walked = { path: files[0]!.path, frames: (await probe(files[0]!.path)).frames };
  }
  return walked;
};

/** The shot's seeded choices, as the engine makes them from the prompt. */
const shot = (frames: number, prompt = PROMPT): ShotStyle => ({
  direction: hashString(`${prompt}#camera`) % 2 === 0 ? 1 : -1,
  loop: false,
  frames,
});

/** The walk over a text-to-video shot: its last frame mapped back by the near plane's own offsets. */
const sourceWalk = async (path: string, frames: number): Promise<number> => {
  const a = await frameOf(path, 0);
  const b = await frameOf(path, frames - 1);
  const plane = layerMotion(shot(frames), 0, 1, layerMargins(a.width, a.height), false);
  const dx = Math.floor(evaluate(plane.x, 0)) - Math.floor(evaluate(plane.x, frames - 1));
  const dy = Math.floor(evaluate(plane.y, 0)) - Math.floor(evaluate(plane.y, frames - 1));
  return walk(a, b, (x, y) => [x + dx, y + dy]);
};

test('a dog walks past the house beside it: its own travel, on top of the camera move', async () => {
  const { path, frames } = await walking();
  const moved = await sourceWalk(path, frames);
  assert.ok(Math.abs(moved) > 0.05, `the dog walked ${(moved * 100).toFixed(1)}% of the width`);
});

test('an extend walks the dog on the way it was going, from exactly where it stood', async (t) => {
  const src = await walking();
  const before = await sourceWalk(src.path, src.frames);
  const started = Date.now();
  const { files } = await render(videoRequest(PROMPT, { resolution: '540p' }), {
    startFrame: resolved('video.start_frame', src.path, 'video', 0, 0),
  });
  const ms = Date.now() - started;
  const ext = files[0]!.path;
  const p = await probe(ext);
  // Continuity: the extend's first frame is the source's last, the lifted dog laid back in its place.
  assert.ok((await framesPsnr(ext, 0, src.path, src.frames - 1)) >= 35);
  // The extend's camera drifts in over the pinned frame: its last frame is mapped back onto the first.
  const last = p.frames - 1;
  const [seg] = stillTimeline([0], [0], p.frames, false, shot(p.frames).direction);
  const cam = seg!.from.camera;
  const zoom = evaluate(cam.zoom, last);
  const left = p.width * (0.5 + evaluate(cam.panX, last)) - p.width / (2 * zoom);
  const top = p.height * (0.5 + evaluate(cam.panY, last)) - p.height / (2 * zoom);
  const after = walk(await frameOf(ext, 0), await frameOf(ext, last), (x, y) => [
    (x - left) * zoom,
    (y - top) * zoom,
  ]);
  t.diagnostic(`walked ${(before * 100).toFixed(1)}%, then ${(after * 100).toFixed(1)}%; extend ${ms} ms`);
  assert.ok(
    Math.sign(after) === Math.sign(before) && Math.abs(after) > 0.05,
    `walked ${(before * 100).toFixed(1)}% of the width, then ${(after * 100).toFixed(1)}% more (${ms} ms)`,
  );
});

test('water stirs: its ripples move over the lake while the land stays with its plane', async (t) => {
  const prompt = 'snowy mountains above a lake at sunset';
  const { files } = await render(videoRequest(prompt, { resolution: '540p' }, '16:9'));
  const path = files[0]!.path;
  // A quarter of the ripples' sway apart, the second frame mapped back by the near plane's offsets.
  const [i, j] = [0, 15];
  const a = await frameOf(path, i);
  const b = await frameOf(path, j);
  const { width: w, height: h } = a;
  const margins = layerMargins(w, h);
  const plane = layerMotion(shot(121, prompt), 0, 1, margins, false);
  const dx = Math.floor(evaluate(plane.x, i)) - Math.floor(evaluate(plane.x, j));
  const dy = Math.floor(evaluate(plane.y, i)) - Math.floor(evaluate(plane.y, j));
  const horizon = Math.round(
    parseScene(prompt, hashString(prompt)).horizon * (h + 2 * margins.my) - Math.floor(evaluate(plane.y, i)),
  );
  /** Share of the pixels of rows y0..y1 that changed by more than the light's step and the encoder's noise. */
  const changed = (y0: number, y1: number): number => {
    let c = 0;
    let n = 0;
    for (let y = y0; y < y1; y++)
      for (let x = 0; x < w; x++) {
        const [bx, by] = [x + dx, y + dy];
        if (bx < 0 || by < 0 || bx >= w || by >= h) continue;
        let d = 0;
        for (let k = 0; k < 3; k++)
          d += Math.abs(a.data[(y * w + x) * 3 + k]! - b.data[(by * w + bx) * 3 + k]!);
        if (d > 48) c++;
        n++;
      }
    return c / n;
  };
  const land = changed(Math.round(horizon / 2), horizon - 4);
  const water = changed(horizon + 8, h);
  t.diagnostic(`changed: water ${(water * 100).toFixed(2)}%, land ${(land * 100).toFixed(2)}%`);
  assert.ok(water > 0.01 && water > land * 10, `water ${water} vs land ${land}`);
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
  // An extend's subject keeps its heading, whatever the room, and stands in place at its pinned frame:
  // walking on from the first frame, or arriving at the last from behind.
  const tight = { left: 900, right: 100, up: 50, down: 50 };
  const on = figureMotion(shot, 'animal', 200, tight, 24, { heading: 1, frame: 0 });
  assert.equal(on.heading, 1);
  assert.ok(evaluate(on.dx, 0) === 0 && evaluate(on.dy, 0) === 0);
  assert.ok(evaluate(on.dx, 120) > 0 && evaluate(on.dx, 120) <= 98);
  const arriving = figureMotion(shot, 'bird', 200, tight, 24, { heading: 1, frame: 120 });
  assert.equal(evaluate(arriving.dx, 120), 0);
  assert.ok(Math.abs(evaluate(arriving.dy, 120)) < 1e-5);
  assert.ok(evaluate(arriving.dx, 0) < -100, 'it comes from the roomy side behind it');
});
