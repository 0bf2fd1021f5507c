import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findOnPath, locateBinary } from '../../../media/ffmpeg/binaries.js';
import { perspectiveFilter, STILL_CAMERA } from './camera.js';
import { renderArgs } from './command.js';
import { encoderArgs, finishChain, hdrExpansion, parseProgress } from '../../../media/ffmpeg/encode-args.js';
import { stillGraph, timelineFrames } from './graph-stills.js';
import { lastFrameArgs, parseProbe, probeArgs } from '../../../media/ffmpeg/probe-args.js';

const after = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

test('SDR encoder: H.264 High yuv420p, BT.709 tags, pinned threads, faststart, exact frame count', () => {
  const a = encoderArgs('sdr', 121);
  assert.equal(after(a, '-c:v'), 'libx264');
  assert.equal(after(a, '-profile:v'), 'high');
  assert.equal(after(a, '-pix_fmt'), 'yuv420p');
  assert.equal(after(a, '-threads'), '2');
  // Slices, not frames: x264's frame threads are not bit-exact from run to run (video-t2v.test.ts).
  assert.equal(after(a, '-x264-params'), 'sliced-threads=1');
  assert.equal(after(a, '-frames:v'), '121');
  assert.equal(after(a, '-r'), '24');
  assert.equal(after(a, '-movflags'), '+faststart');
  for (const f of ['-color_primaries', '-color_trc', '-colorspace']) assert.equal(after(a, f), 'bt709');
  assert.equal(after(a, '-color_range'), 'tv');
  assert.ok(a.includes('-an'));
});

