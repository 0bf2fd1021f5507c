// Feeding an output's URL back in as an input (issue 10, "what it must show" 2), on the disk store and on
// an S3 bucket: the server recognises its own signed URLs (disk-signed or presigned), checks them as a
// download would, and reads the bytes from the blob store — no network fetch, and no exception to the URL
// guard for any other address.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { APIError } from '@umbra/sdk';
import { S3BlobStore } from '../blobs/s3.blob-store.js';
import { UrlSigner } from '../blobs/url-signer.js';
import type { TestServer } from '../testing/harness.js';
import { startFixtureServer, startTestServer } from '../testing/harness.js';
import type { TestBucket } from '../testing/s3rver.js';
import { amzTime } from '../testing/sigv4-verify.js';
import { startTestBucket } from '../testing/s3rver.js';

const WAIT = { pollInterval: 50, timeout: 120_000 };

/** Where the server keeps its blobs, and how a test signs a URL that has already expired. */
interface Storage {
  name: string;
  env(): Promise<Record<string, string>>;
  /** The query parameter that carries the signature. */
  signatureParam: string;
  expiredUrl(s: TestServer, key: string): Promise<string>;
  /** When a URL of this store stops working (ms). */
  expiresAt(url: string): number;
  close(): Promise<void>;
}

