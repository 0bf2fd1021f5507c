// The Files API end to end THROUGH THE CLIENT LIBRARY (docs/contract.md, "The Files API"): `client.files.*` against a booted
// server, both upload modes of a ~10 MB video edited by file_id, every kind of source `files.upload`
// takes, list paging and filters, delete, and ingest failures surfacing as `FileFailedError`. The SDK's
// fetch is wrapped only to record which requests went out (the upload mode is a wire fact); every request
// still reaches the real server.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FileObject, GenerationCreateParams } from '@umbra/sdk';
import {
  APIError,
  FileFailedError,
  NotFoundError,
  Umbra,
  UmbraError,
  UnprocessableEntityError,
} from '@umbra/sdk';
import { png } from '../inputs/testing/image-fixtures.js';
import { heavyClip } from '../inputs/testing/video-fixtures.js';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';

const IMG = png(64, 48, { noisy: true });
const FAST = { pollInterval: 40, timeout: 60_000 };
const GEN_WAIT = { pollInterval: 50, timeout: 240_000 };

/** One request the client library sent: enough to tell the upload modes apart. */
interface Sent {
  method: string;
  path: string;
  contentType: string;
  authorized: boolean;
}

describe('Files API end to end through the client library', () => {
  let s: TestServer;
  let client: Umbra;
  let sent: Sent[] = [];
  let dir = '';
  let videoPath = '';
  let video = Buffer.alloc(0);
  before(async () => {
    s = await startTestServer();
    const record: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      sent.push({
        method: init?.method ?? 'GET',
        path: new URL(input instanceof Request ? input.url : input).pathname,
        // fetch writes the multipart content-type (with its boundary) itself, from a FormData body.
        contentType:
          headers.get('content-type') ?? (init?.body instanceof FormData ? 'multipart/form-data' : ''),
        authorized: headers.has('authorization'),
      });
      return fetch(input, init);
    };
    client = new Umbra({
      apiKey: OWNER_KEY,
      baseURL: s.baseURL,
      maxRetries: 0,
      timeout: 60_000,
      fetch: record,
    });
    dir = await mkdtemp(join(tmpdir(), 'umbra-files-sdk-e2e-'));
    videoPath = join(dir, 'heavy.mp4');
    await heavyClip(videoPath, 10);
    video = await readFile(videoPath);
  });
  after(async () => {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The requests sent since the last call, as `METHOD /path content-type`. */
  const drain = (): string[] => {
    const out = sent.map((r) => `${r.method} ${r.path} ${r.contentType.split(';')[0] ?? ''}`.trim());
    sent = [];
    return out;
  };
  const editOf = (fileId: string): GenerationCreateParams => ({
    prompt: 'rain at night',
    type: 'video_edit',
    source: { file_id: fileId },
    video: { resolution: '360p', edit: { strength: 'adhere_1' } },
  });
  const rejection = async (p: Promise<unknown>): Promise<unknown> => {
    try {
      await p;
    } catch (err) {
      return err;
    }
    return assert.fail('expected a rejection');
  };

  it('the ~10 MB fixture is over the inline threshold of files.upload', () => {
    assert.ok(video.length > 8_000_000 && video.length > 4 * 1024 * 1024, `${video.length} bytes`);
  });

  it('files.create with bytes goes multipart; the ~10 MB video is a video_edit source by file_id → completed (contract, Files API "Two upload modes" 1, "Referencing a file")', async () => {
    sent = [];
    const created = await client.files.create({ file: video, mime_type: 'video/mp4', filename: 'heavy.mp4' });
    assert.deepEqual(drain(), ['POST /v1/files multipart/form-data']);
    assert.equal(created.upload, null, 'no presigned envelope in multipart mode');
    assert.deepEqual([created.id, created.state], [created.file.id, 'pending']);
    const f = await client.files.wait(created.id, FAST);
    assert.deepEqual([f.state, f.size_bytes, f.filename], ['ready', video.length, 'heavy.mp4']);
    const g = await client.generations.createAndWait(editOf(f.id), GEN_WAIT);
    assert.equal(g.state, 'completed', g.failure_reason ?? '');
    assert.equal(g.output[0]?.type, 'video');
  });

  it('files.upload of a path above the threshold goes JSON → PUT → complete; that video is a video_edit source by file_id → completed (contract, Files API "Two upload modes" 2, "Referencing a file")', async () => {
    sent = [];
    const f = await client.files.upload(videoPath, {}, { ...FAST, wait: true });
    const [create, put, complete, ...polls] = sent;
    assert.deepEqual(
      [create, complete].map((r) => `${r?.method} ${r?.path} ${r?.authorized}`),
      ['POST /v1/files true', `POST /v1/files/${f.id}/complete true`],
    );
    assert.equal(create?.contentType, 'application/json');
    assert.equal(put?.method, 'PUT');
    assert.equal(put?.contentType, 'video/mp4', 'the envelope header, with the sniffed type');
    assert.equal(put?.authorized, false, 'no API key goes to the presigned URL');
    assert.ok(polls.every((r) => r.path === `/v1/files/${f.id}`));
    sent = [];
    assert.deepEqual(
      [f.state, f.mime_type, f.size_bytes, f.filename, f.purpose],
      ['ready', 'video/mp4', video.length, 'heavy.mp4', 'input'],
      'type sniffed, name from the path, size from the file, purpose defaulted',
    );
    const g = await client.generations.createAndWait(editOf(f.id), GEN_WAIT);
    assert.equal(g.state, 'completed', g.failure_reason ?? '');
  });

  it('files.upload of a Uint8Array goes inline and is an image_ref by file_id → completed (contract, Files API "Referencing a file")', async () => {
    sent = [];
    const bytes = new Uint8Array(IMG);
    const f = await client.files.upload(
      bytes,
      { purpose: 'reference', user_id: 'u-1' },
      { ...FAST, wait: true },
    );
    assert.deepEqual(drain().slice(0, 1), ['POST /v1/files multipart/form-data']);
    assert.deepEqual(
      [f.state, f.mime_type, f.purpose, f.user_id, f.filename],
      ['ready', 'image/png', 'reference', 'u-1', null],
    );
    const g = await client.generations.createAndWait(
      { prompt: 'a lighthouse', image_ref: [{ file_id: f.id }] },
      GEN_WAIT,
    );
    assert.equal(g.state, 'completed', g.failure_reason ?? '');
    // The same bytes with inlineThreshold 0 take the presigned path, replayable from memory.
    sent = [];
    const presigned = await client.files.upload(bytes, {}, { ...FAST, wait: true, inlineThreshold: 0 });
    const modes = drain();
    assert.equal(modes[0], 'POST /v1/files application/json');
    assert.match(modes[1] ?? '', /^PUT \S+ image\/png$/);
    assert.equal(modes[2], `POST /v1/files/${presigned.id}/complete`);
    assert.equal(presigned.state, 'ready');
  });

  it('files.upload of a Node stream: a long one is PUT as it is read (size_bytes given), a short one goes inline (contract, Files API "Two upload modes")', async () => {
    sent = [];
    const f = await client.files.upload(
      createReadStream(videoPath, { highWaterMark: 256 * 1024 }),
      { size_bytes: video.length, filename: 'streamed.mp4' },
      { ...FAST, wait: true },
    );
    const modes = drain();
    assert.equal(modes[0], 'POST /v1/files application/json');
    assert.match(modes[1] ?? '', /^PUT \S+ video\/mp4$/, 'type sniffed from the first chunk');
    assert.deepEqual(
      [f.state, f.size_bytes, f.mime_type, f.filename],
      ['ready', video.length, 'video/mp4', 'streamed.mp4'],
    );
    const small = await client.files.upload(
      Readable.from([IMG.subarray(0, 100), IMG.subarray(100)]),
      {},
      {
        ...FAST,
        wait: true,
      },
    );
    assert.deepEqual(drain().slice(0, 1), ['POST /v1/files multipart/form-data']);
    assert.deepEqual([small.state, small.size_bytes], ['ready', IMG.length]);
    const err = await rejection(client.files.upload(createReadStream(videoPath)));
    assert.ok(err instanceof UmbraError);
    assert.match(err.message, /needs its size_bytes/);
    assert.deepEqual(drain(), [], 'refused before anything was sent');
  });

  it('list pages with cursors (listAll and next_cursor by hand) and filters by purpose and state (contract, Files API "Objects" FileList)', async () => {
    const mine = s.clientFor(await s.newKey({ client: 'sdk-lister' }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await mine.files.create({
        mime_type: 'image/png',
        size_bytes: 10,
        purpose: i < 2 ? 'reference' : 'input',
      });
      assert.notEqual(r.upload, null);
      ids.push(r.id);
    }
    const ready = await mine.files.upload(IMG, { filename: 'ready.png' }, { ...FAST, wait: true });
    ids.push(ready.id);
    const newestFirst = [...ids].reverse();

    const all: string[] = [];
    for await (const f of mine.files.listAll({ limit: 2 })) all.push(f.id);
    assert.deepEqual(all, newestFirst, 'listAll follows next_cursor through three pages');

    const byHand: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    for (;;) {
      const page = await mine.files.list({ limit: 4, cursor });
      pages++;
      byHand.push(...page.data.map((f) => f.id));
      if (!page.has_more) {
        assert.equal(page.next_cursor, null, 'the last page has no cursor');
        break;
      }
      assert.equal(typeof page.next_cursor, 'string');
      cursor = page.next_cursor;
    }
    assert.deepEqual([pages, byHand], [2, newestFirst]);

    const collect = async (p: Parameters<typeof mine.files.listAll>[0]): Promise<string[]> => {
      const out: string[] = [];
      for await (const f of mine.files.listAll(p)) out.push(f.id);
      return out;
    };
    assert.deepEqual(await collect({ purpose: 'reference' }), [ids[1], ids[0]]);
    assert.deepEqual(await collect({ state: 'ready' }), [ready.id]);
    assert.deepEqual(await collect({ state: 'pending', purpose: 'input', limit: 1 }), [
      ids[4],
      ids[3],
      ids[2],
    ]);
    assert.deepEqual(await collect({ state: 'failed' }), []);
    const theirs = new Set(await collect({}));
    assert.equal(theirs.size, 6);
    const owners: string[] = [];
    for await (const f of s.client.files.listAll({ limit: 100 })) owners.push(f.id);
    assert.ok(!owners.some((id) => theirs.has(id)), "another client's list shows none of them");

    const err = await rejection(mine.files.list({ limit: 0 }));
    assert.ok(err instanceof UnprocessableEntityError);
    assert.equal(err.detail, 'limit: must be an integer between 1 and 100');
  });

  it('delete → 204, the file answers deleted, and a new reference → 422 file not found (contract, Files API "Routes", "Referencing a file")', async () => {
    const f = await client.files.upload(IMG, {}, { ...FAST, wait: true });
    assert.equal(await client.files.delete(f.id), undefined);
    const g = await client.files.get(f.id);
    assert.equal(g.state, 'deleted');
    assert.ok(typeof g.deleted_at === 'string');
    await client.files.delete(f.id);
    const listed: FileObject[] = [];
    for await (const x of client.files.listAll({ state: 'deleted' })) listed.push(x);
    assert.ok(listed.some((x) => x.id === f.id));

    const err = await rejection(client.generations.create({ prompt: 'p', image_ref: [{ file_id: f.id }] }));
    assert.ok(err instanceof UnprocessableEntityError);
    assert.deepEqual([err.status, err.detail], [422, 'image_ref[0]: file not found']);
    const waited = await rejection(client.files.wait(f.id, FAST));
    assert.ok(waited instanceof FileFailedError);
    assert.equal(waited.failureReason, null);
    assert.match(waited.message, /was deleted/);

    const missing = await rejection(client.files.get('00000000-0000-4000-8000-000000000000'));
    assert.ok(missing instanceof NotFoundError);
    assert.equal(missing.detail, 'File not found');
  });

  it('bytes that lie about mime_type → failed, and files.wait throws FileFailedError saying which (contract, Files API "Ingest")', async () => {
    const created = await client.files.create({ file: IMG, mime_type: 'video/mp4' });
    const err = await rejection(client.files.wait(created.id, FAST));
    assert.ok(err instanceof FileFailedError);
    const reason = 'type mismatch: the bytes are image/png, mime_type is video/mp4';
    assert.equal(err.failureReason, reason);
    assert.equal(err.file.state, 'failed');
    assert.equal(err.message, `file ${created.id} failed: ${reason}`);
    const f = await client.files.get(created.id);
    assert.deepEqual([f.state, f.failure_reason], ['failed', reason]);

    const viaUpload = await rejection(
      client.files.upload(IMG, { mime_type: 'image/jpeg' }, { ...FAST, wait: true }),
    );
    assert.ok(viaUpload instanceof FileFailedError);
    assert.equal(viaUpload.failureReason, 'type mismatch: the bytes are image/png, mime_type is image/jpeg');
    const ref = await rejection(
      client.generations.create({ prompt: 'p', type: 'image_edit', source: { file_id: created.id } }),
    );
    assert.ok(ref instanceof UnprocessableEntityError);
    assert.equal(ref.detail, 'source: file is not ready');
  });

  it('a size that differs from size_bytes → failed, size mismatch, inline and presigned; a PUT over it is refused (contract, Files API "Ingest")', async () => {
    const inline = await client.files.create({ file: IMG, mime_type: 'image/png', size_bytes: 12 });
    const err = await rejection(client.files.wait(inline.id, FAST));
    assert.ok(err instanceof FileFailedError);
    assert.equal(err.failureReason, `size mismatch: received ${IMG.length} bytes, size_bytes is 12`);

    const short = await rejection(
      client.files.upload(IMG, { size_bytes: IMG.length + 10 }, { ...FAST, wait: true, inlineThreshold: 0 }),
    );
    assert.ok(short instanceof FileFailedError);
    assert.equal(
      short.failureReason,
      `size mismatch: received ${IMG.length} bytes, size_bytes is ${IMG.length + 10}`,
    );

    sent = [];
    const over = await rejection(
      client.files.upload(IMG, { size_bytes: IMG.length - 10 }, { inlineThreshold: 0 }),
    );
    assert.ok(over instanceof APIError);
    assert.equal(over.status, 413, 'the presigned PUT route caps the body at size_bytes');
    assert.ok(!drain().some((r) => r.endsWith('/complete')), 'not completed after a refused PUT');
  });

  it('files.wait on a file whose bytes never came gives up with a timeout; the file stays pending (contract, Files API "Objects" FileState)', async () => {
    const created = await client.files.create({ mime_type: 'image/png', size_bytes: IMG.length });
    const err = await rejection(client.files.wait(created.id, { pollInterval: 20, timeout: 150 }));
    assert.ok(err instanceof UmbraError);
    assert.equal(err.name, 'APITimeoutError');
    assert.equal((await client.files.get(created.id)).state, 'pending');
  });
});
