// video_reframe rendered for real (npm ffmpeg): ffprobe facts of the output, and pixel checks that the
// source lands exactly where SourcePosition says (contract §2.5) over a fill made of its own colours.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SourcePosition } from '../../../contract/wire.js';
import { EngineFailure } from '../../engine.js';
import { QUAD_COLOURS, quadClip } from '../../../inputs/testing/video-fixtures.js';
import { frameRgb } from '../../../media/ffmpeg/probe.js';
import { makeJob } from '../testing/test-support.js';
import { FFMPEG, FFPROBE, probe, resolved } from '../testing/video-test-support.js';
import { centredFit, positionRect, renderReframe } from './index.js';
import { reframeRequest } from '../testing/reframe-test-support.js';

type RGB = [number, number, number];
const SRC = { width: 320, height: 240 };
const COLOURS = Object.values(QUAD_COLOURS) as readonly (readonly number[])[];

const px = (buf: Buffer, width: number, x: number, y: number): RGB => {
  const i = (y * width + x) * 3;
  return [buf[i] ?? 0, buf[i + 1] ?? 0, buf[i + 2] ?? 0];
};
const diff = (a: readonly number[], b: readonly number[]): number =>
  Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))));
const nearest = (c: RGB): number => {
  let best = 0;
  COLOURS.forEach((q, i) => {
    if (diff(c, q) < diff(c, COLOURS[best] ?? q)) best = i;
  });
  return best;
};

