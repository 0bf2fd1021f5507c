// Guide frames of video_edit (contract §2.5 VideoEditOptions.keyframes, `start_frame`): the output frame at
// each index reproduces its guide, and the frames around it are pulled toward it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeRgbPng } from '../../../media/stills.js';
import { framePsnr, probe, resolved } from '../testing/video-test-support.js';
import {
  decodeRgb,
  editRequest,
  figureClip,
  meanAbsDiff,
  renderSource,
} from '../testing/edit-test-support.js';

const W = 640;
const H = 360;

/** A smooth guide picture (gradients and a soft disc) whose tint is set by `hue`. */
const guidePng = async (path: string, hue: readonly [number, number, number]): Promise<void> => {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0, p = 0; y < H; y++) {
    for (let x = 0; x < W; x++, p += 3) {
      const disc = Math.max(0, 1 - Math.hypot(x - 420, y - 170) / 120);
      for (let c = 0; c < 3; c++) {
        rgb[p + c] = Math.round(Math.min(255, hue[c]! * (0.4 + 0.5 * (x / W)) + 90 * disc + 30 * (y / H)));
      }
    }
  }
  await writeRgbPng(rgb, W, H, path);
};

describe('video_edit guide frames (real ffmpeg)', () => {
  let dir = '';
  let source = '';
  const guides: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-edit-guides-'));
    source = join(dir, 'figure.mp4');
    await figureClip(source, 1);
    for (const [i, hue] of (
      [
        [230, 120, 60],
        [60, 200, 120],
        [90, 110, 240],
      ] as const
    ).entries()) {
      const path = join(dir, `guide-${i}.png`);
      await guidePng(path, hue);
      guides.push(path);
    }
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const image = (slot: string, path: string) => resolved(slot, path, 'image', W, H);

  it('edit.keyframes: each indexed frame reproduces its guide; the last grid index is a real frame', async () => {
    const indexes = [0, 12, 24];
    const req = editRequest('a moody dusk', {
      edit: {
        strength: 'flex_2',
        keyframes: guides.map((_, i) => ({ url: `https://example.com/k${i}.png` })),
        keyframe_indexes: [24, 0, 12],
      },
    });
    // Listed out of order on purpose: indexes need not be sorted (§7 item 15).
    const inputs = { editKeyframes: [guides[2]!, guides[0]!, guides[1]!].map((g, i) => image(`k${i}`, g)) };
    const { files } = await renderSource(req, source, inputs);
    const out = files[0]!.path;
    assert.equal((await probe(out)).frames, 25);
    const expected = [guides[0]!, guides[1]!, guides[2]!];
    for (const [i, frame] of indexes.entries()) {
      const db = await framePsnr(out, frame, expected[i]!, W, H);
      assert.ok(db >= 35, `frame ${frame}: PSNR ${db.toFixed(1)} dB`);
    }
    // Between guides the edit shows through, but pulled toward them compared with no guides at all.
    const plain = await renderSource(editRequest('a moody dusk', { edit: { strength: 'flex_2' } }), source);
    const guided = await decodeRgb(out, W, H);
    const free = await decodeRgb(plain.files[0]!.path, W, H);
    const frameBytes = W * H * 3;
    const at = (b: Buffer, f: number) => b.subarray(f * frameBytes, (f + 1) * frameBytes);
    const g1 = await decodeRgb(guides[1]!, W, H);
    assert.ok(meanAbsDiff(at(guided, 10), g1) < meanAbsDiff(at(free, 10), g1) - 5);
    assert.ok(meanAbsDiff(at(guided, 6), at(free, 6)) > 1, 'frame 6 unchanged by the guides');
  });

  it('start_frame is the single guide at frame 0', async () => {
    const req = editRequest('black and white', {
      start_frame: { url: 'https://example.com/s.png' },
      edit: { strength: 'adhere_2' },
    });
    const { files } = await renderSource(req, source, { startFrame: image('video.start_frame', guides[1]!) });
    const db = await framePsnr(files[0]!.path, 0, guides[1]!, W, H);
    assert.ok(db >= 35, `PSNR ${db.toFixed(1)} dB`);
    assert.equal((await probe(files[0]!.path)).frames, 24);
  });
});
