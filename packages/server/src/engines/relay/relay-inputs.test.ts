// How the relay sends inputs (issue 10): small ones inline; large ones through the upstream's Files API
// when it has one, and inline when it answers that route with 404 (an upstream that predates it). The
// upstream here is a real HTTP server on loopback that records what it is sent.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GenerationRequest } from '../../contract/wire.js';
import { emptyEngineInputs, EngineFailure } from '../engine.js';
import type { RenderJob } from '../engine.js';
import { RelayEngine } from './relay.engine.js';

interface Seen {
  method: string;
  path: string;
  body: string;
}

const request: GenerationRequest = {
  prompt: 'the same harbour at night',
  type: 'image',
  model: 'uni-1',
  aspect_ratio: null,
  image_ref: [{ url: 'https://example.com/ref.png' }],
  source: null,
  style: 'auto',
  output_format: null,
  web_search: false,
  user_id: null,
  video: null,
};

const bodyOf = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

describe('relay inputs: inline, or through the upstream Files API', () => {
  let dir: string;
  let server: Server;
  let base = '';
  const seen: Seen[] = [];
  /** Whether this upstream has a Files API; a file it takes is ready at once. */
  let hasFiles = false;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-relay-inputs-'));
    server = createServer((req, res) => {
      void (async () => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        seen.push({ method: req.method ?? '', path, body: await bodyOf(req) });
        const json = (status: number, body: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        const file = { id: 'f-1', created_at: '2026-11-29T00:00:00Z', mime_type: 'image/png' };
        const ready = { ...file, purpose: 'reference', size_bytes: 4096, state: 'ready' };
        if (path === '/v1/files' && req.method === 'POST') {
          if (!hasFiles) return json(404, { detail: 'Not Found' });
          const upload = { url: `${base}/put/f-1`, method: 'PUT', headers: {}, expires_at: 'x' };
          return json(201, { id: 'f-1', state: 'pending', file: { ...ready, state: 'pending' }, upload });
        }
        if (path === '/put/f-1') return json(200, {});
        if (path === '/v1/files/f-1/complete' || path === '/v1/files/f-1') return json(200, ready);
        if (path === '/v1/generations' && req.method === 'POST') {
          return json(201, { id: 'g-1', state: 'queued', output: [] });
        }
        // The job ends upstream with a code of its own: enough to see what the create carried.
        return json(200, {
          id: 'g-1',
          state: 'failed',
          output: [],
          failure_code: 'content_moderated',
          failure_reason: 'no',
        });
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const render = async (engine: RelayEngine, size: number): Promise<unknown> => {
    const path = join(dir, `ref-${size}.png`);
    await writeFile(path, Buffer.alloc(size, 7));
    const job: RenderJob = {
      generationId: 'local-1',
      request,
      inputs: {
        ...emptyEngineInputs(),
        imageRefs: [{ slot: 'image_ref[0]', path, kind: 'image', format: 'png', width: 0, height: 0 }],
      },
      scratchDir: dir,
      signal: new AbortController().signal,
      onProgress: () => undefined,
    };
    return engine.render(job).catch((e: unknown) => e);
  };
  const createdBody = (): { image_ref: Array<Record<string, unknown>> } => {
    const create = seen.filter((s) => s.path === '/v1/generations' && s.method === 'POST').at(-1);
    assert.ok(create, 'the generation was created upstream');
    return JSON.parse(create.body) as { image_ref: Array<Record<string, unknown>> };
  };
  const engine = (): RelayEngine =>
    new RelayEngine({
      baseURL: `${base}/v1`,
      apiKey: 'k',
      pollMs: 10,
      retryWindowMs: 0,
      inlineMaxBytes: 1000,
    });

  it('a small input goes inline as base64, without asking for the Files API', async () => {
    seen.length = 0;
    hasFiles = true;
    const failed = await render(engine(), 500);
    assert.ok(failed instanceof EngineFailure && failed.code === 'content_moderated');
    assert.equal(createdBody().image_ref[0]?.media_type, 'image/png');
    assert.equal(typeof createdBody().image_ref[0]?.data, 'string');
    assert.equal(seen.filter((s) => s.path.startsWith('/v1/files')).length, 0);
  });

  it('a large input is uploaded as a file (PUT + complete) and sent as its file_id, with an expiry', async () => {
    seen.length = 0;
    hasFiles = true;
    await render(engine(), 4096);
    assert.deepEqual(createdBody().image_ref[0], { file_id: 'f-1' });
    const create = JSON.parse(seen.find((s) => s.path === '/v1/files')?.body ?? '{}') as Record<
      string,
      unknown
    >;
    assert.deepEqual([create.mime_type, create.size_bytes, create.purpose], ['image/png', 4096, 'reference']);
    assert.ok(Date.parse(String(create.expires_at)) > Date.now(), 'the upstream may clean it up later');
    assert.equal(seen.find((s) => s.path === '/put/f-1')?.body.length, 4096, 'the bytes went to the PUT');
    assert.ok(seen.some((s) => s.path === '/v1/files/f-1/complete'));
  });

  it('an upstream without a Files API (404) gets large inputs inline, and is not asked again', async () => {
    seen.length = 0;
    hasFiles = false;
    const relay = engine();
    await render(relay, 4096);
    assert.equal(typeof createdBody().image_ref[0]?.data, 'string');
    await render(relay, 4096);
    assert.equal(seen.filter((s) => s.path === '/v1/files').length, 1, 'asked once per engine');
  });
});
