// The one behavioural contract of the BlobStore port: every adapter runs this suite against real storage,
// its URLs fetched with plain fetch() as a client would (the disk store's served by its HTTP plugin, the
// bucket's by the bucket). node:test's describe/it return promises the runner awaits itself.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { BlobStore } from '../blob-store.js';

export interface BlobStoreUnderTest {
  store: BlobStore;
  /** One of the store's signed URLs pointed somewhere else that is not this store (another origin, bucket). */
  lookalike(url: string): string;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const readAll = async (r: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** The signature (any 64-hex query value) with one character changed. */
const tamperSignature = (url: string): string => {
  const u = new URL(url);
  let changed = false;
  for (const [k, v] of [...u.searchParams]) {
    if (/^[0-9a-f]{64}$/.test(v)) {
      u.searchParams.set(k, (v[0] === 'a' ? 'b' : 'a') + v.slice(1));
      changed = true;
    }
  }
  assert.ok(changed, 'the URL carries a hex signature');
  return u.toString();
};

/** `size` deterministic pseudo-random bytes made as they are read, and their hash once all are read. */
function generated(size: number): { stream: Readable; hash: () => string } {
  const hash = createHash('sha256');
  let left = size;
  let x = 0x9e3779b9;
  let digest = '';
  const stream = new Readable({
    read() {
      if (left === 0) {
        digest = hash.digest('hex');
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(Math.min(64 * 1024, left));
      for (let i = 0; i < chunk.length; i += 4) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        chunk.writeUInt32LE(x >>> 0, i);
      }
      left -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, hash: () => digest };
}

/** A stream that gives `before` bytes and then fails. */
const failing = (before: number): Readable =>
  Readable.from(
    (function* () {
      for (let sent = 0; sent < before; sent += 1024 * 1024) yield Buffer.alloc(1024 * 1024, 7);
      throw new Error('source broke');
    })(),
  );

export function runBlobStoreConformance(name: string, open: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let s!: BlobStoreUnderTest;
    let store!: BlobStore;
    let dir = '';
    const key = (file = 'blob.bin'): string => `conformance/${randomUUID()}/${file}`;
    const BYTES = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

    before(async () => {
      s = await open();
      store = s.store;
      dir = await mkdtemp(join(tmpdir(), 'umbra-blob-conformance-'));
    });
    after(async () => {
      await s?.close();
      await rm(dir, { recursive: true, force: true });
    });

    describe('bytes', () => {
      it('puts a buffer, a file and a stream; stats, reads ranges, downloads, deletes', async () => {
        const k = key('a.png');
        assert.equal(await store.stat(k), null);
        assert.deepEqual(await store.putBuffer(k, BYTES, 'image/png'), {
          size: BYTES.length,
          contentType: 'image/png',
        });
        assert.deepEqual(await store.stat(k), { size: BYTES.length, contentType: 'image/png' });
        assert.deepEqual(await readAll(await store.read(k)), BYTES);
        assert.equal((await readAll(await store.read(k, { start: 2, end: 5 }))).toString(), '2345');
        assert.equal((await readAll(await store.read(k, { start: 35, end: 35 }))).toString(), 'z');
        const dest = join(dir, randomUUID(), 'nested', 'copy.png');
        await store.download(k, dest);
        assert.deepEqual(await readFile(dest), BYTES);

        const src = join(dir, 'src.mp4');
        await writeFile(src, BYTES.subarray(0, 10));
        const f = key('b.mp4');
        assert.deepEqual(await store.putFile(f, src, 'video/mp4'), { size: 10, contentType: 'video/mp4' });
        const st = key('c.json');
        assert.deepEqual(await store.putStream(st, Readable.from([BYTES, BYTES]), 'application/json'), {
          size: BYTES.length * 2,
          contentType: 'application/json',
        });
        assert.deepEqual(await readAll(await store.read(st)), Buffer.concat([BYTES, BYTES]));

        // Putting again replaces.
        await store.putBuffer(k, Buffer.from('new'), 'image/jpeg');
        assert.deepEqual(await store.stat(k), { size: 3, contentType: 'image/jpeg' });

        await store.delete(k);
        assert.equal(await store.stat(k), null);
        await store.delete(k);
        await store.delete(key());
        await assert.rejects(store.read(k).then(readAll));
        assert.deepEqual(await store.stat(f), { size: 10, contentType: 'video/mp4' });
      });

      it('keeps the content type as given, not the one of the extension', async () => {
        const k = key('picture.png');
        await store.putBuffer(k, BYTES, 'application/x-umbra-test');
        assert.equal((await store.stat(k))?.contentType, 'application/x-umbra-test');
        const res = await fetch(await store.signedUrl(k, Date.now() + HOUR));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/x-umbra-test');
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), BYTES);
      });

      it('keeps nothing of a stream that fails, early or after several megabytes', async () => {
        for (const before of [0, 9 * 1024 * 1024]) {
          const k = key();
          await assert.rejects(store.putStream(k, failing(before), 'video/mp4'), /source broke/);
          assert.equal(await store.stat(k), null, `nothing kept after ${before} bytes`);
        }
      });

      it('stores a 20 MB stream as it comes, byte for byte', async () => {
        const k = key('large.bin');
        const size = 20 * 1024 * 1024;
        const g = generated(size);
        assert.deepEqual(await store.putStream(k, g.stream, 'application/octet-stream'), {
          size,
          contentType: 'application/octet-stream',
        });
        assert.equal((await store.stat(k))?.size, size);
        assert.equal(sha256(await readAll(await store.read(k))), g.hash());
        const dest = join(dir, 'large.bin');
        await store.download(k, dest);
        assert.equal(sha256(await readFile(dest)), g.hash());
        await store.delete(k);
      });
    });

    describe('signed URLs', () => {
      it('serve the bytes with their type to plain fetch, ranges included (206)', async () => {
        const k = key('clip.mp4');
        await store.putBuffer(k, BYTES, 'video/mp4');
        const url = await store.signedUrl(k, Date.now() + HOUR);
        const whole = await fetch(url);
        assert.equal(whole.status, 200);
        assert.equal(whole.headers.get('content-type'), 'video/mp4');
        assert.deepEqual(Buffer.from(await whole.arrayBuffer()), BYTES);
        const part = await fetch(url, { headers: { range: 'bytes=10-14' } });
        assert.equal(part.status, 206);
        assert.equal(part.headers.get('content-range'), `bytes 10-14/${BYTES.length}`);
        assert.equal(await part.text(), 'abcde');
      });

      it('are refused (403) when the signature, the key or the expiry is not the signed one', async () => {
        const k = key('x.png');
        const other = key('y.png');
        await store.putBuffer(k, BYTES, 'image/png');
        await store.putBuffer(other, BYTES, 'image/png');
        const url = await store.signedUrl(k, Date.now() + HOUR);
        const tampered = await fetch(tamperSignature(url));
        assert.equal(tampered.status, 403);
        await tampered.body?.cancel();
        const swapped = await fetch(url.replace(k, other));
        assert.equal(swapped.status, 403);
        await swapped.body?.cancel();
        const unsigned = await fetch(url.slice(0, url.indexOf('?')));
        assert.equal(unsigned.status, 403);
        await unsigned.body?.cancel();
        const expired = await fetch(await store.signedUrl(k, Date.now() - 60_000));
        assert.equal(expired.status, 403);
        await expired.body?.cancel();
      });

      it('are recognised as the store’s own: valid, expired, invalid or foreign', async () => {
        const k = key('own.png');
        await store.putBuffer(k, BYTES, 'image/png');
        const now = Date.now();
        const url = await store.signedUrl(k, now + HOUR);
        assert.deepEqual(await store.ownUrl(url, now), { kind: 'valid', key: k });
        assert.deepEqual(await store.ownUrl(url, now + 2 * HOUR), { kind: 'expired' });
        assert.deepEqual(await store.ownUrl(await store.signedUrl(k, now - 60_000), now), {
          kind: 'expired',
        });
        assert.deepEqual(await store.ownUrl(tamperSignature(url), now), { kind: 'invalid' });
        assert.deepEqual(await store.ownUrl(url.replace(k, key('own.png')), now), { kind: 'invalid' });
        assert.deepEqual(await store.ownUrl(url.slice(0, url.indexOf('?')), now), { kind: 'invalid' });
        for (const foreign of [
          s.lookalike(url),
          'http://127.0.0.1:9/files/own.png?expires=1&signature=00',
          'https://example.com/own.png',
          'not a url',
        ]) {
          assert.deepEqual(await store.ownUrl(foreign, now), { kind: 'foreign' }, foreign);
        }
      });
    });

    describe('upload targets', () => {
      it('take one PUT with the given headers and keep the declared type', async () => {
        const k = key('out.png');
        const t = await store.uploadTarget(k, {
          expiresAt: Date.now() + HOUR,
          contentType: 'image/png',
          maxBytes: 1024,
        });
        assert.equal(t.method, 'PUT');
        assert.deepEqual(t.headers, { 'content-type': 'image/png' });
        assert.ok(t.expiresAt >= Date.now() + HOUR - 1000 && t.expiresAt <= Date.now() + HOUR + 2000);
        const res = await fetch(t.url, { method: 'PUT', headers: t.headers, body: BYTES });
        assert.equal(res.status, 200, await res.text());
        assert.deepEqual(await store.stat(k), { size: BYTES.length, contentType: 'image/png' });
        assert.deepEqual(await readAll(await store.read(k)), BYTES);
      });

      it('refuse (403) another Content-Type and an expired target, and keep nothing', async () => {
        const k = key('out.png');
        const t = await store.uploadTarget(k, {
          expiresAt: Date.now() + HOUR,
          contentType: 'image/png',
          maxBytes: 1024,
        });
        const wrongType = await fetch(t.url, {
          method: 'PUT',
          headers: { 'content-type': 'image/jpeg' },
          body: BYTES,
        });
        assert.equal(wrongType.status, 403);
        await wrongType.body?.cancel();
        const old = await store.uploadTarget(k, {
          expiresAt: Date.now() - 60_000,
          contentType: 'image/png',
          maxBytes: 1024,
        });
        const expired = await fetch(old.url, { method: 'PUT', headers: old.headers, body: BYTES });
        assert.equal(expired.status, 403);
        await expired.body?.cancel();
        assert.equal(await store.stat(k), null);
      });
    });
  });
}
