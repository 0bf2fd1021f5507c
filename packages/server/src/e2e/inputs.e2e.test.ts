// Every input path (url, base64, generation_id) with good, huge, corrupt, wrong-type and bomb images,
// end to end: synchronous 413/422 where knowable at submit (contract §4.2), else the job's failure code
// (contract §3.4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Generation, GenerationCreateParams } from '@umbra/sdk';
import { GenerationFailedError } from '@umbra/sdk';
import { bmp, png } from '../inputs/testing/image-fixtures.js';
import type { TestServer } from '../testing/harness.js';
import { startFixtureServer, startTestServer } from '../testing/harness.js';

const GOOD = png(64, 48, { noisy: true });
const TRUNCATED = GOOD.subarray(0, Math.floor(GOOD.length / 2));
const BOMB = png(20000, 20000, { depth: 1 });
const HUGE = Buffer.alloc(52_428_801, 7);

const pngSize = (b: Buffer): [number, number] => [b.readUInt32BE(16), b.readUInt32BE(20)];

describe('inputs end to end', () => {
  let s: TestServer;
  let files: Awaited<ReturnType<typeof startFixtureServer>>;
  before(async () => {
    s = await startTestServer({ UMBRA_TEST_ALLOW_LOOPBACK_FETCH: '1', UMBRA_EMULATOR: '1' });
    const served: Record<string, [string, Buffer]> = {
      '/good.png': ['image/png', GOOD],
      '/truncated.png': ['image/png', TRUNCATED],
      '/bomb.png': ['image/png', BOMB],
      '/huge.png': ['image/png', HUGE],
      '/picture.bmp': ['image/bmp', bmp(16, 16)],
      '/page.html': ['text/html', Buffer.from('<html>hello</html>')],
    };
    files = await startFixtureServer((req, res) => {
      const hit = served[req.url ?? ''];
      if (!hit) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': hit[0], 'content-length': hit[1].length }).end(hit[1]);
    });
  });
  after(async () => {
    await files.close();
    await s.stop();
  });

  const edit = (source: GenerationCreateParams['source']): GenerationCreateParams => ({
    type: 'image_edit',
    prompt: 'make it blue',
    source,
  });
  const post = async (
    body: GenerationCreateParams,
  ): Promise<{ status: number; json: { detail?: string; id?: string } }> => {
    const res = await s.raw('POST', '/v1/generations', { body });
    return { status: res.status, json: (await res.json()) as { detail?: string; id?: string } };
  };
  const failureOf = async (body: GenerationCreateParams): Promise<string | null> => {
    const g = await s.client.generations.create(body);
    try {
      await s.client.generations.wait(g.id, { pollInterval: 30, timeout: 30_000 });
      return null;
    } catch (e) {
      if (e instanceof GenerationFailedError) return e.code;
      throw e;
    }
  };
  const outputPng = async (g: Generation): Promise<Buffer> =>
    Buffer.from(await (await fetch(g.output[0]?.url ?? '')).arrayBuffer());

  describe('base64 data', () => {
    const b64 = (b: Buffer, media_type = 'image/png') => ({ data: b.toString('base64'), media_type });
    it('good → completed, the edit keeps the source pixel size (contract §2.8 C11)', async () => {
      const g = await s.client.generations.createAndWait(edit(b64(GOOD)), { pollInterval: 30 });
      assert.deepEqual(pngSize(await outputPng(g)), [64, 48]);
    });
    it('huge (> 50 MB decoded) → 413 source: image exceeds 50 MB limit', async () => {
      const r = await post(edit(b64(HUGE)));
      assert.equal(r.status, 413);
      assert.equal(r.json.detail, 'source: image exceeds 50 MB limit');
    });
    it('not base64 → 422 <path>: invalid base64 data', async () => {
      const r = await post(edit({ data: '!!!not base64***', media_type: 'image/png' }));
      assert.equal(r.status, 422);
      assert.equal(r.json.detail, 'source: invalid base64 data');
      const ref = await post({ prompt: 'x', image_ref: [{ data: 'abc$', media_type: 'image/png' }] });
      assert.equal(ref.json.detail, 'image_ref[0]: invalid base64 data');
    });
    it('truncated → failed corrupt_input', async () => {
      assert.equal(await failureOf(edit(b64(TRUNCATED))), 'corrupt_input');
    });
    it('wrong type: a BMP → failed unsupported_format; a non-image media_type → 422', async () => {
      assert.equal(await failureOf(edit(b64(bmp(16, 16), 'image/bmp'))), 'unsupported_format');
      const r = await post(edit(b64(GOOD, 'application/pdf')));
      assert.equal(r.status, 422);
      assert.equal(r.json.detail, 'source: content-type is not an image');
    });
    it('decompression bomb (20000×20000) → failed image_too_large', async () => {
      assert.equal(await failureOf(edit(b64(BOMB))), 'image_too_large');
    });
    it('image_ref inputs are checked the same way', async () => {
      assert.equal(await failureOf({ prompt: 'x', image_ref: [b64(GOOD), b64(TRUNCATED)] }), 'corrupt_input');
    });
  });

  describe('url', () => {
    const url = (path: string) => ({ url: `${files.origin}${path}` });
    it('good → completed with the source size', async () => {
      const g = await s.client.generations.createAndWait(edit(url('/good.png')), { pollInterval: 30 });
      assert.deepEqual(pngSize(await outputPng(g)), [64, 48]);
    });
    it('404 → 422 source: failed to fetch URL (HTTP 404)', async () => {
      const r = await post(edit(url('/missing.png')));
      assert.equal(r.status, 422);
      assert.equal(r.json.detail, 'source: failed to fetch URL (HTTP 404)');
    });
    it('HTML → 422 content-type is not an image', async () => {
      const r = await post({ prompt: 'x', image_ref: [url('/page.html')] });
      assert.equal(r.status, 422);
      assert.equal(r.json.detail, 'image_ref[0]: content-type is not an image');
    });
    it('huge → 413', async () => {
      const r = await post(edit(url('/huge.png')));
      assert.equal(r.status, 413);
      assert.equal(r.json.detail, 'source: image exceeds 50 MB limit');
    });
    it('truncated → corrupt_input; BMP → unsupported_format; bomb → image_too_large', async () => {
      assert.equal(await failureOf(edit(url('/truncated.png'))), 'corrupt_input');
      assert.equal(await failureOf(edit(url('/picture.bmp'))), 'unsupported_format');
      assert.equal(await failureOf(edit(url('/bomb.png'))), 'image_too_large');
    });
  });

  describe('generation_id', () => {
    it('good: an edit chains off a prior image generation and keeps its size', async () => {
      const first = await s.client.generations.createAndWait(
        { prompt: 'harbour at noon', aspect_ratio: '1:1' },
        { pollInterval: 30 },
      );
      const second = await s.client.generations.createAndWait(edit({ generation_id: first.id }), {
        pollInterval: 30,
      });
      assert.deepEqual(pngSize(await outputPng(second)), [2048, 2048]);
      assert.notDeepEqual(await outputPng(second), await outputPng(first));
    });
    it('unknown and foreign ids answer identically: 422 source: generation not found', async () => {
      const other = s.clientFor(await s.newKey({ client: 'someone-else' }));
      const theirs = await other.generations.createAndWait({ prompt: 'x' }, { pollInterval: 30 });
      for (const id of ['00000000-0000-4000-8000-000000000000', theirs.id]) {
        const r = await post(edit({ generation_id: id }));
        assert.equal(r.status, 422);
        assert.equal(r.json.detail, 'source: generation not found');
      }
    });
    it('a failed generation → 422 source: generation is not completed', async () => {
      const g = await s.client.generations.create(
        { prompt: 'x' },
        { headers: { 'x-umbra-fail': 'generation_failed' } },
      );
      await s.client.generations.wait(g.id, { pollInterval: 30 }).catch(() => undefined);
      const r = await post(edit({ generation_id: g.id }));
      assert.equal(r.status, 422);
      assert.equal(r.json.detail, 'source: generation is not completed');
    });
  });
});

describe('the URL guard without the test-only loopback setting', () => {
  it('refuses http:// and loopback addresses: 422 failed to fetch URL', async () => {
    const s = await startTestServer();
    const files = await startFixtureServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(GOOD),
    );
    try {
      const res = await s.raw('POST', '/v1/generations', {
        body: { prompt: 'x', type: 'image_edit', source: { url: `${files.origin}/good.png` } },
      });
      assert.equal(res.status, 422);
      assert.equal(((await res.json()) as { detail: string }).detail, 'source: failed to fetch URL');
    } finally {
      await files.close();
      await s.stop();
    }
  });
});
