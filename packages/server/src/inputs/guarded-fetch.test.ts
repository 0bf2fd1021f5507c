// Transfer behaviour of the guarded client against real loopback servers (allowLoopbackHttp = test mode).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fetchToFile, type FetchOptions } from './guarded-fetch.js';
import { IMAGE_MAX_BYTES, sizeLimitReason } from './ingest-error.js';
import { assertNoFile, expectIngest } from './testing/expect-ingest.js';
import { png } from './testing/image-fixtures.js';
import { startHttp, type Handler, type TestServer } from './testing/servers.js';

const PNG = png(16, 16);
const IMG: FetchOptions = { expect: 'image', maxBytes: IMAGE_MAX_BYTES, allowLoopbackHttp: true };
const VID: FetchOptions = { expect: 'video', maxBytes: 1000, allowLoopbackHttp: true };
const FAILED = { status: 422, reason: 'failed to fetch URL' };

const routes: Record<string, Handler> = {
  '/ok.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG),
  '/missing.png': (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('nope'),
  '/boom': (_req, res) => res.writeHead(500).end(),
  '/bare-302': (_req, res) => res.writeHead(302).end(),
  '/page.html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'),
  '/untyped': (_req, res) => res.writeHead(200).end(PNG),
  '/clip.bin': (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('x'),
  '/clip.mp4': (_req, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end('x'),
  '/gzip.png': (_req, res) =>
    res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip' }).end('x'),
  // Declares 10 MB, sends a little, then stalls: the client must refuse on the header, not wait.
  '/declared-huge.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(10_000_000) });
    res.write(Buffer.alloc(100));
  },
  // Chunked and endless: only counting streamed bytes can stop it.
  '/endless.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 1)), 1);
    res.on('close', () => clearInterval(timer));
  },
  '/exact.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(1000)),
  '/slow-headers.png': (_req, res) => {
    const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG), 5000);
    res.on('close', () => clearTimeout(timer));
  },
  '/slow-body.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(PNG.subarray(0, 10));
  },
  // Promises 1000 bytes, sends 10 and hangs up: a truncated download must not be stored.
  '/short.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': '1000' });
    res.write(Buffer.alloc(10), () => res.destroy());
  },
};