describe('renderReframe (real ffmpeg)', () => {
  let dir = '';
  let source = '';
  let ref: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-reframe-'));
    source = join(dir, 'quad.mp4');
    await quadClip(source, { ...SRC, seconds: 2, fps: 30 });
    ref = await frameRgb(FFMPEG, source, 0);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const render = async (ratio: string, resolution: '360p' | '540p', pos?: SourcePosition) => {
    const req = reframeRequest(ratio, { resolution, ...(pos ? { source_position: pos } : {}) });
    const job = await makeJob(req, { source: resolved('source', source, 'video', SRC.width, SRC.height) });
    const files = await renderReframe(job, { ffmpeg: FFMPEG, ffprobe: FFPROBE });
    return { files, progress: job.progress };
  };

  /** The source pixel under canvas point (x, y), or null where the source is not locally flat there. */
  const sourceAt = (
    rect: { x: number; y: number; w: number; h: number },
    x: number,
    y: number,
  ): RGB | null => {
    const sx = Math.floor(((x + 0.5 - rect.x) / rect.w) * SRC.width);
    const sy = Math.floor(((y + 0.5 - rect.y) / rect.h) * SRC.height);
    if (sx < 4 || sy < 4 || sx >= SRC.width - 4 || sy >= SRC.height - 4) return null;
    const c = px(ref, SRC.width, sx, sy);
    for (const [dx, dy] of [
      [-4, 0],
      [4, 0],
      [0, -4],
      [0, 4],
    ] as const) {
      if (diff(px(ref, SRC.width, sx + dx, sy + dy), c) > 6) return null;
    }
    return c;
  };

  /** Checks frame 0: inside the rectangle = the source, outside = graded, varied fill of its colours. */
  const checkPlacement = async (out: string, w: number, h: number, pos: SourcePosition): Promise<void> => {
    const frame = await frameRgb(FFMPEG, out, 0);
    const rect = positionRect(pos, { width: w, height: h });
    const inside = (x: number, y: number, m: number): boolean =>
      x >= rect.x + m && x < rect.x + rect.w - m && y >= rect.y + m && y < rect.y + rect.h - m;
    let matched = 0;
    const fill: RGB[] = [];
    for (let y = 2; y < h; y += 6) {
      for (let x = 2; x < w; x += 6) {
        const got = px(frame, w, x, y);
        if (inside(x, y, 4)) {
          const want = sourceAt(rect, x, y);
          if (want === null) continue;
          assert.ok(diff(got, want) <= 16, `(${x},${y}) inside: got ${got.join()}, source ${want.join()}`);
          matched++;
        } else if (!inside(x, y, -6)) {
          fill.push(got);
        }
      }
    }
    assert.ok(matched > 100, `only ${matched} inside points checked`);
    // Edges: 8 px in is the source, 5 px out is the fill — graded, so never the same pixel value.
    const edges: [number, number, number, number][] = [];
    for (let t = 0.2; t < 0.85; t += 0.2) {
      const y = Math.round(rect.y + rect.h * t);
      const x = Math.round(rect.x + rect.w * t);
      edges.push([rect.x + 8, y, rect.x - 5, y], [rect.x + rect.w - 9, y, rect.x + rect.w + 4, y]);
      edges.push([x, rect.y + 8, x, rect.y - 5], [x, rect.y + rect.h - 9, x, rect.y + rect.h + 4]);
    }
    let edgeChecks = 0;
    for (const [ix, iy, ox, oy] of edges) {
      if (ox < 0 || oy < 0 || ox >= w || oy >= h || ix < 0 || iy < 0 || ix >= w || iy >= h) continue;
      const want = sourceAt(rect, ix, iy);
      if (want === null) continue;
      const outside = px(frame, w, ox, oy);
      assert.ok(diff(px(frame, w, ix, iy), want) <= 16, `edge (${ix},${iy}) is not the source`);
      assert.ok(diff(outside, want) > 8, `(${ox},${oy}) outside equals the source ${want.join()}`);
      // Outpainted from the source: the fill next to an edge has that edge's colour, not another's.
      assert.equal(
        nearest(outside),
        nearest(want),
        `(${ox},${oy}) fill ${outside.join()} vs edge ${want.join()}`,
      );
      edgeChecks++;
    }
    assert.ok(edgeChecks >= 3, `only ${edgeChecks} edge checks`);
    // Not flat bars: the fill varies, and carries more than one of the source's colours.
    if (fill.length > 20) {
      const luma = fill.map(([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b);
      const mean = luma.reduce((a, b) => a + b, 0) / luma.length;
      const sd = Math.sqrt(luma.reduce((a, b) => a + (b - mean) ** 2, 0) / luma.length);
      assert.ok(sd > 10, `fill luma sd ${sd.toFixed(1)}`);
      assert.ok(new Set(fill.map(nearest)).size >= 2, 'fill shows only one source colour');
    }
  };

  it('default (centred fit) 4:3 → 16:9 at 360p: H.264 High yuv420p BT.709, 24 fps, source length', async () => {
    const { files, progress } = await render('16:9', '360p');
    const out = files[0]?.path ?? '';
    assert.equal(files[0]?.contentType, 'video/mp4');
    const p = await probe(out);
    assert.deepEqual([p.codec, p.profile, p.pixFmt], ['h264', 'High', 'yuv420p']);
    assert.deepEqual([p.width, p.height], [640, 360]);
    assert.deepEqual(
      [p.colorPrimaries, p.colorTransfer, p.colorSpace, p.colorRange],
      ['bt709', 'bt709', 'bt709', 'tv'],
    );
    assert.equal(p.fps, 24);
    assert.equal(p.frames, 48, 'a 2 s source at 30 fps becomes 48 frames at 24 fps');
    assert.equal(p.hasAudio, false);
    assert.equal(progress.at(-1), 1);
    assert.ok(
      progress.every((v, i) => i === 0 || v >= (progress[i - 1] ?? 0)),
      'progress is monotone',
    );
    await checkPlacement(out, 640, 360, centredFit(4 / 3, { width: 640, height: 360 }));
  });

  it('off-centre source_position on 16:9', async () => {
    const pos = { x_norm: 0.5, y_norm: 0.08, w_norm: 0.45, h_norm: 0.6 };
    const { files } = await render('16:9', '360p', pos);
    await checkPlacement(files[0]?.path ?? '', 640, 360, pos);
  });

  it('negative x_norm bleeds off the left edge (1:1 canvas, w_norm 0.9)', async () => {
    const pos = { x_norm: -0.3, y_norm: 0.2, w_norm: 0.9, h_norm: 0.6 };
    const { files } = await render('1:1', '360p', pos);
    const out = files[0]?.path ?? '';
    await checkPlacement(out, 360, 360, pos);
    // The quadrant border of the source sits at x = (-0.3 + 0.45) × 360 = 54 px on the canvas.
    const frame = await frameRgb(FFMPEG, out, 0);
    const y = Math.round(360 * (0.2 + 0.15));
    assert.equal(nearest(px(frame, 360, 48, y)), 0, 'left of the border: top-left colour');
    assert.equal(nearest(px(frame, 360, 60, y)), 1, 'right of the border: top-right colour');
  });

  it('9:16 at 540p: canvas per videoSize; same request → same bytes', async () => {
    const a = await render('9:16', '540p');
    const b = await render('9:16', '540p');
    const pa = await probe(a.files[0]?.path ?? '');
    assert.deepEqual([pa.width, pa.height], [540, 960]);
    const { readFile } = await import('node:fs/promises');
    assert.ok((await readFile(a.files[0]?.path ?? '')).equals(await readFile(b.files[0]?.path ?? '')));
  });

  it('a source already at the target ratio → invalid_request with the §7 item 10 wording', async () => {
    const err = await render('4:3', '360p').catch((e: unknown) => e);
    assert.ok(err instanceof EngineFailure);
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.message, "aspect_ratio must differ from the source video's aspect ratio");
  });

  it('abort stops ffmpeg', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const req = reframeRequest('16:9', { resolution: '360p' });
    const job = await makeJob(req, { source: resolved('source', source, 'video', 320, 240) }, ctl.signal);
    await assert.rejects(renderReframe(job, { ffmpeg: FFMPEG, ffprobe: FFPROBE }), { name: 'AbortError' });
  });
});
