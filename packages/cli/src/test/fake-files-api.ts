// A hand-written, in-memory stand-in for a server's Files API (and the POST /generations it feeds), for
// CLI tests that must not depend on the server's own implementation: it speaks the wire of files-api.md —
// multipart and JSON creates, a presigned PUT route, complete, get, list with cursors, 204 deletes — and
// records every request. Ingest is instant: a file with its bytes is `ready` at the next GET, or `failed`
// when its filename contains "corrupt".
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateFileResponse, FileObject } from '@umbra/sdk';

export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

export interface FakeFilesApi {
  baseURL: string;
  requests: FakeRequest[];
  files: Map<string, { file: FileObject; bytes: Buffer | null }>;
  /** The bodies of POST /v1/generations. */
  generations: unknown[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export async function startFakeFilesApi(): Promise<FakeFilesApi> {
  const requests: FakeRequest[] = [];
  const files = new Map<string, { file: FileObject; bytes: Buffer | null }>();
  const generations: unknown[] = [];
  let clock = 0;
  const make = (fields: Record<string, unknown>, bytes: Buffer | null): FileObject => {
    const file: FileObject = {
      id: randomUUID(),
      // Distinct, increasing times so "newest first" is well defined.
      created_at: new Date(Date.UTC(2026, 3, 8, 12, 0, clock++)).toISOString(),
      mime_type: String(fields.mime_type),
      purpose: fields.purpose === 'reference' ? 'reference' : 'input',
      size_bytes: Number(fields.size_bytes),
      state: 'pending',
      deleted_at: null,
      expires_at: null,
      failure_reason: null,
      filename: typeof fields.filename === 'string' ? fields.filename : null,
      user_id: null,
    };
    files.set(file.id, { file, bytes });
    return file;
  };
  const ingest = (entry: { file: FileObject; bytes: Buffer | null }): FileObject => {
    const { file, bytes } = entry;
    if (file.state === 'pending' && bytes !== null) {
      if (file.filename?.includes('corrupt') === true) {
        file.state = 'failed';
        file.failure_reason = 'input image could not be decoded';
      } else file.state = 'ready';
    }
    return file;
  };
  const handle = async (r: FakeRequest, res: ServerResponse, origin: string): Promise<void> => {
    const url = new URL(r.url, origin);
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const entry = files.get(parts[2] ?? '');
    if (r.method === 'POST' && url.pathname === '/v1/generations') {
      generations.push(JSON.parse(r.raw.toString('utf8')));
      return json(res, 201, {
        id: randomUUID(),
        type: 'image',
        state: 'queued',
        model: 'uni-1',
        created_at: '2026-04-08T12:00:00Z',
        output: [],
        failure_reason: null,
        failure_code: null,
      });
    }
    if (r.method === 'POST' && url.pathname === '/v1/files') {
      const type = String(r.headers['content-type']);
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(r.raw, { headers: { 'content-type': type } }).formData();
        const part = form.get('file');
        if (!(part instanceof Blob)) return json(res, 400, { detail: 'file: missing' });
        const file = make(Object.fromEntries(form.entries()), Buffer.from(await part.arrayBuffer()));
        const body: CreateFileResponse = { id: file.id, state: file.state, file, upload: null };
        return json(res, 201, body);
      }
      const file = make(JSON.parse(r.raw.toString('utf8')) as Record<string, unknown>, null);
      const upload = {
        url: `${origin}/bucket/${file.id}?sig=x`,
        method: 'PUT' as const,
        headers: { 'content-type': file.mime_type },
        expires_at: '2099-01-01T00:00:00Z',
      };
      const body: CreateFileResponse = { id: file.id, state: file.state, file, upload };
      return json(res, 201, body);
    }
    if (r.method === 'PUT' && parts[0] === 'bucket') {
      const target = files.get(parts[1] ?? '');
      if (target === undefined) return json(res, 404, { detail: 'no such key' });
      target.bytes = r.raw;
      res.writeHead(200).end();
      return;
    }
    if (r.method === 'GET' && url.pathname === '/v1/files') {
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const all = [...files.values()]
        .map(ingest)
        .filter((f) => [null, f.state].includes(url.searchParams.get('state') as typeof f.state | null))
        .filter((f) => [null, f.purpose].includes(url.searchParams.get('purpose') as typeof f.purpose | null))

        .reverse();
      const data = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return json(res, 200, { data, has_more: more, next_cursor: more ? String(start + limit) : null });
    }
    if (entry === undefined || entry.file.state === 'deleted')
      return json(res, 404, { detail: 'File not found' });
    if (r.method === 'GET' && parts.length === 3) return json(res, 200, ingest(entry));
    if (r.method === 'POST' && parts[3] === 'complete') return json(res, 200, entry.file);
    if (r.method === 'DELETE' && parts.length === 3) {
      entry.file.state = 'deleted';
      entry.file.deleted_at = '2026-04-08T13:00:00Z';
      res.writeHead(204).end();
      return;
    }
    json(res, 404, { detail: 'Not Found' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: FakeRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw: Buffer.concat(chunks),
      };
      requests.push(r);
      handle(r, res, origin).catch((err: unknown) => json(res, 500, { detail: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseURL: `${origin}/v1`,
    requests,
    files,
    generations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
