// `umbra files …` and the upload path of `umbra generate`, as a user runs them: the built CLI as a
// subprocess against an in-memory Files API (the server's own lands separately), checking what reached
// the wire and what the user sees.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileList, FileObject, GenerationCreateParams } from '@umbra/sdk';
import type { FakeFilesApi } from './test/fake-files-api.js';
import { startFakeFilesApi } from './test/fake-files-api.js';
import type { RunResult } from './test/harness.js';
import { tempDir, umbra } from './test/harness.js';

const png = (size: number): Buffer => {
  const b = Buffer.alloc(size, 3);
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(b);
  return b;
};

describe('umbra files (built CLI, in-memory Files API)', () => {
  let api: FakeFilesApi;
  let dir: { path: string; remove(): Promise<void> };
  const run = (args: string[]): Promise<RunResult> =>
    umbra(null, args, { env: { LUMA_BASE_URL: api.baseURL } });
  const small = (): string => join(dir.path, 'small.png');
  const big = (): string => join(dir.path, 'big.png');
  before(async () => {
    api = await startFakeFilesApi();
    dir = await tempDir('umbra-cli-files-');
    await writeFile(small(), png(2_000));
    // Just above the 4 MiB inline threshold: goes by presigned PUT.
    await writeFile(big(), png(4 * 1024 * 1024 + 10));
    await writeFile(join(dir.path, 'corrupt.png'), png(100));
    await writeFile(join(dir.path, 'notes.txt'), 'hello');
  });
  after(async () => {
    await api.close();
    await dir.remove();
  });

  it('uploads a small file inline and waits until it is ready', async () => {
    api.requests.length = 0;
    const r = await run([
      'files',
      'upload',
      small(),
      '--purpose',
      'reference',
      '--wait',
      '--json',
      '--poll-interval',
      '20',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(r.stdout) as FileObject;
    assert.equal(f.state, 'ready');
    assert.equal(f.purpose, 'reference');
    assert.equal(f.mime_type, 'image/png');
    assert.equal(f.filename, 'small.png');
    assert.match(r.stderr, new RegExp(`^${f.id} ready$`, 'm'));
    const [create] = api.requests;
    assert.match(String(create?.headers['content-type']), /^multipart\/form-data/);
    assert.ok(api.files.get(f.id)?.bytes?.equals(png(2_000)));
  });

  it('uploads a large file by presigned PUT and complete; prints the id', async () => {
    api.requests.length = 0;
    const r = await run(['files', 'upload', big()]);
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assert.deepEqual(
      api.requests.map((q) => `${q.method} ${q.url.split('?')[0] ?? ''}`),
      ['POST /v1/files', `PUT /bucket/${id}`, `POST /v1/files/${id}/complete`],
    );
    assert.equal(api.requests[1]?.headers['content-type'], 'image/png');
    assert.equal(api.requests[1]?.headers.authorization, undefined);
    assert.ok(api.files.get(id)?.bytes?.equals(png(4 * 1024 * 1024 + 10)));
  });

  it('lists a page with filters and a cursor hint, shows one file, and deletes it', async () => {
    const r = await run(['files', 'list', '--state', 'ready', '--limit', '1']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const id = lines[0]?.split(/\s+/)[0] ?? '';
    assert.match(lines[0] ?? '', /ready +input +image\/png +4194314 .* big\.png$/);
    assert.match(r.stderr, /^more: umbra files list --cursor 1$/m);
    assert.ok(api.requests.at(-1)?.url.endsWith('/v1/files?limit=1&state=ready'));
    const page = await run(['files', 'list', '--json', '--cursor', '1', '--limit', '1']);
    assert.equal((JSON.parse(page.stdout) as FileList).data[0]?.filename, 'small.png');

    const shown = await run(['files', 'get', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^state +ready$/m);
    assert.match(shown.stdout, /^filename +big\.png$/m);
    const del = await run(['files', 'delete', id]);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, `deleted ${id}\n`);
    assert.equal(api.requests.at(-1)?.method, 'DELETE');
    const gone = await run(['files', 'get', id]);
    assert.equal(gone.code, 4);
    assert.match(gone.stderr, /File not found \(HTTP 404\)/);
  });

  it('exit codes: 5 when ingest fails with --wait, 2 for usage errors', async () => {
    const failed = await run([
      'files',
      'upload',
      join(dir.path, 'corrupt.png'),
      '--wait',
      '--poll-interval',
      '20',
    ]);
    assert.equal(failed.code, 5, failed.stderr);
    assert.match(failed.stderr, /failed: input image could not be decoded/);
    const missing = await run(['files', 'upload', join(dir.path, 'nope.png')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const text = await run(['files', 'upload', join(dir.path, 'notes.txt')]);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /not a PNG, JPEG/);
    const limit = await run(['files', 'list', '--limit', '0']);
    assert.equal(limit.code, 2);
    const state = await run(['files', 'list', '--state', 'gone']);
    assert.equal(state.code, 2);
  });

  it('generate uploads inputs above --inline-limit and references them by file_id; small ones stay base64', async () => {
    api.generations.length = 0;
    const r = await run([
      'generate',
      'the same at night',
      '--source',
      big(),
      '--ref',
      small(),
      '--no-wait',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const body = api.generations[0] as GenerationCreateParams;
    const fileId = body.source?.file_id ?? '';
    assert.equal(body.type, 'image_edit', 'inferred from the uploaded file type');
    assert.deepEqual(body.source, { file_id: fileId });
    assert.equal(api.files.get(fileId)?.file.state, 'ready', 'waited until ready before generating');
    assert.equal(api.files.get(fileId)?.file.purpose, 'input');
    assert.match(r.stderr, new RegExp(`^uploaded .*big\\.png as file ${fileId}$`, 'm'));
    assert.deepEqual(body.image_ref, [{ data: png(2_000).toString('base64'), media_type: 'image/png' }]);

    api.generations.length = 0;
    const low = await run(['generate', 'p', '--ref', small(), '--inline-limit', '100', '--no-wait', '-q']);
    assert.equal(low.code, 0, low.stderr);
    assert.equal(low.stderr, '');
    const ref = (api.generations[0] as GenerationCreateParams).image_ref?.[0]?.file_id ?? '';
    assert.equal(api.files.get(ref)?.file.purpose, 'reference', '--ref uploads as reference');

    api.generations.length = 0;
    const byId = await run(['generate', 'p', '--source', `file:${fileId}`, '--no-wait']);
    assert.equal(byId.code, 0, byId.stderr);
    assert.deepEqual((api.generations[0] as GenerationCreateParams).source, { file_id: fileId });
  });
});
