// The BlobStore conformance suite on a real S3-compatible bucket (s3rver behind a SigV4-checking front
// door), and what only the S3 store has: a public endpoint, a key prefix, virtual-host style URLs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestBucket } from '../testing/s3rver.js';
import { startTestBucket } from '../testing/s3rver.js';
import { runBlobStoreConformance } from './testing/blob-store.conformance.js';
import { S3BlobStore } from './s3.blob-store.js';

runBlobStoreConformance('s3', async () => {
  const bucket = await startTestBucket();
  const store = new S3BlobStore(bucket.storeOptions());
  return {
    store,
    lookalike: (url) => url.replace(`/${bucket.bucket}/`, `/${bucket.otherBucket}/`),
    async close() {
      store.close();
      await bucket.close();
    },
  };
});

describe('S3 blob store', () => {
  let bucket!: TestBucket;
  before(async () => {
    bucket = await startTestBucket();
  });
  after(() => bucket?.close());
  const HOUR = 3_600_000;

  it('signs URLs for the public endpoint and recognises them, and internal ones, as its own', async () => {
    const store = new S3BlobStore(bucket.storeOptions({ publicEndpoint: 'https://media.example.com' }));
    const direct = new S3BlobStore(bucket.storeOptions());
    try {
      await store.putBuffer('pub/a.png', Buffer.from('png'), 'image/png');
      const now = Date.now();
      const url = await store.signedUrl('pub/a.png', now + HOUR);
      assert.ok(url.startsWith(`https://media.example.com/${bucket.bucket}/pub/a.png?`), url);
      assert.deepEqual(await store.ownUrl(url, now), { kind: 'valid', key: 'pub/a.png' });
      // The host is signed: the public URL moved to the internal host no longer holds, at the bucket too.
      const moved = url.replace('https://media.example.com', bucket.endpoint);
      assert.deepEqual(await store.ownUrl(moved, now), { kind: 'invalid' });
      assert.equal((await fetch(moved)).status, 403);
      // A URL signed for the internal endpoint is ours as well.
      const internal = await direct.signedUrl('pub/a.png', now + HOUR);
      assert.deepEqual(await store.ownUrl(internal, now), { kind: 'valid', key: 'pub/a.png' });
      const target = await store.uploadTarget('pub/b.png', {
        expiresAt: now + HOUR,
        contentType: 'image/png',
        maxBytes: 10,
      });
      assert.ok(target.url.startsWith(`https://media.example.com/${bucket.bucket}/pub/b.png?`));
    } finally {
      store.close();
      direct.close();
    }
  });

  it('keeps its objects under the prefix, and objects outside it are not its own', async () => {
    const store = new S3BlobStore(bucket.storeOptions({ prefix: 'tenant-1/' }));
    const bare = new S3BlobStore(bucket.storeOptions());
    try {
      await store.putBuffer('gen/a.png', Buffer.from('png'), 'image/png');
      assert.equal((await bare.stat('tenant-1/gen/a.png'))?.size, 3);
      assert.equal(await bare.stat('gen/a.png'), null);
      const now = Date.now();
      const url = await store.signedUrl('gen/a.png', now + HOUR);
      assert.match(url, new RegExp(`/${bucket.bucket}/tenant-1/gen/a\\.png\\?`));
      assert.deepEqual(await store.ownUrl(url, now), { kind: 'valid', key: 'gen/a.png' });
      assert.equal(await (await fetch(url)).text(), 'png');
      await bare.putBuffer('gen/a.png', Buffer.from('other'), 'image/png');
      assert.deepEqual(await store.ownUrl(await bare.signedUrl('gen/a.png', now + HOUR), now), {
        kind: 'foreign',
      });
    } finally {
      store.close();
      bare.close();
    }
  });

  it('reads virtual-host style URLs (bucket in the host) with their keys decoded', async () => {
    // Signing needs no network: the service need not resolve.
    const store = new S3BlobStore(
      bucket.storeOptions({ endpoint: 'https://objects.example.com', forcePathStyle: false }),
    );
    try {
      const now = Date.now();
      const url = await store.signedUrl('gen/x[1]/out-put.png', now + HOUR);
      assert.ok(
        url.startsWith(`https://${bucket.bucket}.objects.example.com/gen/x%5B1%5D/out-put.png?`),
        url,
      );
      assert.deepEqual(await store.ownUrl(url, now), { kind: 'valid', key: 'gen/x[1]/out-put.png' });
      const other = url.replace(`https://${bucket.bucket}.`, `https://${bucket.otherBucket}.`);
      assert.deepEqual(await store.ownUrl(other, now), { kind: 'foreign' });
      assert.deepEqual(await store.ownUrl(url.replace('out-put', 'out-pub'), now), { kind: 'invalid' });
    } finally {
      store.close();
    }
  });

  it('throws, not "missing", when the bucket cannot be reached', async () => {
    const store = new S3BlobStore(bucket.storeOptions({ endpoint: 'http://127.0.0.1:9' }));
    try {
      await assert.rejects(store.stat('a.png'));
      await assert.rejects(store.putBuffer('a.png', Buffer.from('x'), 'image/png'));
      await assert.rejects(store.delete('a.png'));
    } finally {
      store.close();
    }
  });
});
