// The Files API client against a loopback server: the exact requests of each call (method, path, headers,
// JSON and multipart bodies), 204 deletes, typed errors, paging, and upload's two modes — inline multipart
// and presigned PUT + complete — with a Blob, a path and a stream, and waiting for ingest.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import {
  APIError,
  APITimeoutError,
  FileFailedError,
  NotFoundError,
  PermissionDeniedError,
  UmbraError,
  UnprocessableEntityError,
} from './errors.js';
import type { FileObject } from './file-types.js';
import type { Received, ScriptedServer } from './testing/scripted-server.js';
import { fileObject, startScriptedServer } from './testing/scripted-server.js';

const FILE_ID = '0f1e2d3c-4b5a-4697-8877-665544332211';
/** A PNG signature and header, padded: enough for the sniffer. */
const png = (size: number): Buffer => {
  const b = Buffer.alloc(size, 7);
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(b);
  return b;
};

/** Parses a recorded multipart body with the platform's own parser. */
const formOf = (r: Received | undefined): Promise<FormData> =>
  new Response(r?.raw, { headers: { 'content-type': String(r?.headers['content-type']) } }).formData();

const created = (state: 'pending', upload: object | null, extra: object = {}): object => ({
  id: FILE_ID,
  state,
  file: fileObject(state, extra),
  upload,
});

