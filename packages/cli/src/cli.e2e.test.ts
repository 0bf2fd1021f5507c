// `umbra generate|get|wait` as a user runs them: the built CLI as a subprocess (stdout/stderr are pipes,
// so this is the non-TTY output) against a real server rendering real images.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Generation } from '@umbra/sdk';
import type { Server } from './test/harness.js';
import { startServer, tempDir, umbra } from './test/harness.js';

const FAST = ['--poll-interval', '50'];
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const UUID = /^[0-9a-f-]{36}$/;

interface JsonResult {
  generation: Generation;
  files: { type: string; path: string; bytes: number; content_type: string | null }[];
}

describe('umbra generate / get / wait (built CLI, real server)', () => {
  let server: Server;
  /** No worker: jobs stay queued, for requests that only need to be accepted. */
  let queued: Server;
  let dir: { path: string; remove(): Promise<void> };
  before(async () => {
    server = await startServer();
    queued = await startServer({ UMBRA_ROLE: 'api' });
    dir = await tempDir('umbra-cli-');
  });
  after(async () => {
    await server.stop();
    await queued.stop();
    await dir.remove();
  });

  it('generates an image, shows plain progress lines, and saves it where --out says', async () => {
    const out = join(dir.path, 'lighthouse.png');
    const r = await umbra(server, [
      'generate',
      'a lighthouse on a cliff at sunset',
      '--ratio',
      '16:9',
      '--out',
      out,
      ...FAST,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `saved ${out}\n`);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0] ?? '', /^[0-9a-f-]{36} queued \d+\.\ds$/);
    assert.match(lines.at(-1) ?? '', / completed \d+\.\ds$/);
    assert.ok(
      !r.stderr.includes('\r') && !r.stderr.includes('\u001b['),
      'no terminal control codes off a TTY',
    );
    assert.ok((await readFile(out)).subarray(0, 4).equals(PNG));
  });

  it('edits a local file (sent as base64) and a generation id; --json prints the generation and files', async () => {
    const src = join(dir.path, 'lighthouse.png');
    const r = await umbra(
      server,
      ['generate', 'the same at night', '--source', src, '--format', 'jpeg', '--json', '-q', ...FAST],
      {
        cwd: dir.path,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', '--quiet');
    const j = JSON.parse(r.stdout) as JsonResult;
    assert.equal(j.generation.type, 'image_edit', 'inferred from --source');
    assert.equal(j.generation.state, 'completed');
    assert.equal(j.files.length, 1);
    assert.equal(j.files[0]?.content_type, 'image/jpeg');
    assert.equal(
      j.files[0]?.path,
      `${j.generation.id}.jpg`,
      'default name: <id>.<ext> in the current directory',
    );
    const saved = await readFile(join(dir.path, j.files[0]?.path ?? ''));
    assert.equal(saved.length, j.files[0]?.bytes);
    assert.equal(saved[0], 0xff);

    const chained = await umbra(server, [
      'generate',
      'in pencil',
      '--type',
      'image_edit',
      '--source',
      j.generation.id,
      '--ref',
      src,
      '--out',
      `${dir.path}/`,
      '--json',
      ...FAST,
    ]);
    assert.equal(chained.code, 0, chained.stderr);
    const c = JSON.parse(chained.stdout) as JsonResult;
    assert.equal(c.files[0]?.path, join(dir.path, `${c.generation.id}.png`));
  });

  it('--no-wait prints the id; get shows it; wait saves it', async () => {
    const created = await umbra(server, ['generate', 'a red fox in the snow', '--no-wait']);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, UUID);
    const shown = await umbra(server, ['get', id]);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, new RegExp(`^id +${id}\\n`));
    assert.match(shown.stdout, /^state +(queued|processing|completed)$/m);
    const waited = await umbra(server, ['wait', id, '--out', join(dir.path, 'fox'), ...FAST]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout, `saved ${join(dir.path, 'fox')}\n`);
    const json = await umbra(server, ['get', id, '--json']);
    const g = JSON.parse(json.stdout) as Generation;
    assert.equal(g.state, 'completed');
    assert.equal(g.output[0]?.type, 'image');
    const urls = await umbra(server, ['wait', id, '--no-download']);
    assert.match(urls.stdout, /^image http:\/\/127\.0\.0\.1:\d+\/files\//);
  });

  it('renders a video; a failed generation prints its failure code and exits 5', async () => {
    const clip = join(dir.path, 'waves.mp4');
    const r = await umbra(server, [
      'generate',
      'waves rolling in',
      '--type',
      'video',
      '--resolution',
      '360p',
      '--out',
      clip,
      '--json',
      ...FAST,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as JsonResult;
    assert.equal(j.generation.state, 'completed');
    assert.equal(j.generation.output[0]?.type, 'video');
    assert.equal(j.files[0]?.path, clip);
    assert.equal((await readFile(clip)).subarray(4, 8).toString(), 'ftyp');
    const inferred = await umbra(server, [
      'generate',
      'waves',
      '--resolution',
      '360p',
      '--duration',
      '5',
      // Nothing to save here: without --out the clip would land in the working directory.
      '--no-download',
      '--json',
      ...FAST,
    ]);
    assert.equal(inferred.code, 0, inferred.stderr);
    assert.equal(
      (JSON.parse(inferred.stdout) as JsonResult).generation.type,
      'video',
      'video flags imply type video',
    );

    // A PNG cut off after its signature: accepted at submit, undecodable in the worker.
    const broken = join(dir.path, 'broken.png');
    await writeFile(broken, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const failed = await umbra(server, ['generate', 'brighter', '--source', broken, '--json', ...FAST]);
    assert.equal(failed.code, 5, failed.stderr);
    assert.match(failed.stderr, /failed \(corrupt_input\): source: input image could not be decoded/);
    const f = JSON.parse(failed.stdout) as JsonResult;
    assert.equal(f.generation.failure_code, 'corrupt_input');
    assert.deepEqual(f.files, []);
  });

  it('exits 4 with the server detail for rejected requests, 3 for auth problems', async () => {
    // Each value is one the image model takes; together they break a rule only the server checks.
    const bad = await umbra(server, ['generate', 'x', '--style', 'manga', '--ratio', '16:9']);
    assert.equal(bad.code, 4);
    assert.match(
      bad.stderr,
      /^umbra: style 'manga' requires a portrait aspect_ratio \(2:3, 9:16, 1:2 or 1:3\) \(HTTP 400, request id [\w-]+\)\n$/,
    );
    const missing = await umbra(server, ['get', '00000000-0000-4000-8000-000000000000']);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /Generation not found \(HTTP 404/);
    const wrongKey = await umbra(server, ['get', 'x', '--api-key', 'luma-api-nope']);
    assert.equal(wrongKey.code, 3);
    assert.match(wrongKey.stderr, /Invalid API key \(HTTP 401/);
    const noKey = await umbra(server, ['get', 'x'], { env: { LUMA_AGENTS_API_KEY: '' } });
    assert.equal(noKey.code, 3);
    assert.match(noKey.stderr, /No API key/);
  });

  it('exits 2 for usage errors before sending anything', async () => {
    await writeFile(join(dir.path, 'notes.txt'), 'hello');
    const cases: [string[], RegExp][] = [
      [['generate', 'x', '--bogus'], /unknown option '--bogus'/],
      [['generate'], /missing required argument 'prompt'/],
      [['generate', 'x', '--type', 'gif'], /Allowed choices are image/],
      [['generate', 'x', '--duration', '7s'], /--duration 7s is not accepted .*; accepted: 5s, 10s$/m],
      [['generate', 'x', '--source', join(dir.path, 'nope.png')], /no such file/],
      [['generate', 'x', '--ref', join(dir.path, 'notes.txt')], /not a PNG, JPEG/],
      [['generate', 'x', '--keyframe', 'first=a.png'], /INDEX=FILE/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = await umbra(server, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('refuses a value the model/type does not take, with exit 2 and the accepted values, sending nothing', async () => {
    // The address cannot be reached: a request would exit 6, so exit 2 shows that nothing was sent.
    const offline = ['--base-url', 'http://127.0.0.1:9/v1'];
    const clip = join(dir.path, 'clip.mp4');
    await writeFile(clip, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom0000')]));
    const cases: [string[], string][] = [
      [
        ['--ratio', '21:9'],
        '--ratio 21:9 is not accepted by uni-1 (default) for type image (default); accepted: 3:1, 2:1, 16:9, 3:2, 1:1, 2:3, 9:16, 1:2, 1:3',
      ],
      [
        ['--model', 'uni-1-max', '--ratio', '4:3'],
        '--ratio 4:3 is not accepted by uni-1-max for type image (default); accepted: 3:1, 2:1, 16:9, 3:2, 1:1, 2:3, 9:16, 1:2, 1:3',
      ],
      [
        ['--type', 'video', '--ratio', '2:1'],
        '--ratio 2:1 is not accepted by ray-3.2 (default) for type video; accepted: 9:16, 3:4, 1:1, 4:3, 16:9, 21:9',
      ],
      [
        ['--source', clip, '--format', 'png'],
        '--format png is not accepted by ray-3.2 (default) for type video_edit (from --source); --format is for uni-1, uni-1-max (image, image_edit)',
      ],
      [
        ['--format', 'webp'],
        '--format webp is not accepted by uni-1 (default) for type image (default); accepted: png, jpeg',
      ],
      [
        ['--type', 'video', '--style', 'manga'],
        '--style manga is not accepted by ray-3.2 (default) for type video; accepted: auto',
      ],
      [
        ['--resolution', '4k'],
        '--resolution 4k is not accepted by ray-3.2 (default) for type video (from the video flags); accepted: 360p, 540p, 720p, 1080p',
      ],
      [
        ['--type', 'image', '--resolution', '720p'],
        '--resolution 720p is not accepted by uni-1 (default) for type image; --resolution is for ray-3.2 (video, video_edit, video_reframe)',
      ],
      [
        ['--duration', '15'],
        '--duration 15s is not accepted by ray-3.2 (default) for type video (from the video flags); accepted: 5s, 10s',
      ],
      [
        ['--strength', 'flex_2'],
        '--strength flex_2 is not accepted by ray-3.2 (default) for type video (from the video flags); --strength is for ray-3.2 (video_edit)',
      ],
      [
        ['--source', clip, '--strength', 'flex_9'],
        '--strength flex_9 is not accepted by ray-3.2 (default) for type video_edit (from --source); accepted: adhere_1, adhere_2, adhere_3, flex_1, flex_2, flex_3, reimagine_1, reimagine_2, reimagine_3',
      ],
      [['--model', 'ray-3.14'], '--model ray-3.14 is not a model; accepted: uni-1, uni-1-max, ray-3.2'],
      [
        ['--model', 'ray-3.2', '--ratio', '21:9'],
        '--model ray-3.2 does not make type image (default); accepted for image: uni-1, uni-1-max',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await umbra(null, ['generate', 'x', ...args, ...offline]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, `umbra: ${message}\n`, args.join(' '));
    }
  });

  it('sends the values a model/type takes: 4:3 and 21:9 for video, 3:1 for images', async () => {
    const cases = [
      ['--type', 'video', '--ratio', '4:3', '--resolution', '360p', '--duration', '10'],
      ['--type', 'video', '--ratio', '21:9', '--resolution', '360p'],
      ['--model', 'uni-1-max', '--ratio', '3:1', '--format', 'jpeg', '--style', 'auto'],
      ['--ratio', '1:3', '--style', 'manga'],
    ];
    for (const args of cases) {
      const r = await umbra(queued, ['generate', 'x', ...args, '--no-wait']);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout.trim(), UUID);
    }
  });

  it('generate --help lists the accepted values by model and type', async () => {
    const r = await umbra(null, ['generate', '--help']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^Accepted values by model \(type\); anything else is refused before the request is sent:$/m,
    );
    assert.match(
      r.stdout,
      /^ {2}--ratio {7}uni-1, uni-1-max \(image, image_edit\): 3:1 2:1 16:9 3:2 1:1 2:3 9:16 1:2 1:3$/m,
    );
    assert.match(
      r.stdout,
      /^ {16}ray-3\.2 \(video, video_edit, video_reframe\): 9:16 3:4 1:1 4:3 16:9 21:9$/m,
    );
    assert.match(r.stdout, /^ {2}--format {6}uni-1, uni-1-max \(image, image_edit\): png jpeg$/m);
    assert.match(r.stdout, /^ {2}--strength {4}ray-3\.2 \(video_edit\): adhere_1 /m);
    assert.doesNotMatch(r.stdout, /choices: "3:1"/, 'no flat list of every ratio');
  });

  it('exits 6 when the server cannot be reached', async () => {
    const r = await umbra(null, ['get', 'x', '--base-url', 'http://127.0.0.1:9/v1']);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /^umbra: Connection error/);
  });

  it('has --help on every command, from the one definition', async () => {
    for (const cmd of [
      [],
      ['generate'],
      ['get'],
      ['wait'],
      ['list'],
      ['serve'],
      ['seed'],
      ['keys'],
      ['keys', 'create'],
      ['keys', 'list'],
      ['keys', 'revoke'],
    ]) {
      const r = await umbra(null, [...cmd, '--help']);
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: umbra${cmd.map((c) => ` ${c}`).join('')}`));
    }
    const top = await umbra(null, ['--help']);
    assert.match(top.stdout, /Exit codes:/);
    assert.ok((await stat(join(dir.path, 'lighthouse.png'))).size > 0);
  });
});
