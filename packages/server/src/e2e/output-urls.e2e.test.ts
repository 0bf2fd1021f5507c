// Feeding an output's URL back in as an input (issue 10, "what it must show" 2, on the disk store): the
// server recognises its own signed URLs, checks them as a download would, and reads the bytes from the
// blob store — no network fetch, and no exception to the URL guard for any other address.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { APIError } from '@umbra/sdk';
import { UrlSigner } from '../blobs/url-signer.js';
import type { TestServer } from '../testing/harness.js';
import { startFixtureServer, startTestServer } from '../testing/harness.js';

const WAIT = { pollInterval: 50, timeout: 120_000 };

describe("an output's URL as an input (disk store)", () => {
  let s: TestServer;
  let imageUrl = '';
  before(async () => {
    s = await startTestServer();
    const first = await s.client.generations.createAndWait(
      { prompt: 'a red barn in a field', aspect_ratio: '16:9' },
      WAIT,
    );
    imageUrl = first.output[0]?.url ?? '';
  });
  after(() => s.stop());

  const rejected = async (
    body: Parameters<TestServer['client']['generations']['create']>[0],
  ): Promise<APIError> => {
    const err = await s.client.generations.create(body).catch((e: unknown) => e);
    assert.ok(err instanceof APIError, String(err));
    return err;
  };

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
      { type: 'video', prompt: 'a slow pan', video: { resolution: '360p', start_frame: { url: imageUrl } } },
      WAIT,
    );
    assert.equal(clip.state, 'completed');
    assert.equal(clip.output[0]?.type, 'video');
  });

  it('a tampered signature → 422 saying so', async () => {
    const tampered = imageUrl.replace(
      /signature=([0-9a-f])/,
      (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`,
    );
    const err = await rejected({ prompt: 'x', image_ref: [{ url: tampered }] });
    assert.equal(err.status, 422);
    assert.equal(err.detail, 'image_ref[0]: URL signature is invalid');
  });

  it('past its expiry → 422 saying so', async () => {
    const u = new URL(imageUrl);
    const key = decodeURIComponent(u.pathname.replace(/^\/files\//, ''));
    const signer = new UrlSigner((await readFile(join(s.dataDir, 'signing-secret'), 'utf8')).trim());
    const past = Math.floor(Date.now() / 1000) - 10;
    u.searchParams.set('expires', String(past));
    u.searchParams.set('signature', signer.sign(key, past));
    const err = await rejected({ type: 'image_edit', prompt: 'x', source: { url: u.toString() } });
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
