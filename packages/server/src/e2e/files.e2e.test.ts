// The Files API end to end (docs/contract.md, "The Files API"), driven with plain fetch against a booted server: both upload
// modes, ingest outcomes (good, lying, short, corrupt, huge), list paging, delete, expiry, foreign files.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { png } from '../inputs/testing/image-fixtures.js';
import { FilesClient } from '../testing/files-client.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const IMG = png(64, 48, { noisy: true });

describe('Files API end to end', () => {
  let s: TestServer;
  let files: FilesClient;
  let stranger: FilesClient;
  before(async () => {
    s = await startTestServer();
    files = new FilesClient(s);
    stranger = new FilesClient(s, await s.newKey({ client: 'stranger' }));
  });
  after(async () => {
    await s.stop();
  });

  describe('multipart (inline) uploads (contract, Files API "Two upload modes" 1)', () => {
    it('201 with upload null and the file pending, then ready; headers as on generations', async () => {
      const r = await files.upload(IMG, { mime_type: 'image/png', filename: 'a.png', user_id: 'u-7' });
      assert.equal(r.status, 201);
      assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(r.headers.get('x-api-version'), '2026-04-01');
      assert.equal(r.body.upload, null);
      assert.equal(r.body.id, r.body.file.id);
      assert.equal(r.body.state, 'pending');
      assert.deepEqual(Object.keys(r.body.file), [
        'id',
        'created_at',
        'mime_type',
        'purpose',
        'size_bytes',
        'state',
        'deleted_at',
        'expires_at',
        'failure_reason',
        'filename',
        'user_id',
      ]);
      const f = await files.settled(r.body.id);
      assert.equal(f.state, 'ready');
      assert.equal(f.size_bytes, IMG.length);
      assert.equal(f.purpose, 'input', 'purpose defaults to input');
      assert.deepEqual([f.filename, f.user_id, f.failure_reason, f.deleted_at], ['a.png', 'u-7', null, null]);
      assert.match(f.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('fields after the file part count too; a wrong field answers 422 and keeps nothing', async () => {
      const form = new FormData();
      form.append('file', new Blob([IMG]), 'x.png');
      form.append('mime_type', 'image/png');
      form.append('purpose', 'reference');
      const res = await fetch(`${s.baseURL}/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${(s.config.apiKey ?? '').toString()}` },
        body: form,
      });
      assert.equal(res.status, 201);
      const created = (await res.json()) as { file: { purpose: string } };
      assert.equal(created.file.purpose, 'reference');
      const bad = await files.upload(IMG, { mime_type: 'application/pdf' });
      assert.equal(bad.status, 422);
      assert.match(bad.body.detail ?? '', /^mime_type: must be one of: image\/png/);
      const none = await files.upload(null, { mime_type: 'image/png' });
      assert.deepEqual([none.status, none.body.detail], [422, 'file is required']);
    });

    it('over 50 MB → 413 while streaming', async () => {
      const r = await files.upload(Buffer.alloc(52_428_801, 1), { mime_type: 'image/png' });
      assert.equal(r.status, 413);
      assert.match(r.body.detail ?? '', /^file exceeds 50 MB limit/);
    });

    it('a malformed multipart body → 400', async () => {
      const res = await fetch(`${s.baseURL}/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.config.apiKey ?? ''}`, 'content-type': 'multipart/form-data' },
        body: 'no boundary here',
      });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { detail: 'Request body is not valid multipart/form-data' });
    });
  });

  describe('JSON (presigned) uploads (contract, Files API "Two upload modes" 2)', () => {
    it('201 with a PUT envelope; PUT, complete → the file at once, then ready', async () => {
      const r = await files.create({ mime_type: 'image/png', size_bytes: IMG.length, purpose: 'reference' });
      assert.equal(r.status, 201);
      const up = r.body.upload;
      assert.ok(up);
      assert.equal(up.method, 'PUT');
      assert.equal(up.headers['content-type'], 'image/png');
      assert.ok(Date.parse(up.expires_at) > Date.now());
      const early = await files.complete(r.body.id);
      assert.equal(early.status, 409, 'nothing was PUT yet');
      assert.equal(await files.put(r.body, IMG), 200);
      const done = await files.complete(r.body.id);
      assert.equal(done.status, 200);
      assert.ok(['pending', 'ready'].includes(done.body.state));
      const f = await files.settled(r.body.id);
      assert.deepEqual([f.state, f.size_bytes, f.purpose], ['ready', IMG.length, 'reference']);
      assert.equal((await files.complete(r.body.id)).body.state, 'ready', 'complete again just answers');
    });

    it('a PUT over size_bytes is refused (413); fewer bytes end failed with a size mismatch', async () => {
      const r = await files.create({ mime_type: 'image/png', size_bytes: IMG.length + 10 });
      assert.equal(await files.put(r.body, Buffer.concat([IMG, Buffer.alloc(11)])), 413);
      assert.equal(await files.put(r.body, IMG), 200);
      await files.complete(r.body.id);
      const f = await files.settled(r.body.id);
      assert.equal(f.state, 'failed');
      assert.equal(
        f.failure_reason,
        `size mismatch: received ${IMG.length} bytes, size_bytes is ${IMG.length + 10}`,
      );
    });

    it("validation answers 422 in the generation validators' style; size_bytes over 5 GiB is refused", async () => {
      const r = await files.create({ mime_type: 'video/mp4', size_bytes: 5 * 1024 ** 3 + 1 });
      assert.deepEqual([r.status, r.body.detail], [422, 'size_bytes: must be between 1 and 5368709120']);
      const past = await files.create({
        mime_type: 'video/mp4',
        size_bytes: 1,
        expires_at: '2020-01-01T00:00:00Z',
      });
      assert.deepEqual([past.status, past.body.detail], [422, 'expires_at: must be in the future']);
      const res = await s.raw('POST', '/v1/files', { body: '{not json' });
      assert.deepEqual([res.status, await res.json()], [400, { detail: 'Request body is not valid JSON' }]);
    });
  });

  describe('ingest outcomes (contract, Files API "Ingest")', () => {
    it('bytes that lie about their type → failed, type mismatch', async () => {
      const f = await files.uploadSettled(IMG, { mime_type: 'video/mp4' }, 'failed');
      assert.equal(f.failure_reason, 'type mismatch: the bytes are image/png, mime_type is video/mp4');
      const txt = await files.uploadSettled(Buffer.from('hello'), { mime_type: 'image/jpeg' }, 'failed');
      assert.match(
        txt.failure_reason ?? '',
        /^type mismatch: the bytes are not a recognised image or video format/,
      );
    });

    it('a declared size_bytes that differs from the part → failed, size mismatch', async () => {
      const f = await files.uploadSettled(IMG, { mime_type: 'image/png', size_bytes: '12' }, 'failed');
      assert.equal(f.failure_reason, `size mismatch: received ${IMG.length} bytes, size_bytes is 12`);
      assert.equal(f.size_bytes, IMG.length, 'size_bytes is the size of what was stored');
    });

    it('truncated image bytes → failed, corrupt', async () => {
      const half = IMG.subarray(0, Math.floor(IMG.length / 2));
      const f = await files.uploadSettled(half, { mime_type: 'image/png' }, 'failed');
      assert.match(f.failure_reason ?? '', /^corrupt: /);
    });

    it('a decompression bomb → failed, too large', async () => {
      const f = await files.uploadSettled(
        png(20000, 20000, { depth: 1 }),
        { mime_type: 'image/png' },
        'failed',
      );
      assert.match(f.failure_reason ?? '', /^too large: /);
    });
  });

  describe('list, delete, expiry and ownership', () => {
    it('lists newest first in keyset pages, with purpose and state filters (contract, Files API "Objects" FileList)', async () => {
      const key = await s.newKey({ client: 'lister' });
      const mine = new FilesClient(s, key);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await mine.create({
          mime_type: 'image/png',
          size_bytes: 10,
          purpose: i < 2 ? 'reference' : 'input',
        });
        ids.push(r.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page++) {
        const r = await mine.list({ limit: '2', ...(cursor === null ? {} : { cursor }) });
        assert.equal(r.status, 200);
        seen.push(...r.body.data.map((f) => f.id));
        assert.equal(r.body.has_more, seen.length < 5);
        cursor = r.body.next_cursor;
        if (!r.body.has_more) {
          assert.equal(cursor, null);
          break;
        }
      }
      assert.deepEqual(seen, [...ids].reverse());
      const refs = await mine.list({ purpose: 'reference' });
      assert.deepEqual(
        refs.body.data.map((f) => f.id),
        [ids[1], ids[0]],
      );
      await mine.delete(ids[4] ?? '');
      const deleted = await mine.list({ state: 'deleted' });
      assert.deepEqual(
        deleted.body.data.map((f) => f.id),
        [ids[4]],
      );
      assert.equal((await mine.list({ state: 'pending' })).body.data.length, 4);
      assert.deepEqual(
        [(await mine.list({ limit: '0' })).status, (await mine.list({ cursor: 'x' })).status],
        [422, 422],
      );
      assert.deepEqual((await stranger.list({ state: 'deleted' })).body.data, [], 'another client sees none');
    });

    it('DELETE → 204 with no body; the file answers deleted; deleting again is fine', async () => {
      const f = await files.uploadSettled(IMG, { mime_type: 'image/png' }, 'ready');
      const d = await files.delete(f.id);
      assert.deepEqual([d.status, d.body], [204, null]);
      const g = await files.get(f.id);
      assert.equal(g.body.state, 'deleted');
      assert.ok(g.body.deleted_at !== null);
      assert.equal((await files.delete(f.id)).status, 204);
      assert.equal((await files.complete(f.id)).status, 409);
    });

    it('past expires_at a file answers like a deleted one, before any janitor pass', async () => {
      const expires = new Date(Date.now() + 1500).toISOString();
      const f = await files.uploadSettled(IMG, { mime_type: 'image/png', expires_at: expires }, 'ready');
      await new Promise((r) => setTimeout(r, 1600));
      const g = await files.get(f.id);
      assert.equal(g.body.state, 'deleted');
      assert.equal(g.body.deleted_at, g.body.expires_at);
      assert.ok((await files.list({ state: 'deleted' })).body.data.some((x) => x.id === f.id));
    });

    it("another client's file answers exactly like a missing one: 404 File not found", async () => {
      const f = await files.uploadSettled(IMG, { mime_type: 'image/png' }, 'ready');
      for (const call of [
        () => stranger.get(f.id),
        () => stranger.complete(f.id),
        () => stranger.delete(f.id),
        () => files.get('00000000-0000-4000-8000-000000000000'),
        () => files.get('not-a-uuid'),
      ]) {
        const r = await call();
        assert.deepEqual([r.status, r.body], [404, { detail: 'File not found' }]);
      }
      assert.equal((await files.get(f.id)).body.state, 'ready', 'untouched');
    });

    it('auth and rate limits as on generations: 401 without a key; RPM counts file creation', async () => {
      const res = await fetch(`${s.baseURL}/files`);
      assert.equal(res.status, 401);
      const limited = new FilesClient(s, await s.newKey({ client: 'rpm-1', rpm: 1 }));
      const first = await limited.create({ mime_type: 'image/png', size_bytes: 1 });
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('x-ratelimit-limit'), '1');
      const second = await limited.create({ mime_type: 'image/png', size_bytes: 1 });
      assert.deepEqual([second.status, second.body.detail], [429, 'Rate limit exceeded']);
    });
  });
});