const disk: Storage = {
  name: 'disk store',
  env: () => Promise.resolve({}),
  signatureParam: 'signature',
  async expiredUrl(s, key) {
    const signer = new UrlSigner((await readFile(join(s.dataDir, 'signing-secret'), 'utf8')).trim());
    const past = Math.floor(Date.now() / 1000) - 10;
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${s.baseURL.replace(/\/v1$/, '')}/files/${path}?expires=${past}&signature=${signer.sign(key, past)}`;
  },
  expiresAt: (url) => Number(new URL(url).searchParams.get('expires')) * 1000,
  close: () => Promise.resolve(),
};

const s3 = (): Storage => {
  let bucket: TestBucket | null = null;
  return {
    name: 'S3 bucket',
    async env() {
      bucket = await startTestBucket();
      return bucket.env;
    },
    signatureParam: 'X-Amz-Signature',
    async expiredUrl(_s, key) {
      // Signed with the bucket's own credentials, as the server would have, ten seconds ago.
      assert.ok(bucket);
      const store = new S3BlobStore(bucket.storeOptions({ now: () => Date.now() - 10_000 }));
      try {
        return await store.signedUrl(key, Date.now() - 5_000);
      } finally {
        store.close();
      }
    },
    expiresAt(url) {
      const q = new URL(url).searchParams;
      const signedAt = amzTime(q.get('X-Amz-Date') ?? undefined);
      assert.ok(!Number.isNaN(signedAt), url);
      return signedAt + Number(q.get('X-Amz-Expires')) * 1000;
    },
    close: async () => {
      await bucket?.close();
    },
  };
};

for (const storage of [disk, s3()]) {
  describe(`an output's URL as an input (${storage.name})`, () => {
    let s: TestServer;
    let imageId = '';
    let imageUrl = '';
    let imageKey = '';
    before(async () => {
      s = await startTestServer(await storage.env());
      const first = await s.client.generations.createAndWait(
        { prompt: 'a red barn in a field', aspect_ratio: '16:9' },
        WAIT,
      );
      imageId = first.id;
      imageUrl = first.output[0]?.url ?? '';
      imageKey = (await s.umbra.store.generations.get(first.id))?.outputs[0]?.key ?? '';
    });
    after(async () => {
      await s?.stop();
      await storage.close();
    });

    const rejected = async (
      body: Parameters<TestServer['client']['generations']['create']>[0],
    ): Promise<APIError> => {
      const err = await s.client.generations.create(body).catch((e: unknown) => e);
      assert.ok(err instanceof APIError, String(err));
      return err;
    };

    it('GET of a completed generation: the same bytes within a second, a full fresh window each time (contract §3.3)', async () => {
      const ttl = s.config.urlTtlSeconds * 1000;
      const get = async (): Promise<{ body: string; url: string; sent: number; answered: number }> => {
        const sent = Date.now();
        const res = await s.raw('GET', `/v1/generations/${imageId}`);
        const answered = Date.now();
        assert.equal(res.status, 200);
        const body = await res.text();
        const url = (JSON.parse(body) as { output: { url: string }[] }).output[0]?.url ?? '';
        // Never shorter than signing at that moment would give (to the second), at most a second longer.
        const expires = storage.expiresAt(url);
        assert.ok(expires >= Math.floor((sent + ttl) / 1000) * 1000, `${url} expires too early`);
        assert.ok(expires <= answered + ttl + 1000, `${url} expires too late`);
        return { body, url, sent, answered };
      };
      let sameSecond = 0;
      for (let i = 0; i < 50 && sameSecond < 3; i++) {
        const a = await get();
        const b = await get();
        if (Math.floor(a.sent / 1000) !== Math.floor(b.answered / 1000)) continue;
        assert.equal(b.body, a.body, 'two GETs in one second answer the same bytes');
        sameSecond++;
      }
      assert.equal(sameSecond, 3, 'three pairs of GETs fell within one second');
      const before = await get();
      await sleep(1100);
      const later = await get();
      assert.ok(
        storage.expiresAt(later.url) > storage.expiresAt(before.url),
        'a later second signs a later window',
      );
      assert.equal((await fetch(later.url)).status, 200, 'and the URL works');
    });

    it('as image_ref[].url: completes', async () => {
      const g = await s.client.generations.createAndWait(
        { prompt: 'the same barn in winter', image_ref: [{ url: imageUrl }] },
        WAIT,
      );
      assert.equal(g.state, 'completed');
    });

    it('as source.url of an edit and video.start_frame.url of a video: completes', async () => {
      const edit = await s.client.generations.createAndWait(
        { type: 'image_edit', prompt: 'at night', source: { url: imageUrl } },
        WAIT,
      );
      assert.equal(edit.state, 'completed');
      const clip = await s.client.generations.createAndWait(
        {
          type: 'video',
          prompt: 'a slow pan',
          video: { resolution: '360p', start_frame: { url: imageUrl } },
        },
        WAIT,
      );
      assert.equal(clip.state, 'completed');
      assert.equal(clip.output[0]?.type, 'video');
    });

    it('a tampered signature → 422 saying so', async () => {
      const u = new URL(imageUrl);
      const sig = u.searchParams.get(storage.signatureParam) ?? '';
      u.searchParams.set(storage.signatureParam, `${sig.startsWith('0') ? '1' : '0'}${sig.slice(1)}`);
      const tampered = u.toString();
      const err = await rejected({ prompt: 'x', image_ref: [{ url: tampered }] });
      assert.equal(err.status, 422);
      assert.equal(err.detail, 'image_ref[0]: URL signature is invalid');
    });

    it('past its expiry → 422 saying so', async () => {
      const expired = await storage.expiredUrl(s, imageKey);
      assert.equal((await fetch(expired)).status, 403, 'a download of it is refused too');
      const err = await rejected({ type: 'image_edit', prompt: 'x', source: { url: expired } });
      assert.equal(err.status, 422);
      assert.equal(err.detail, 'source: URL has expired');
    });

    it('a video output where an image goes → 422 content-type', async () => {
      const clip = await s.client.generations.createAndWait(
        { type: 'video', prompt: 'waves', video: { resolution: '360p' } },
        WAIT,
      );
      const err = await rejected({ prompt: 'x', image_ref: [{ url: clip.output[0]?.url ?? '' }] });
      assert.equal(err.status, 422);
      assert.equal(err.detail, 'image_ref[0]: content-type is not an image');
    });

    it('an unrelated loopback URL is still refused by the URL guard', async () => {
      const fixture = await startFixtureServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.alloc(100));
      });
      try {
        for (const url of [`${fixture.origin}/files/x.png`, `${s.baseURL.replace('/v1', '')}/healthz`]) {
          const err = await rejected({ prompt: 'x', image_ref: [{ url }] });
          assert.equal(err.status, 422, url);
          assert.match(err.detail, /^image_ref\[0\]: (failed to fetch URL|URL signature is invalid)/, url);
        }
      } finally {
        await fixture.close();
      }
    });
  });
}
