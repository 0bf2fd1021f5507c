// files.download: to a path (atomically), a web WritableStream and a Node writable; never sends the key.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import { PermissionDeniedError } from './errors.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { startScriptedServer } from './testing/scripted-server.js';

const BYTES = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));

describe('files.download', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  let dir: string;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'luma-api-secret', baseURL: srv.baseURL });
    dir = await mkdtemp(join(tmpdir(), 'umbra-sdk-dl-'));
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });
  const serveBytes = (): void =>
    srv.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(BYTES);
    });

  it('writes an output to a path, without the API key', async () => {
    serveBytes();
    const path = join(dir, 'out.png');
    const r = await client.files.download({ type: 'image', url: `${srv.origin}/files/x.png?sig=1` }, path);
    assert.deepEqual(r, { bytes: BYTES.length, contentType: 'image/png', path });
    assert.ok((await readFile(path)).equals(BYTES));
    assert.equal(srv.received[0]?.url, '/files/x.png?sig=1');
    assert.equal(srv.received[0]?.headers.authorization, undefined, 'presigned URLs get no credentials');
  });

  it('streams into a web WritableStream and into a Node writable', async () => {
    serveBytes();
    const chunks: Uint8Array[] = [];
    const web = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
    const r = await client.files.download(`${srv.origin}/a`, web);
    assert.equal(r.bytes, BYTES.length);
    assert.ok(Buffer.concat(chunks).equals(BYTES));

    serveBytes();
    const node = new PassThrough();
    const collected: Buffer[] = [];
    node.on('data', (c: Buffer) => collected.push(c));
    const r2 = await client.files.download(`${srv.origin}/b`, node);
    assert.equal(r2.bytes, BYTES.length);
    assert.ok(Buffer.concat(collected).equals(BYTES));
  });

  it('throws the typed error for an expired URL and leaves no partial file', async () => {
    srv.script({ status: 403, body: { detail: 'URL expired' } });
    const path = join(dir, 'expired.png');
    await assert.rejects(client.files.download(`${srv.origin}/old`, path), PermissionDeniedError);
    srv.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': '1000' });
      res.write(BYTES.subarray(0, 10));
      setTimeout(() => res.socket?.destroy(), 5);
    });
    await assert.rejects(client.files.download(`${srv.origin}/cut`, join(dir, 'cut.png')));
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f !== 'out.png'),
      [],
    );
  });
});
