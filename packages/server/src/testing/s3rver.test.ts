// The test bucket checks what S3 checks. s3rver alone verifies no SigV4 signature (shown here, so the day
// it starts to, the front door can go), but does refuse expired presigned URLs itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { S3BlobStore } from '../blobs/s3.blob-store.js';
import type { TestBucket } from './s3rver.js';
import { startTestBucket } from './s3rver.js';

const HOUR = 3_600_000;

const statusOf = async (url: string, init?: RequestInit): Promise<number> => {
  const res = await fetch(url, init);
  await res.body?.cancel();
  return res.status;
};

const tamper = (url: string): string =>
  url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`);

describe('test bucket (s3rver behind a SigV4 front door)', () => {
  let bucket!: TestBucket;
  let store!: S3BlobStore;
  // Signs for s3rver's own port, past the front door.
  let raw!: S3BlobStore;
  before(async () => {
    bucket = await startTestBucket();
    store = new S3BlobStore(bucket.storeOptions());
    raw = new S3BlobStore(bucket.storeOptions({ publicEndpoint: bucket.rawEndpoint }));
    await store.putBuffer('k/a.png', Buffer.from('png'), 'image/png');
  });
  after(async () => {
    store?.close();
    raw?.close();
    await bucket?.close();
  });

  it('refuses requests signed with the wrong secret, and unsigned ones', async () => {
    const wrong = new S3BlobStore(
      bucket.storeOptions({ credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'not-the-secret' } }),
    );
    try {
      await assert.rejects(wrong.putBuffer('k/b.png', Buffer.from('x'), 'image/png'), /signature/i);
      await assert.rejects(wrong.stat('k/a.png'));
      assert.equal(await statusOf(await wrong.signedUrl('k/a.png', Date.now() + HOUR)), 403);
    } finally {
      wrong.close();
    }
    assert.equal(await statusOf(`${bucket.endpoint}/${bucket.bucket}/k/a.png`), 403);
  });

  it('s3rver alone takes a tampered signature and a wrong Content-Type; the front door does not', async () => {
    const get = await raw.signedUrl('k/a.png', Date.now() + HOUR);
    assert.equal(await statusOf(tamper(get)), 200, 's3rver does not check SigV4 signatures');
    const front = await store.signedUrl('k/a.png', Date.now() + HOUR);
    assert.equal(await statusOf(front), 200);
    assert.equal(await statusOf(tamper(front)), 403);
    const put = { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: 'x' };
    const o = { expiresAt: Date.now() + HOUR, contentType: 'image/png', maxBytes: 10 };
    assert.equal(await statusOf((await raw.uploadTarget('k/c.png', o)).url, put), 200);
    assert.equal(await statusOf((await store.uploadTarget('k/d.png', o)).url, put), 403);
  });

  it('s3rver itself refuses an expired presigned URL', async () => {
    assert.equal(await statusOf(await raw.signedUrl('k/a.png', Date.now() - 60_000)), 403);
    const o = { expiresAt: Date.now() - 60_000, contentType: 'image/png', maxBytes: 10 };
    const t = await raw.uploadTarget('k/e.png', o);
    assert.equal(await statusOf(t.url, { method: 'PUT', headers: t.headers, body: 'x' }), 403);
  });
});