describe('files API calls', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-files', baseURL: srv.baseURL });
  });
  after(() => srv.close());

  it('create without bytes posts JSON and returns the presigned envelope', async () => {
    const upload = {
      url: `${srv.origin}/put/x?sig=1`,
      method: 'PUT',
      headers: { 'content-type': 'video/mp4' },
      expires_at: '2026-04-08T13:00:00Z',
    };
    srv.script({ status: 201, body: created('pending', upload, { mime_type: 'video/mp4' }) });
    const r = await client.files.create({
      mime_type: 'video/mp4',
      size_bytes: 123_456,
      purpose: 'reference',
      filename: 'clip.mp4',
      user_id: 'u-1',
      expires_at: '2026-05-01T00:00:00Z',
    });
    assert.equal(r.id, FILE_ID);
    assert.deepEqual(r.upload, upload);
    assert.equal(r.file.mime_type, 'video/mp4');
    const [req] = srv.received;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/v1/files');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.headers.authorization, 'Bearer luma-api-files');
    assert.deepEqual(JSON.parse(req?.body ?? ''), {
      mime_type: 'video/mp4',
      size_bytes: 123_456,
      purpose: 'reference',
      filename: 'clip.mp4',
      user_id: 'u-1',
      expires_at: '2026-05-01T00:00:00Z',
    });
  });

  it('create with bytes posts multipart: a `file` part and the other params as form fields', async () => {
    srv.script({ status: 201, body: created('pending', null) });
    const bytes = png(64);
    const r = await client.files.create({ mime_type: 'image/png', purpose: 'input', file: bytes });
    assert.equal(r.upload, null);
    const [req] = srv.received;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/v1/files');
    assert.match(String(req?.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.equal(req?.headers.authorization, 'Bearer luma-api-files');
    const form = await formOf(req);
    assert.deepEqual(
      [...form.keys()].sort(),
      ['file', 'mime_type', 'purpose', 'size_bytes'],
      'no empty fields are sent',
    );
    assert.equal(form.get('mime_type'), 'image/png');
    assert.equal(form.get('size_bytes'), '64', 'size defaults to the bytes given');
    assert.equal(form.get('purpose'), 'input');
    const part = form.get('file');
    assert.ok(part instanceof File);
    assert.equal(part.type, 'image/png');
    assert.equal(part.name, 'upload');
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytes));

    // A File lends its name to the part; an explicit filename wins and travels as a field too.
    srv.script({ status: 201, body: created('pending', null) });
    await client.files.create({
      mime_type: 'image/png',
      file: new File([bytes], 'photo.png'),
      filename: 'renamed.png',
    });
    const named = await formOf(srv.received[0]);
    assert.equal(named.get('filename'), 'renamed.png');
    assert.equal((named.get('file') as File).name, 'renamed.png');
  });

  it('get, complete and delete hit their routes; delete takes a 204 with no body', async () => {
    srv.script(
      { status: 200, body: fileObject('ready') },
      { status: 200, body: fileObject('pending') },
      (_req, res) => res.writeHead(204).end(),
    );
    assert.equal((await client.files.get(FILE_ID)).state, 'ready');
    assert.equal((await client.files.complete(FILE_ID)).state, 'pending');
    assert.equal(await client.files.delete('a b'), undefined);
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url} ${r.body}`),
      [`GET /v1/files/${FILE_ID} `, `POST /v1/files/${FILE_ID}/complete `, 'DELETE /v1/files/a%20b '],
    );
    assert.ok(srv.received.every((r) => r.headers['content-type'] === undefined));
  });

  it('maps {"detail": …} answers to the typed errors', async () => {
    srv.script({ status: 404, body: { detail: 'File not found' }, headers: { 'x-request-id': 'rid-9' } });
    const nf = await client.files.get('nope').catch((e: unknown) => e);
    assert.ok(nf instanceof NotFoundError);
    assert.equal(nf.detail, 'File not found');
    assert.equal(nf.requestId, 'rid-9');
    srv.script({ status: 404, body: { detail: 'File not found' } });
    await assert.rejects(client.files.delete(FILE_ID), NotFoundError);
    srv.script({ status: 422, body: { detail: 'mime_type: unsupported media type' } });
    const bad = await client.files
      .create({ mime_type: 'text/plain', size_bytes: 3 })
      .catch((e: unknown) => e);
    assert.ok(bad instanceof UnprocessableEntityError);
    assert.equal(bad.detail, 'mime_type: unsupported media type');
    srv.script({ status: 413, body: { detail: 'file: larger than 52428800 bytes' } });
    const big = await client.files.create({ mime_type: 'image/png', file: png(16) }).catch((e: unknown) => e);
    assert.ok(big instanceof APIError);
    assert.equal(big.status, 413);
  });

  it('list sends only the given filters; listAll follows next_cursor to the last page', async () => {
    srv.script({ status: 200, body: { data: [], has_more: false, next_cursor: null } });
    await client.files.list();
    await client.files.list({ limit: 10, purpose: 'reference', state: 'ready', cursor: 'c/1' });
    assert.deepEqual(
      srv.received.map((r) => r.url),
      ['/v1/files', '/v1/files?cursor=c%2F1&limit=10&purpose=reference&state=ready'],
    );
    const f = (n: number): object => fileObject('ready', { id: `id-${n}` });
    srv.script(
      { status: 200, body: { data: [f(1), f(2)], has_more: true, next_cursor: 'k2' } },
      { status: 200, body: { data: [f(3)], has_more: true, next_cursor: 'k3' } },
      { status: 200, body: { data: [f(4)], has_more: false, next_cursor: null } },
    );
    const ids: string[] = [];
    for await (const file of client.files.listAll({ state: 'ready', limit: 2 })) ids.push(file.id);
    assert.deepEqual(ids, ['id-1', 'id-2', 'id-3', 'id-4']);
    assert.deepEqual(
      srv.received.map((r) => r.url),
      [
        '/v1/files?limit=2&state=ready',
        '/v1/files?cursor=k2&limit=2&state=ready',
        '/v1/files?cursor=k3&limit=2&state=ready',
      ],
    );
    // has_more without a cursor cannot be followed: stop rather than loop.
    srv.script({ status: 200, body: { data: [f(5)], has_more: true } });
    const once: string[] = [];
    for await (const file of client.files.listAll()) once.push(file.id);
    assert.deepEqual(once, ['id-5']);
    assert.equal(srv.received.length, 1);
  });

  it('wait polls until ready, throws FileFailedError with failure_reason, and times out', async () => {
    srv.script(
      { status: 200, body: fileObject('pending') },
      { status: 200, body: fileObject('pending') },
      { status: 200, body: fileObject('ready') },
    );
    const seen: string[] = [];
    const ready = await client.files.wait(FILE_ID, {
      pollInterval: 1,
      onProgress: (f) => seen.push(f.state),
    });
    assert.equal(ready.state, 'ready');
    assert.deepEqual(seen, ['pending', 'pending', 'ready']);
    srv.script({ status: 200, body: fileObject('failed', { failure_reason: 'bytes are not a PNG' }) });
    const err = await client.files.wait(fileObject('pending') as FileObject).catch((e: unknown) => e);
    assert.ok(err instanceof FileFailedError && err instanceof UmbraError);
    assert.equal(err.failureReason, 'bytes are not a PNG');
    assert.equal(err.file.state, 'failed');
    assert.match(err.message, /bytes are not a PNG/);
    srv.script({ status: 200, body: fileObject('deleted') });
    const gone = await client.files.wait(FILE_ID).catch((e: unknown) => e);
    assert.ok(gone instanceof FileFailedError);
    assert.equal(gone.failureReason, null);
    srv.script({ status: 200, body: fileObject('pending') });
    await assert.rejects(client.files.wait(FILE_ID, { pollInterval: 2, timeout: 20 }), APITimeoutError);
  });
});

describe('files.upload', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  let dir: string;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-up', baseURL: srv.baseURL });
    dir = await mkdtemp(join(tmpdir(), 'umbra-sdk-up-'));
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });
  const envelope = (): object => ({
    url: `${srv.origin}/bucket/key?X-Amz-Signature=abc`,
    method: 'PUT',
    headers: { 'content-type': 'image/png', 'x-amz-meta-owner': 'c1' },
    expires_at: '2026-04-08T13:00:00Z',
  });
  /** The three steps of a presigned upload: create (JSON), the PUT to the bucket, complete. */
  const presignedScript = (): void =>
    srv.script(
      { status: 201, body: created('pending', envelope()) },
      { status: 200, body: '' },
      { status: 200, body: fileObject('pending') },
    );
  const assertPresigned = (size: number, bytes: Buffer): void => {
    const [create, put, complete] = srv.received;
    assert.equal(srv.received.length, 3);
    assert.equal(create?.url, '/v1/files');
    assert.equal(create?.headers['content-type'], 'application/json');
    assert.equal((JSON.parse(create?.body ?? '{}') as { size_bytes: number }).size_bytes, size);
    assert.equal(put?.method, 'PUT');
    assert.equal(put?.url, '/bucket/key?X-Amz-Signature=abc');
    assert.equal(put?.headers['content-type'], 'image/png');
    assert.equal(put?.headers['x-amz-meta-owner'], 'c1');
    assert.equal(put?.headers.authorization, undefined, 'the presigned URL carries its own credentials');
    assert.equal(put?.headers['x-stainless-lang'], undefined, 'no API headers on the object store');
    assert.equal(put?.headers['content-length'], String(size), 'object stores need the length up front');
    assert.equal(put?.headers['transfer-encoding'], undefined);
    assert.ok(put?.raw.equals(bytes), 'the PUT body is the bytes');
    assert.equal(complete?.method, 'POST');
    assert.equal(complete?.url, `/v1/files/${FILE_ID}/complete`);
  };

  it('sends small bytes inline with a sniffed mime_type, and can wait until ready', async () => {
    srv.script(
      { status: 201, body: created('pending', null) },
      { status: 200, body: fileObject('pending') },
      { status: 200, body: fileObject('ready') },
    );
    const bytes = png(300);
    const f = await client.files.upload(bytes, { purpose: 'reference' }, { wait: true, pollInterval: 1 });
    assert.equal(f.state, 'ready');
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url}`),
      ['POST /v1/files', `GET /v1/files/${FILE_ID}`, `GET /v1/files/${FILE_ID}`],
    );
    const form = await formOf(srv.received[0]);
    assert.equal(form.get('mime_type'), 'image/png', 'sniffed from the bytes');
    assert.equal(form.get('size_bytes'), '300');
    assert.equal(form.get('purpose'), 'reference');
    assert.ok(Buffer.from(await (form.get('file') as File).arrayBuffer()).equals(bytes));
  });

  it('sends a path above the threshold by presigned PUT with exactly the envelope headers, then completes', async () => {
    const bytes = png(50_000);
    const path = join(dir, 'big-photo.png');
    await writeFile(path, bytes);
    presignedScript();
    const f = await client.files.upload(path, {}, { inlineThreshold: 10_000 });
    assert.equal(f.state, 'pending', 'without wait, the completed file as it is');
    assertPresigned(bytes.length, bytes);
    assert.deepEqual(JSON.parse(srv.received[0]?.body ?? ''), {
      mime_type: 'image/png',
      size_bytes: 50_000,
      filename: 'big-photo.png',
    });
  });

  it('retries a failed PUT of a path (the file is read again) but not a stream', async () => {
    const bytes = png(20_000);
    const path = join(dir, 'retry.png');
    await writeFile(path, bytes);
    srv.script(
      { status: 201, body: created('pending', envelope()) },
      { status: 503, body: 'busy', headers: { 'retry-after-ms': '1' } },
      { status: 200, body: '' },
      { status: 200, body: fileObject('pending') },
    );
    await client.files.upload(path, {}, { inlineThreshold: 0 });
    const puts = srv.received.filter((r) => r.method === 'PUT');
    assert.equal(puts.length, 2);
    assert.ok(puts.every((p) => p.raw.equals(bytes)));

    srv.script(
      { status: 201, body: created('pending', envelope()) },
      { status: 503, body: 'busy', headers: { 'retry-after-ms': '1' } },
    );
    const err = await client.files
      .upload(createReadStream(path), { size_bytes: bytes.length }, { inlineThreshold: 100 })
      .catch((e: unknown) => e);
    assert.ok(err instanceof APIError && err.status === 503, String(err));
    assert.equal(srv.received.filter((r) => r.method === 'PUT').length, 1, 'a stream is sent only once');
  });

  it('streams a Node readable above the threshold, pulling it only as the PUT sends it', async () => {
    const chunk = png(1000);
    let pulled = 0;
    let pulledAtCreate = -1;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield chunk;
        await Promise.resolve();
      }
    }
    srv.script(
      (req, res) => {
        pulledAtCreate = pulled;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(created('pending', envelope())));
        void req;
      },
      { status: 200, body: '' },
      { status: 200, body: fileObject('pending') },
    );
    await client.files.upload(source(), { size_bytes: 200_000 }, { inlineThreshold: 4_000 });
    assert.ok(
      pulledAtCreate >= 1 && pulledAtCreate <= 6,
      `read ahead ${pulledAtCreate} chunks before the PUT`,
    );
    assert.equal(pulled, 200);
    assertPresigned(200_000, Buffer.concat(Array.from({ length: 200 }, () => chunk)));
  });

  it('a short stream without a size goes inline; a long one without a size is refused before any request', async () => {
    srv.script({ status: 201, body: created('pending', null) });
    const small = png(500);
    await client.files.upload(new Blob([small]).stream(), { mime_type: 'image/png' });
    const form = await formOf(srv.received[0]);
    assert.equal(form.get('size_bytes'), '500');
    srv.script({ status: 500, body: { detail: 'must not be called' } });
    await assert.rejects(
      client.files.upload(new Blob([png(5000)]).stream(), {}, { inlineThreshold: 1000 }),
      (e: unknown) => e instanceof UmbraError && /size_bytes/.test(e.message),
    );
    assert.equal(srv.received.length, 0);
  });

  it('refuses bytes of unknown type without mime_type, and stops at a failed PUT', async () => {
    srv.script({ status: 500, body: { detail: 'must not be called' } });
    await assert.rejects(
      client.files.upload(Buffer.from('just some text')),
      (e: unknown) => e instanceof UmbraError && /mime_type/.test(e.message),
    );
    assert.equal(srv.received.length, 0);
    srv.script(
      { status: 201, body: created('pending', envelope()) },
      { status: 403, body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' },
    );
    await assert.rejects(
      client.files.upload(new Blob([png(2000)], { type: 'image/png' }), {}, { inlineThreshold: 1000 }),
      PermissionDeniedError,
    );
    assert.deepEqual(
      srv.received.map((r) => r.method),
      ['POST', 'PUT'],
      'complete is not called after a failed PUT',
    );
  });

  it('with wait, a file that fails ingest throws FileFailedError', async () => {
    srv.script(
      { status: 201, body: created('pending', null) },
      { status: 200, body: fileObject('failed', { failure_reason: 'size differs from size_bytes' }) },
    );
    const err = await client.files.upload(png(100), {}, { wait: true }).catch((e: unknown) => e);
    assert.ok(err instanceof FileFailedError);
    assert.equal(err.failureReason, 'size differs from size_bytes');
  });
});
