// Building a request from flags: media sniffing, input kinds, type inference, keyframes. Pure but for
// reading small temp files.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Generation, WaitProgress } from '@umbra/sdk';
import type { GenerateFlags } from './request.js';
import { buildRequest, parseKeyframe, resolveType } from './request.js';
import { CliError, ExitCode } from './exit-codes.js';
import { sniffMediaType, toMediaRef } from './media-ref.js';
import { createProgress, progressBar, stateText } from './progress.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom0000')]);
const flags = (f: Partial<GenerateFlags> = {}): GenerateFlags => ({ ref: [], keyframe: [], ...f });
const ID = '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11';

describe('request building', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-req-'));
    await writeFile(join(dir, 'misnamed.jpg'), PNG);
    await writeFile(join(dir, 'clip.bin'), MP4);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('sniffs media types from magic bytes', () => {
    assert.equal(sniffMediaType(PNG), 'image/png');
    assert.equal(sniffMediaType(Buffer.from('ffd8ffe0', 'hex')), 'image/jpeg');
    assert.equal(sniffMediaType(Buffer.from('GIF89a')), 'image/gif');
    assert.equal(sniffMediaType(Buffer.from('RIFF0000WEBPVP8 ')), 'image/webp');
    assert.equal(sniffMediaType(MP4), 'video/mp4');
    assert.equal(sniffMediaType(Buffer.from('0000ftypqt  ')), 'video/quicktime');
    assert.equal(sniffMediaType(Buffer.from('1a45dfa3', 'hex')), 'video/webm');
    assert.equal(sniffMediaType(Buffer.from('hello')), null);
  });

  it('turns files, URLs, data: URIs and ids into ImageRefs', async () => {
    assert.deepEqual(await toMediaRef(join(dir, 'misnamed.jpg'), { flag: '--ref' }), {
      data: PNG.toString('base64'),
      media_type: 'image/png',
    });
    assert.deepEqual(await toMediaRef(ID, { flag: '--source' }), { generation_id: ID });
    assert.deepEqual(await toMediaRef('https://a.example/x.jpg', { flag: '--ref' }), {
      url: 'https://a.example/x.jpg',
    });
    assert.deepEqual(await toMediaRef('https://a.example/c.mov?sig=1', { flag: '--source' }), {
      url: 'https://a.example/c.mov?sig=1',
      media_type: 'video/quicktime',
    });
    assert.deepEqual(await toMediaRef('https://a.example/clip', { flag: '--source', videoUrl: true }), {
      url: 'https://a.example/clip',
      media_type: 'video/mp4',
    });
    assert.deepEqual(await toMediaRef('data:image/png;base64,iVBO', { flag: '--ref' }), {
      data: 'iVBO',
      media_type: 'image/png',
    });
  });

  it('sends only the given flags, and infers the type the flags imply', async () => {
    assert.deepEqual(await buildRequest('p', flags()), { prompt: 'p' });
    assert.deepEqual(
      await buildRequest('p', flags({ ratio: '9:16', style: 'manga', format: 'png', webSearch: true })),
      {
        prompt: 'p',
        aspect_ratio: '9:16',
        style: 'manga',
        output_format: 'png',
        web_search: true,
      },
    );
    const edit = await buildRequest('p', flags({ source: ID }));
    assert.equal(edit.type, 'image_edit');
    const videoEdit = await buildRequest('p', flags({ source: join(dir, 'clip.bin'), strength: 'flex_2' }));
    assert.equal(videoEdit.type, 'video_edit');
    assert.equal(videoEdit.source?.media_type, 'video/mp4');
    assert.deepEqual(videoEdit.video, { edit: { strength: 'flex_2' } });
    const video = await buildRequest(
      'p',
      flags({ duration: '10s', keyframe: ['0=https://a.example/k.png', `240=${ID}`] }),
    );
    assert.equal(video.type, 'video');
    assert.deepEqual(video.video, {
      duration: '10s',
      keyframes: [{ url: 'https://a.example/k.png' }, { generation_id: ID }],
      keyframe_indexes: [0, 240],
    });
    const editKeys = await buildRequest(
      'p',
      flags({ type: 'video_edit', source: ID, keyframe: [`3=${ID}`] }),
    );
    assert.deepEqual(editKeys.video, { edit: { keyframes: [{ generation_id: ID }], keyframe_indexes: [3] } });
    assert.deepEqual(parseKeyframe('12=a=b.png'), [12, 'a=b.png']);
    for (const bad of ['=a.png', '-1=a.png', '1.5=a.png', '3=', 'a.png'])
      assert.throws(() => parseKeyframe(bad));
  });

  it('infers the type before reading any input in full: from --source, from video flags, else image', async () => {
    const infer = (f: Partial<GenerateFlags>): Promise<unknown> => resolveType(flags(f));
    assert.deepEqual(await infer({}), { type: 'image', origin: 'default' });
    assert.deepEqual(await infer({ type: 'video_reframe' }), { type: 'video_reframe', origin: 'flag' });
    assert.deepEqual(await infer({ resolution: '540p' }), { type: 'video', origin: 'video flags' });
    assert.deepEqual(await infer({ source: ID }), { type: 'image_edit', origin: 'source' });
    assert.deepEqual(await infer({ source: `file:${ID}` }), { type: 'image_edit', origin: 'source' });
    assert.deepEqual(await infer({ source: join(dir, 'misnamed.jpg') }), {
      type: 'image_edit',
      origin: 'source',
    });
    assert.deepEqual(await infer({ source: join(dir, 'clip.bin') }), {
      type: 'video_edit',
      origin: 'source',
    });
    assert.deepEqual(await infer({ source: 'https://a.example/c.mp4' }), {
      type: 'video_edit',
      origin: 'source',
    });
    assert.deepEqual(await infer({ source: 'https://a.example/c.png' }), {
      type: 'image_edit',
      origin: 'source',
    });
    assert.deepEqual(await infer({ source: 'data:video/mp4;base64,AAAA' }), {
      type: 'video_edit',
      origin: 'source',
    });
    await assert.rejects(infer({ source: join(dir, 'nope.png') }), /--source .*nope\.png: no such file/);
  });

  it('sends the closed-set values a model/type accepts, typed as given', async () => {
    const video = await buildRequest(
      'p',
      flags({ type: 'video', ratio: '21:9', resolution: '1080p', duration: '10s', style: 'auto' }),
    );
    assert.deepEqual(video, {
      prompt: 'p',
      type: 'video',
      aspect_ratio: '21:9',
      style: 'auto',
      video: { resolution: '1080p', duration: '10s' },
    });
    const image = await buildRequest('p', flags({ model: 'uni-1-max', ratio: '3:1', format: 'jpeg' }));
    assert.deepEqual(image, { prompt: 'p', model: 'uni-1-max', aspect_ratio: '3:1', output_format: 'jpeg' });
  });

  it('refuses a value the model/type does not take before any input is uploaded', async () => {
    const uploads: string[] = [];
    const upload = (path: string): Promise<string> => {
      uploads.push(path);
      return Promise.resolve(ID);
    };
    const refused = async (f: Partial<GenerateFlags>, message: RegExp): Promise<void> => {
      await assert.rejects(
        buildRequest('p', flags({ inlineLimit: 0, ...f }), upload),
        (err: unknown) =>
          err instanceof CliError && err.exitCode === ExitCode.usage && message.test(err.message),
      );
    };
    await refused(
      { source: join(dir, 'misnamed.jpg'), ratio: '21:9' },
      /^--ratio 21:9 is not accepted by uni-1 \(default\) for type image_edit \(from --source\); accepted: 3:1,/,
    );
    await refused(
      { source: join(dir, 'clip.bin'), ref: [join(dir, 'misnamed.jpg')], format: 'png' },
      /^--format png is not accepted by ray-3\.2 \(default\) for type video_edit \(from --source\); --format is for uni-1, uni-1-max/,
    );
    await refused(
      { startFrame: join(dir, 'misnamed.jpg'), strength: 'adhere_1' },
      /^--strength adhere_1 .* type video/,
    );
    assert.deepEqual(uploads, [], 'nothing was uploaded');
    const ok = await buildRequest(
      'p',
      flags({ inlineLimit: 0, source: join(dir, 'misnamed.jpg'), ratio: '2:1' }),
      upload,
    );
    assert.deepEqual(ok.source, { file_id: ID }, 'an accepted value goes on to the upload');
    assert.equal(uploads.length, 1);
  });

  it('progress: plain lines per state change off a terminal, one redrawn line on a terminal', () => {
    let t = 0;
    const g = (state: Generation['state']): Generation => ({
      id: ID,
      type: 'image',
      model: 'uni-1',
      state,
      created_at: '',
      output: [],
      failure_code: null,
      failure_reason: null,
    });
    const plain: string[] = [];
    const p = createProgress({ write: (s) => plain.push(s) > 0, isTTY: false }, { now: () => t });
    p.update(g('queued'));
    t = 1500;
    p.update(g('processing'));
    p.update(g('processing'));
    t = 3000;
    p.update(g('completed'));
    p.stop(g('completed'));
    assert.deepEqual(plain, [`${ID} queued 0.0s\n`, `${ID} processing 1.5s\n`, `${ID} completed 3.0s\n`]);

    const tty: string[] = [];
    t = 0;
    const q = createProgress({ write: (s) => tty.push(s) > 0, isTTY: true }, { now: () => t });
    q.update(g('queued'));
    t = 2000;
    q.stop(g('completed'));
    assert.ok(
      tty.every((s) => s.startsWith('\r\x1b[2K')),
      'every write redraws the same line',
    );
    assert.match(tty[0] ?? '', /queued 0\.0s$/);
    assert.equal(tty.at(-1), `\r\x1b[2K✔ ${ID} completed in 2.0s\n`);
  });

  it('progress on a terminal: the queue position while queued, then a real percentage bar', () => {
    const g = (state: Generation['state']): Generation => ({
      id: ID,
      type: 'image',
      model: 'uni-1',
      state,
      created_at: '',
      output: [],
      failure_code: null,
      failure_reason: null,
    });
    const live = (progress: number | null, queuePosition: number | null): WaitProgress => ({
      progress,
      queuePosition,
      via: 'stream',
    });
    const tty: string[] = [];
    const q = createProgress({ write: (s) => tty.push(s) > 0, isTTY: true }, { now: () => 0 });
    q.update(g('queued'));
    q.update(g('queued'), live(0, 3));
    assert.match(tty.at(-1) ?? '', / queued \(#3 in line\) 0\.0s$/);
    q.update(g('processing'), live(0.42, null));
    assert.match(tty.at(-1) ?? '', / processing █{8}▍░{11} {2}42% 0\.0s$/);
    // A server without progress (the hosted API): the state alone, as before.
    q.update(g('processing'), { progress: null, queuePosition: null, via: 'poll' });
    assert.match(tty.at(-1) ?? '', / processing 0\.0s$/);
    q.stop(g('completed'));

    assert.equal(progressBar(0), `${'░'.repeat(20)}   0%`);
    assert.equal(progressBar(1), `${'█'.repeat(20)} 100%`);
    assert.equal(progressBar(0.999), `${'█'.repeat(20)}  99%`);
    assert.equal(stateText(g('failed'), live(0.5, null)), 'failed');
  });
});
