// Plain-fetch helpers for the Files API end-to-end tests (the SDK's `files.*` is written separately).
import assert from 'node:assert/strict';
import type { CreateFileResponse, FileList, FileObject, FileState } from '../contract/file.wire.js';
import { OWNER_KEY, type TestServer } from './harness.js';

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Parses a JSON answer (or none for 204). */
async function answer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: res.headers };
}

export class FilesClient {
  constructor(
    private readonly s: TestServer,
    private readonly key: string = OWNER_KEY,
  ) {}

  private url(path: string): string {
    return `${this.s.baseURL}${path}`;
  }

  private auth(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, ...extra };
  }

  /** Multipart (inline) create: `fields` as form fields, `bytes` as the part named `file`. */
  async upload(
    bytes: Buffer | null,
    fields: Record<string, string>,
  ): Promise<Answer<CreateFileResponse & { detail?: string }>> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (bytes !== null) form.append('file', new Blob([bytes]), fields.filename ?? 'upload.bin');
    return answer(await fetch(this.url('/files'), { method: 'POST', headers: this.auth(), body: form }));
  }

  /** JSON (presigned) create. */
  async create(params: unknown): Promise<Answer<CreateFileResponse & { detail?: string }>> {
    const res = await fetch(this.url('/files'), {
      method: 'POST',
      headers: this.auth({ 'content-type': 'application/json' }),
      body: JSON.stringify(params),
    });
    return answer(res);
  }

  /** PUTs `bytes` to a presigned upload exactly as told. */
  async put(created: CreateFileResponse, bytes: Buffer): Promise<number> {
    const up = created.upload;
    assert.ok(up !== null, 'a presigned upload');
    const res = await fetch(up.url, { method: up.method, headers: up.headers, body: bytes });
    await res.arrayBuffer();
    return res.status;
  }

  async complete(id: string): Promise<Answer<FileObject & { detail?: string }>> {
    return answer(await fetch(this.url(`/files/${id}/complete`), { method: 'POST', headers: this.auth() }));
  }

  async get(id: string): Promise<Answer<FileObject & { detail?: string }>> {
    return answer(await fetch(this.url(`/files/${id}`), { headers: this.auth() }));
  }

  async list(query: Record<string, string> = {}): Promise<Answer<FileList & { detail?: string }>> {
    const qs = new URLSearchParams(query).toString();
    return answer(await fetch(this.url(`/files${qs ? `?${qs}` : ''}`), { headers: this.auth() }));
  }

  async delete(id: string): Promise<Answer<{ detail?: string } | null>> {
    return answer(await fetch(this.url(`/files/${id}`), { method: 'DELETE', headers: this.auth() }));
  }

  /** Polls until the file leaves `pending`; returns it. */
  async settled(id: string, timeoutMs = 60_000): Promise<FileObject> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.get(id);
      assert.equal(status, 200);
      if (body.state !== 'pending') return body;
      if (Date.now() > until) throw new Error(`file ${id} still pending after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /** Multipart upload, then waits for ingest; asserts the state it ends in. */
  async uploadSettled(bytes: Buffer, fields: Record<string, string>, want: FileState): Promise<FileObject> {
    const r = await this.upload(bytes, fields);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const f = await this.settled(r.body.id);
    assert.equal(f.state, want, f.failure_reason ?? '');
    return f;
  }
}
