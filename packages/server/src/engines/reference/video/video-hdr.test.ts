import assert from 'node:assert/strict';
import { open, stat } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { test } from 'node:test';
import { capture } from '../../../media/ffmpeg/run.js';
import { readExr } from '../../../media/exr-read.js';
import { FFMPEG, FFPROBE, probe, render, videoRequest } from '../testing/video-test-support.js';
import { writeFile } from 'node:fs/promises';

/** Reads member `index` of a STORED zip by walking local headers (only the needed bytes). */
const zipMember = async (path: string, index: number): Promise<{ name: string; data: Buffer }> => {
  const fh = await open(path, 'r');
  try {
    let at = 0;
    for (let i = 0; ; i++) {
      const h = Buffer.alloc(30);
      await fh.read(h, 0, 30, at);
      assert.equal(h.readUInt32LE(0), 0x04034b50);
      const size = h.readUInt32LE(18);
      const nameLen = h.readUInt16LE(26);
      const name = Buffer.alloc(nameLen);
      await fh.read(name, 0, nameLen, at + 30);
      if (i === index) {
        const data = Buffer.alloc(size);
        await fh.read(data, 0, size, at + 30 + nameLen);
        return { name: name.toString(), data };
      }
      at += 30 + nameLen + size;
    }
  } finally {
    await fh.close();
  }
};

test('HDR 720p with EXR export: HEVC Main10 PQ/BT.2020 with HDR10 metadata, real highlights, EXR frames', async () => {
  const { files } = await render(
    videoRequest(
      'a lighthouse above the sea at sunset',
      { resolution: '720p', hdr: true, exr_export: true },
      '16:9',
    ),
  );
  assert.deepEqual(
    files.map((f) => [f.type, f.contentType]),
    [
      ['video', 'video/mp4'],
      ['exr', 'application/zip'],
    ],
  );
  const mp4 = files[0]!.path;
  const p = await probe(mp4);
  assert.equal(p.codec, 'hevc');
  assert.equal(p.profile, 'Main 10');
  assert.equal(p.pixFmt, 'yuv420p10le');
  assert.deepEqual(
    [p.colorPrimaries, p.colorTransfer, p.colorSpace, p.colorRange],
    ['bt2020', 'smpte2084', 'bt2020nc', 'tv'],
  );
  assert.equal(p.codecTag, 'hvc1');
  assert.deepEqual([p.width, p.height, p.frames, p.fps], [1280, 720, 121, 24]);
  const side = (
    await capture(FFPROBE, [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-read_intervals',
      '%+#1',
      '-show_frames',
      '-of',
      'json',
      mp4,
    ])
  ).toString();
  assert.match(side, /Mastering display metadata/);
  assert.match(side, /Content light level metadata/);
  // Extended range: PQ luma for 203 cd/m² (BT.2408 reference white) is ≈ 0.58 → limited-range code 572;
  // code 600 is ≈ 300 cd/m², so anything above it is a highlight an SDR stream could not carry.
  const y = await capture(FFMPEG, [
    '-v',
    'error',
    '-i',
    mp4,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray10le',
    'pipe:1',
  ]);
  let max = 0;
  for (let i = 0; i < y.length; i += 2) max = Math.max(max, y.readUInt16LE(i));
  assert.ok(max > 600, `peak luma code ${max}`);

  const zip = files[1]!.path;
  assert.ok((await stat(zip)).size > 0);
  const last = await zipMember(zip, 120);
  assert.equal(last.name, 'frame_00120.exr');
  const exr = readExr(last.data);
  assert.deepEqual([exr.width, exr.height], [1280, 720]);
  const r = exr.channels.get('R')!;
  let peak = 0;
  let sum = 0;
  for (const v of r) {
    peak = Math.max(peak, v);
    sum += v;
  }
  assert.ok(peak > 1.5, `linear highlights above reference white (${peak})`);
  assert.ok(sum / r.length > 0.01 && sum / r.length < 2, 'plausible linear mean');
  // A standard reader agrees: ffmpeg's own EXR decoder opens the frame.
  const exrPath = join(dirname(zip), 'check.exr');
  await writeFile(exrPath, last.data);
  const decoded = await capture(FFMPEG, [
    '-v',
    'error',
    '-i',
    exrPath,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb48le',
    'pipe:1',
  ]);
  assert.equal(decoded.length, 1280 * 720 * 6);
});
