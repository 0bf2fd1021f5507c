// `umbra files …` and the upload path of `umbra generate`, as a user runs them: the built CLI as a
// subprocess against a real server, checking what the user sees and what the server then holds (read back
// through the client library). Which requests each upload mode sends is shown on the wire by the server's
// files-sdk e2e test; the CLI's uploads are that same `files.upload` call.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileList, FileObject, Generation } from '@umbra/sdk';
import { Umbra } from '@umbra/sdk';
import type { RunResult, Server } from './test/harness.js';
import { KEY, startServer, tempDir, umbra } from './test/harness.js';
import { noisyPng } from './test/png.js';

const FAST = ['--poll-interval', '40'];
const SMALL = noisyPng(64, 48);
// Noise does not compress: ~4.3 MB, just above the 4 MiB inline threshold, so it goes by presigned PUT.
const BIG = noisyPng(1300, 1100);
const TINY = noisyPng(4, 4);

describe('umbra files (built CLI, real server)', () => {
  let server: Server;
  let client: Umbra;
  let dir: { path: string; remove(): Promise<void> };
  const run = (args: string[]): Promise<RunResult> => umbra(server, args, { cwd: dir.path });
  const path = (name: string): string => join(dir.path, name);
  before(async () => {
    server = await startServer();
    client = new Umbra({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
    dir = await tempDir('umbra-cli-files-');
    assert.ok(BIG.length > 4 * 1024 * 1024 && TINY.length < 1000 && SMALL.length > 1000);
    await writeFile(path('small.png'), SMALL);
    await writeFile(path('big.png'), BIG);
    await writeFile(path('tiny.png'), TINY);
    await writeFile(path('corrupt.png'), SMALL.subarray(0, SMALL.length >> 1));
    await writeFile(path('notes.txt'), 'hello');
  });
  after(async () => {
    await server.stop();
    await dir.remove();
  });

  it('files upload --wait: a small file inline, ready, with the flags it was given', async () => {
    const r = await run([
      'files',
      'upload',
      path('small.png'),
      '--purpose',
      'reference',
      '--wait',
      '--json',
      ...FAST,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(r.stdout) as FileObject;
    assert.deepEqual(
      [f.state, f.purpose, f.mime_type, f.filename, f.size_bytes],
      ['ready', 'reference', 'image/png', 'small.png', SMALL.length],
    );
    assert.match(r.stderr, new RegExp(`^${f.id} ready$`, 'm'));
    assert.deepEqual(await client.files.get(f.id), f, 'the server holds what the CLI printed');
  });

  it('files upload: a file over 4 MiB goes by presigned PUT; prints the id, and the file becomes ready', async () => {
    const r = await run(['files', 'upload', path('big.png')]);
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const f = await client.files.wait(id, { pollInterval: 40, timeout: 60_000 });
    assert.deepEqual([f.state, f.size_bytes, f.filename], ['ready', BIG.length, 'big.png']);
  });

  it('files list pages with a cursor hint and filters; get shows a file; delete soft-deletes it', async () => {
    const r = await run(['files', 'list', '--state', 'ready', '--limit', '1']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const id = lines[0]?.split(/\s+/)[0] ?? '';
    assert.match(lines[0] ?? '', new RegExp(`ready +input +image/png +${BIG.length} .* big\\.png$`));
    const cursor = /^more: umbra files list --cursor (\S+)$/m.exec(r.stderr)?.[1] ?? '';
    assert.notEqual(cursor, '', r.stderr);
    const page = await run([
      'files',
      'list',
      '--json',
      '--state',
      'ready',
      '--limit',
      '1',
      '--cursor',
      cursor,
    ]);
    assert.equal(page.code, 0, page.stderr);
    const next = JSON.parse(page.stdout) as FileList;
    assert.deepEqual(
      [next.data.map((f) => f.filename), next.has_more, next.next_cursor],
      [['small.png'], false, null],
    );
    const refs = await run(['files', 'list', '--purpose', 'reference']);
    assert.match(refs.stdout, /^\S+ +ready +reference .*small\.png\n$/);

    const shown = await run(['files', 'get', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^state +ready$/m);
    assert.match(shown.stdout, /^filename +big\.png$/m);
    const del = await run(['files', 'delete', id]);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, `deleted ${id}\n`);
    const gone = await run(['files', 'get', id]);
    assert.equal(gone.code, 0, gone.stderr);
    assert.match(gone.stdout, /^state +deleted$/m);
    assert.match(gone.stdout, /^deleted +\d{4}-/m);
    const ref = await run(['generate', 'p', '--source', `file:${id}`, '--no-wait']);
    assert.equal(ref.code, 4, ref.stderr);
    assert.match(ref.stderr, /source: file not found/);
    const missing = await run(['files', 'get', '00000000-0000-4000-8000-000000000000']);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /^umbra: File not found \(HTTP 404, request id [0-9a-f-]{36}\)$/m);
  });

  it('exit codes: 5 when ingest fails with --wait (the reason printed), 2 for usage errors', async () => {
    const failed = await run(['files', 'upload', path('corrupt.png'), '--wait', ...FAST]);
    assert.equal(failed.code, 5, failed.stderr);
    assert.match(failed.stderr, /failed: corrupt: /);
    const missing = await run(['files', 'upload', path('nope.png')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const text = await run(['files', 'upload', path('notes.txt')]);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /not a PNG, JPEG/);
    assert.equal((await run(['files', 'list', '--limit', '0'])).code, 2);
    assert.equal((await run(['files', 'list', '--state', 'gone'])).code, 2);
  });

  it('generate sends a local input over --inline-limit as a file_id and completes; one under it stays base64', async () => {
    const before = (await client.files.list({ limit: 100 })).data.length;
    const r = await run([
      'generate',
      'the same at night',
      '--source',
      path('small.png'),
      '--ref',
      path('tiny.png'),
      '--inline-limit',
      '1000',
      '--json',
      ...FAST,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const { generation } = JSON.parse(r.stdout) as { generation: Generation };
    assert.deepEqual([generation.type, generation.state], ['image_edit', 'completed']);
    const uploaded = [...r.stderr.matchAll(/^uploaded (.*) as file (\S+)$/gm)];
    assert.deepEqual(
      uploaded.map((m) => m[1]),
      [path('small.png')],
      'only the input over the limit is uploaded',
    );
    const f = await client.files.get(uploaded[0]?.[2] ?? '');
    assert.deepEqual([f.state, f.purpose, f.size_bytes], ['ready', 'input', SMALL.length]);
    assert.equal((await client.files.list({ limit: 100 })).data.length, before + 1);

    const again = await run(['generate', 'p', '--source', `file:${f.id}`, '--json', '-q', ...FAST]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { generation: Generation }).generation.state, 'completed');
  });
});
