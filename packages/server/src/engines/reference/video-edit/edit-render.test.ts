// video_edit rendered for real (npm ffmpeg): ffprobe facts of every output, the monotone distance of the
// nine strength levels, the prompt's steering, determinism, HDR/EXR, and the classified failures.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EDIT_STRENGTHS } from '../../../contract/wire.js';
import { EngineFailure } from '../../engine.js';
import { longClip } from '../../../inputs/testing/video-fixtures.js';
import { makeJob } from '../testing/test-support.js';
import { FFMPEG, FFPROBE, probe, resolved } from '../testing/video-test-support.js';
import {
  SRC,
  decodeRgb,
  editRequest,
  figureClip,
  meanAbsDiff,
  meanChannels,
  renderSource,
} from '../testing/edit-test-support.js';
import { renderEdit } from './index.js';

describe('renderEdit (real ffmpeg)', () => {
  let dir = '';
  let source = '';
  let sourceRgb: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-edit-'));
    source = join(dir, 'figure.mp4');
    // Half a second (12 output frames) keeps the nine-level sweep cheap.
    await figureClip(source, 0.5);
    sourceRgb = await decodeRgb(source, 640, 360);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('keeps the source length and ratio, re-timed to 24 fps H.264 at the requested resolution', async () => {
    const { files, progress } = await renderSource(editRequest('make it warmer', {}), source);
    assert.equal(files.length, 1);
    const p = await probe(files[0]!.path);
    assert.equal(p.codec, 'h264');
    assert.equal(p.width, 640);
    assert.equal(p.height, 360);
    assert.equal(p.fps, 24);
    assert.equal(p.frames, 12);
    assert.equal(p.pixFmt, 'yuv420p');
    assert.equal(progress[0], 0);
    assert.equal(progress.at(-1), 1);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!);
  });

  it('each strength level moves measurably further from the source than the one before', async (t) => {
    const distances: number[] = [];
    // Pose and face off: the sweep measures the level, and skipping the model keeps nine renders cheap.
    const controls = { pose: { enabled: false }, face: { enabled: false } };
    for (const strength of EDIT_STRENGTHS) {
      const req = editRequest('a blue evening', { edit: { strength, controls } });
      const { files } = await renderSource(req, source);
      distances.push(meanAbsDiff(await decodeRgb(files[0]!.path, 640, 360), sourceRgb));
    }
    const shown = EDIT_STRENGTHS.map((s, i) => `${s}=${distances[i]!.toFixed(2)}`).join(' ');
    t.diagnostic(`mean |output − source| per level: ${shown}`);
    for (let i = 1; i < distances.length; i++) {
      assert.ok(distances[i]! > distances[i - 1]! + 0.3, `not strictly monotone: ${shown}`);
    }
  });

  it('the prompt steers the look: night is darker than day, blue is bluer than red', async () => {
    const mean = async (prompt: string): Promise<[number, number, number]> => {
      const { files } = await renderSource(editRequest(prompt, { edit: { strength: 'flex_3' } }), source);
      return meanChannels(await decodeRgb(files[0]!.path, 640, 360));
    };
    const luma = (c: readonly number[]): number => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    const [night, day, blue, red] = await Promise.all(
      ['the same street at night', 'the same street in bright day', 'make it blue', 'make it red'].map(mean),
    );
    assert.ok(luma(night!) < luma(day!) - 10, `night ${luma(night!)} vs day ${luma(day!)}`);
    assert.ok(blue![2] - blue![0] > red![2] - red![0] + 20, `blue ${blue!.join()} vs red ${red!.join()}`);
  });

  it('same request → same bytes; absent edit chooses the level from the source', async () => {
    const req = editRequest('watercolor painting of the scene');
    const a = await renderSource(req, source);
    const b = await renderSource(req, source);
    assert.deepEqual(await readFile(a.files[0]!.path), await readFile(b.files[0]!.path));
    const logged = a.log.find((l) => 'strength' in l);
    assert.equal(logged?.automatic, true);
    assert.ok(EDIT_STRENGTHS.includes(logged?.strength as (typeof EDIT_STRENGTHS)[number]));
  });

  it('hdr: HEVC Main10 PQ; exr_export adds a zip of one EXR per frame', async () => {
    const req = editRequest('golden hour', { hdr: true, exr_export: true }, true);
    const { files } = await renderSource(req, source);
    assert.deepEqual(
      files.map((f) => f.type),
      ['video', 'exr'],
    );
    const p = await probe(files[0]!.path);
    assert.equal(p.codec, 'hevc');
    assert.equal(p.pixFmt, 'yuv420p10le');
    assert.equal(p.colorTransfer, 'smpte2084');
    assert.equal(p.frames, 12);
    const zip = await readFile(files[1]!.path);
    const names = zip.toString('latin1').match(/frame_\d{5}\.exr/g) ?? [];
    assert.equal(new Set(names).size, 12);
  });

  it('classified failures: no video source, source too long, guide index past the grid', async () => {
    const code = (c: string) => (err: unknown) => err instanceof EngineFailure && err.code === c;
    const noSource = await makeJob(editRequest('x'));
    await assert.rejects(renderEdit(noSource, { ffmpeg: FFMPEG, ffprobe: FFPROBE }), code('invalid_request'));
    const long = join(dir, 'long.mp4');
    await longClip(long, 19);
    const tooLong = await makeJob(editRequest('x'), { source: resolved('source', long, 'video', 64, 64) });
    await assert.rejects(renderEdit(tooLong, { ffmpeg: FFMPEG, ffprobe: FFPROBE }), code('invalid_request'));
    const guide = resolved('video.edit.keyframes[0]', source, 'image', SRC.width, SRC.height);
    const late = editRequest('x', {
      edit: {
        keyframes: [{ url: 'https://example.com/k.png' }],
        keyframe_indexes: [13],
      },
    });
    await assert.rejects(renderSource(late, source, { editKeyframes: [guide] }), (err: unknown) => {
      assert.ok(err instanceof EngineFailure);
      assert.equal(err.code, 'invalid_request');
      assert.match(err.message, /between 0 and 12/);
      return true;
    });
  });

  it('an aborted edit stops promptly with RenderAborted', async () => {
    const ac = new AbortController();
    const job = await makeJob(editRequest('x', { resolution: '540p' }), {
      source: resolved('source', source, 'video', SRC.width, SRC.height),
    });
    const run = renderEdit({ ...job, signal: ac.signal }, { ffmpeg: FFMPEG, ffprobe: FFPROBE });
    ac.abort();
    await assert.rejects(run, { name: 'AbortError' });
  });
});