describe('fetchToFile: transfer rules', () => {
  let server: TestServer;
  let dir: string;
  let n = 0;
  const dest = () => join(dir, `f${n++}`);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-fetch-'));
    server = await startHttp((req, res) => {
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores a good image and reports size and media type', async () => {
    const path = dest();
    const got = await fetchToFile(`${server.origin}/ok.png?sig=abc`, path, IMG);
    assert.deepEqual(got, { size: PNG.length, contentType: 'image/png' });
    assert.deepEqual(await readFile(path), PNG);
    assert.equal(server.hits.at(-1)?.url, '/ok.png?sig=abc');
  });

  it('reports a non-2xx status in the reason', async () => {
    const path = dest();
    await expectIngest(fetchToFile(`${server.origin}/missing.png`, path, IMG), {
      status: 422,
      reason: 'failed to fetch URL (HTTP 404)',
      cause: 'http_status',
    });
    await assertNoFile(path);
    await expectIngest(fetchToFile(`${server.origin}/boom`, dest(), IMG), {
      status: 422,
      reason: 'failed to fetch URL (HTTP 500)',
    });
    await expectIngest(fetchToFile(`${server.origin}/bare-302`, dest(), IMG), {
      status: 422,
      reason: 'failed to fetch URL (HTTP 302)',
    });
  });

  it('refuses a body that is not an image', async () => {
    const path = dest();
    await expectIngest(fetchToFile(`${server.origin}/page.html`, path, IMG), {
      status: 422,
      reason: 'content-type is not an image',
      cause: 'content_type',
    });
    await assertNoFile(path);
    await expectIngest(fetchToFile(`${server.origin}/untyped`, dest(), IMG), {
      status: 422,
      reason: 'content-type is not an image',
    });
    await expectIngest(fetchToFile(`${server.origin}/clip.bin`, dest(), IMG), {
      status: 422,
      reason: 'content-type is not an image',
    });
  });

  it('accepts video/* and application/octet-stream for video, and nothing else', async () => {
    assert.equal((await fetchToFile(`${server.origin}/clip.mp4`, dest(), VID)).contentType, 'video/mp4');
    assert.equal(
      (await fetchToFile(`${server.origin}/clip.bin`, dest(), VID)).contentType,
      'application/octet-stream',
    );
    await expectIngest(fetchToFile(`${server.origin}/ok.png`, dest(), VID), {
      status: 422,
      reason: 'content-type is not a video',
    });
  });

  it('refuses a compressed transfer encoding it did not ask for', async () => {
    await expectIngest(fetchToFile(`${server.origin}/gzip.png`, dest(), IMG), {
      ...FAILED,
      cause: 'content_encoding',
    });
  });

  it('refuses by Content-Length before reading the body', async () => {
    const path = dest();
    const started = Date.now();
    await expectIngest(
      fetchToFile(`${server.origin}/declared-huge.png`, path, { ...IMG, maxBytes: 1_000_000 }),
      {
        status: 413,
        reason: sizeLimitReason('image', 1_000_000),
        cause: 'too_large',
      },
    );
    assert.ok(Date.now() - started < 2000);
    await assertNoFile(path);
  });

  it('uses the documented 413 texts for the default caps', async () => {
    await expectIngest(
      fetchToFile(`${server.origin}/declared-huge.png`, dest(), { ...IMG, maxBytes: IMAGE_MAX_BYTES / 10 }),
      {
        status: 413,
        reason: 'image exceeds 5 MB limit',
      },
    );
    assert.equal(sizeLimitReason('image', IMAGE_MAX_BYTES), 'image exceeds 50 MB limit');
    assert.equal(sizeLimitReason('video', 104_857_600), 'video exceeds 100 MB limit');
  });

  it('stops a chunked body without Content-Length once it passes the cap, and deletes the partial file', async () => {
    const path = dest();
    await expectIngest(fetchToFile(`${server.origin}/endless.png`, path, { ...IMG, maxBytes: 2_000_000 }), {
      status: 413,
      reason: sizeLimitReason('image', 2_000_000),
      cause: 'too_large',
    });
    await assertNoFile(path);
  });

  it('accepts a body of exactly the cap', async () => {
    assert.equal(
      (await fetchToFile(`${server.origin}/exact.png`, dest(), { ...IMG, maxBytes: 1000 })).size,
      1000,
    );
  });

  it('gives up on a server that does not answer in time', async () => {
    const started = Date.now();
    await expectIngest(fetchToFile(`${server.origin}/slow-headers.png`, dest(), { ...IMG, timeoutMs: 300 }), {
      ...FAILED,
      cause: 'timeout',
    });
    assert.ok(Date.now() - started < 2000);
  });

  it('gives up on a body that stalls, and deletes the partial file', async () => {
    const path = dest();
    await expectIngest(fetchToFile(`${server.origin}/slow-body.png`, path, { ...IMG, timeoutMs: 300 }), {
      ...FAILED,
      cause: 'timeout',
    });
    await assertNoFile(path);
  });

  it('does not store a body cut short of its Content-Length', async () => {
    const path = dest();
    await expectIngest(fetchToFile(`${server.origin}/short.png`, path, IMG), {
      ...FAILED,
      cause: 'network_error',
    });
    await assertNoFile(path);
  });

  it('maps a refused connection and a malformed URL to failed to fetch URL', async () => {
    const closed = await startHttp((_req, res) => res.end());
    await closed.close();
    await expectIngest(fetchToFile(`${closed.origin}/x.png`, dest(), IMG), {
      ...FAILED,
      cause: 'network_error',
    });
    await expectIngest(fetchToFile('not a url', dest(), IMG), { ...FAILED, cause: 'invalid_url' });
  });

  it('reports its own disk failing as 502 fetch proxy unavailable', async () => {
    await expectIngest(fetchToFile(`${server.origin}/ok.png`, join(dir, 'no-such-dir', 'f'), IMG), {
      status: 502,
      reason: 'fetch proxy unavailable',
      cause: 'local_io',
    });
  });

  it('passes a caller abort through unchanged', async () => {
    const ac = new AbortController();
    const p = fetchToFile(`${server.origin}/slow-headers.png`, dest(), { ...IMG, signal: ac.signal });
    const reason = new Error('client went away');
    setTimeout(() => ac.abort(reason), 50);
    await assert.rejects(p, (e: unknown) => e === reason);
  });
});
