// Source ingestion (issue 5): probe results for MP4, rotated MOV and WebM, and every failure code with real
// files made by the npm ffmpeg; plus the pure probe parser on ffprobe JSON shapes.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineFailure } from '../engines/engine.js';
import { parseSourceProbe, readRotation } from '../media/ffmpeg/source-probe.js';
import { longClip, mkvClip, quadClip, rotatedMov, truncated, webmClip } from './testing/video-fixtures.js';
import { verifyVideo } from './verify-video.js';

const failsWith = async (p: Promise<unknown>, code: string, reason?: RegExp): Promise<void> => {
  const err = await p.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EngineFailure, String(err));
  assert.equal(err.code, code, err.message);
  assert.equal(err.retryable, false);
  if (reason) assert.match(err.message, reason);
};

describe('verifyVideo: probe before decoding (real files)', () => {
  let dir = '';
  const f = (name: string): string => join(dir, name);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-verify-video-'));
    await quadClip(f('quad.mp4'), { width: 160, height: 120, seconds: 2, fps: 30 });
    await quadClip(f('quad-fs.mp4'), {
      width: 160,
      height: 120,
      seconds: 2,
      fps: 30,
      extra: ['-movflags', '+faststart'],
    });
    await rotatedMov(f('quad.mp4'), f('rot.mov'));
    await webmClip(f('clip.webm'));
    await mkvClip(f('clip.mkv'));
    await longClip(f('long31.mp4'), 31);
    await longClip(f('long20.mp4'), 20);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('MP4: container, codec, size, fps, duration, no rotation', async () => {
    const m = await verifyVideo(f('quad.mp4'), 'source');
    assert.equal(m.kind, 'video');
    assert.equal(m.format, 'mp4');
    assert.equal(m.codec, 'h264');
    assert.deepEqual([m.width, m.height], [160, 120]);
    assert.equal(m.fps, 30);
    assert.ok(Math.abs((m.durationSeconds ?? 0) - 2) < 0.05, String(m.durationSeconds));
    assert.equal(m.rotation, 0);
    assert.ok(Math.abs((m.displayAspect ?? 0) - 4 / 3) < 1e-9);
  });

  it('MOV with a rotation matrix: size and aspect are reported as displayed (portrait)', async () => {
    const m = await verifyVideo(f('rot.mov'), 'source');
    assert.equal(m.format, 'mov');
    assert.ok(m.rotation === 90 || m.rotation === 270, String(m.rotation));
    assert.deepEqual([m.width, m.height], [120, 160]);
    assert.ok(Math.abs((m.displayAspect ?? 0) - 3 / 4) < 1e-9);
  });

  it('WebM (VP9) is accepted', async () => {
    const m = await verifyVideo(f('clip.webm'), 'source');
    assert.equal(m.format, 'webm');
    assert.equal(m.codec, 'vp9');
    assert.deepEqual([m.width, m.height], [160, 120]);
  });

  it('a 31 s source: invalid_request naming the 30 s reframe limit; 20 s passes 30 but not 18', async () => {
    await failsWith(
      verifyVideo(f('long31.mp4'), 'source', { maxSeconds: 30 }),
      'invalid_request',
      /^source video must be 30 seconds or shorter$/,
    );
    await failsWith(
      verifyVideo(f('long20.mp4'), 'source', { maxSeconds: 18 }),
      'invalid_request',
      /^source video must be 18 seconds or shorter$/,
    );
    const ok = await verifyVideo(f('long20.mp4'), 'source', { maxSeconds: 30 });
    assert.ok(Math.abs((ok.durationSeconds ?? 0) - 20) < 0.6);
  });

  it('not a video at all → unsupported_format', async () => {
    await writeFile(f('note.mp4'), 'this is not a video, whatever the name says\n');
    await failsWith(verifyVideo(f('note.mp4'), 'source'), 'unsupported_format', /^source: input is not a/);
  });

  it('an image under a video label → unsupported_format', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await writeFile(f('img.mp4'), png);
    await failsWith(verifyVideo(f('img.mp4'), 'source'), 'unsupported_format', /an image \(png\)/);
  });

  it('a real video in an unaccepted container (Matroska) → unsupported_format', async () => {
    await failsWith(verifyVideo(f('clip.mkv'), 'source'), 'unsupported_format', /mkv video is not supported/);
  });

  it('a truncated MP4 without its index (moov) → corrupt_input at the probe', async () => {
    await truncated(f('quad.mp4'), f('cut.mp4'), 0.5);
    await failsWith(verifyVideo(f('cut.mp4'), 'source'), 'corrupt_input', /could not be read/);
  });

  it('a truncated faststart MP4 (index intact, data cut) → corrupt_input at the packet scan', async () => {
    await truncated(f('quad-fs.mp4'), f('cut-fs.mp4'), 0.6);
    await failsWith(verifyVideo(f('cut-fs.mp4'), 'source'), 'corrupt_input', /could not be decoded/);
  });
});

describe('parseSourceProbe (pure)', () => {
  const json = (stream: Record<string, unknown>, format: Record<string, unknown> = {}): string =>
    JSON.stringify({
      streams: [{ codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, ...stream }],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '4.2', ...format },
    });

  it('takes the stream duration, else the container duration; average rate before base rate', () => {
    const a = parseSourceProbe(json({ duration: '3.5', avg_frame_rate: '30000/1001', r_frame_rate: '60/1' }));
    assert.equal(a.duration, 3.5);
    assert.ok(Math.abs(a.fps - 29.97) < 0.01);
    const b = parseSourceProbe(json({ avg_frame_rate: '0/0', r_frame_rate: '25/1' }));
    assert.equal(b.duration, 4.2);
    assert.equal(b.fps, 25);
  });

  it('rotation from display-matrix side data (ffprobe ≥ 5, counter-clockwise) or the rotate tag', () => {
    assert.equal(readRotation({ side_data_list: [{ rotation: -90 }] }), 90);
    assert.equal(readRotation({ side_data_list: [{ rotation: 90 }] }), 270);
    assert.equal(readRotation({ side_data_list: [{ rotation: 180 }] }), 180);
    assert.equal(readRotation({ tags: { rotate: '90' } }), 90);
    assert.equal(readRotation({}), 0);
    const p = parseSourceProbe(json({ side_data_list: [{ rotation: -90 }] }));
    assert.deepEqual([p.width, p.height, p.codedWidth, p.codedHeight], [1080, 1920, 1920, 1080]);
  });

  it('non-square pixels change the display aspect (anamorphic DV 720×480 at 32:27 → 16:9)', () => {
    const p = parseSourceProbe(json({ width: 720, height: 480, sample_aspect_ratio: '32:27' }));
    assert.ok(Math.abs(p.displayAspect - 16 / 9) < 1e-9);
  });

  it('cover art is skipped; no moving picture → throws', () => {
    const doc = JSON.stringify({
      streams: [
        {
          codec_type: 'video',
          codec_name: 'mjpeg',
          width: 600,
          height: 600,
          disposition: { attached_pic: 1 },
        },
      ],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2' },
    });
    assert.throws(() => parseSourceProbe(doc), /no video stream/);
  });
});