test('HDR encoder: HEVC Main10, PQ/BT.2020, HDR10 metadata, hvc1', () => {
  const a = encoderArgs('hdr', 121);
  assert.equal(after(a, '-c:v'), 'libx265');
  assert.equal(after(a, '-profile:v'), 'main10');
  assert.equal(after(a, '-pix_fmt'), 'yuv420p10le');
  assert.equal(after(a, '-tag:v'), 'hvc1');
  assert.equal(after(a, '-color_trc'), 'smpte2084');
  assert.equal(after(a, '-colorspace'), 'bt2020nc');
  const x265 = after(a, '-x265-params') ?? '';
  assert.match(x265, /master-display=G\(/);
  assert.match(x265, /max-cll=1000,/);
  assert.match(x265, /pools=2/);
});

test('HDR expansion: diffuse near 203 nits, white at the peak, monotonic', () => {
  assert.ok(Math.abs(hdrExpansion(0.5) - 0.1015) < 1e-6);
  assert.equal(hdrExpansion(1), 1);
  for (let x = 0; x < 1; x += 0.01) assert.ok(hdrExpansion(x + 0.01) >= hdrExpansion(x));
});

test('finish chains', () => {
  assert.equal(finishChain('sdr', 'cam', false), '[cam]format=yuv420p[v]');
  const hdr = finishChain('hdr', 'cam', true);
  assert.match(hdr, /t=smpte2084:p=2020:m=2020_ncl/);
  assert.match(hdr, /split=2\[hl\]\[lin\]/);
  assert.throws(() => renderArgs({ inputs: [], graph: '', range: 'sdr', frames: 1, out: 'o', linear: true }));
});

test('render command maps [v], writes the MP4 and, for EXR, raw frames to stdout', () => {
  const a = renderArgs({
    inputs: ['a.png', 'b.png'],
    graph: 'G',
    range: 'hdr',
    frames: 121,
    out: 'o.mp4',
    linear: true,
  });
  assert.deepEqual(a.slice(a.indexOf('-i'), a.indexOf('-i') + 4), ['-i', 'a.png', '-i', 'b.png']);
  assert.ok(after(a, '-filter_complex')?.startsWith('G;[cam]'));
  assert.equal(after(a, '-progress'), 'pipe:3');
  assert.equal(a.at(-1), 'pipe:1');
  assert.equal(after(a, '-pix_fmt') === 'yuv420p10le', true);
});

test('a raw still is read as one frame of its size and format, a file path as an image', () => {
  const a = renderArgs({
    inputs: [{ path: 'sky.rgb', width: 700, height: 400, pixFmt: 'rgb24' }, 'clouds.png'],
    graph: 'G',
    range: 'sdr',
    frames: 121,
    out: 'o.mp4',
    linear: false,
  });
  const first = a.indexOf('-f');
  assert.deepEqual(a.slice(first, first + 10), [
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-video_size',
    '700x400',
    '-i',
    'sky.rgb',
    '-i',
    'clouds.png',
  ]);
});

test('progress lines', () => {
  assert.equal(parseProgress('frame=42'), 42);
  assert.equal(parseProgress('fps=3.0'), null);
});

test('the identity camera samples the still at its own corners', () => {
  const p = perspectiveFilter(STILL_CAMERA);
  assert.match(p, /x0='W\*\(0\.5\+\(0\)\)-W\/\(2\*\(1\)\)'/);
  assert.match(p, /eval=frame/);
});

test('still graph: a still used twice is split once, segments trimmed so the grid is exact', () => {
  const segments = [
    { span: 60, from: { input: 0, camera: STILL_CAMERA }, keepLast: false },
    { span: 60, from: { input: 0, camera: STILL_CAMERA }, keepLast: true },
  ];
  assert.equal(timelineFrames(segments), 121);
  const g = stillGraph({ width: 640, height: 360, inputs: 1, segments });
  assert.match(g, /\[0:v\]scale=out_color_matrix=bt709:out_range=tv,format=yuv444p,split=2\[s0_0\]\[s0_1\]/);
  assert.match(g, /trim=end_frame=60\[g0\]/);
  assert.match(g, /\[g0\]\[g1\]concat=n=2/);
});

test('still graph: a subject of an extend is laid over the held still, whole pixels, before the camera', () => {
  const sub = { input: 1, x: '40+(-100*(n/120))', y: '20+(0)' };
  const segments = [{ span: 120, from: { input: 0, camera: STILL_CAMERA, subjects: [sub] }, keepLast: true }];
  const g = stillGraph({ width: 640, height: 360, inputs: 1, segments });
  assert.match(g, /\[1:v\]scale=out_color_matrix=bt709:out_range=tv,format=yuva444p,loop=loop=120/);
  assert.match(g, /overlay=x='round\(40\+\(-100\*\(round\(t\*24\)\/120\)\)\)'/);
  assert.match(g, /\[b0_0\]perspective=/);
});

test('ffprobe args and parsing', () => {
  assert.ok(probeArgs('x.mp4', true).includes('-count_frames'));
  assert.ok(lastFrameArgs('in.mp4', 'o.png').includes('-sseof'));
  const p = parseProbe(
    JSON.stringify({
      streams: [
        {
          codec_type: 'video',
          codec_name: 'h264',
          width: 640,
          height: 360,
          nb_read_frames: '121',
          r_frame_rate: '24/1',
          duration: '5.041667',
        },
      ],
    }),
  );
  assert.deepEqual([p.codec, p.width, p.frames, p.fps, p.hasAudio], ['h264', 640, 121, 24, false]);
  assert.throws(() => parseProbe('{"streams":[]}'));
});

test('binary lookup: config, then PATH, then the npm build', () => {
  assert.deepEqual(locateBinary('ffmpeg', '/opt/ff'), { path: '/opt/ff', source: 'config' });
  assert.equal(
    findOnPath('ffmpeg', '/a:/b', (p) => p === '/b/ffmpeg'),
    '/b/ffmpeg',
  );
  assert.equal(
    findOnPath('ffmpeg', '', () => true),
    null,
  );
  const npm = locateBinary('ffprobe', null, '/nonexistent');
  assert.equal(npm.source, 'npm');
  assert.match(npm.path, /ffprobe/);
});
