// `client.files`: the Files API (docs/contract.md, "The Files API") — upload an input once, reference it by `file_id` — plus
// `upload`, which picks the upload mode and can wait for ingest, and `download` of presigned output URLs.
import type { DownloadResult, DownloadTarget } from './download.js';
import { writeBody } from './download.js';
import { FileFailedError, UmbraError } from './errors.js';
import { allPages, pollUntil } from './poll.js';
import type {
  CreateFileResponse,
  FileCreateInlineParams,
  FileCreateParams,
  FileList,
  FileListParams,
  FileObject,
  FileState,
} from './file-types.js';
import type { RequestOptions, Transport } from './transport.js';
import type { GenerationOutput } from './types.js';
import type { UploadSource } from './upload-source.js';
import { prepareSource } from './upload-source.js';

/**
 * Default of `UploadOptions.inlineThreshold`: files up to this size (4 MiB) go inline as multipart, larger
 * ones through a presigned PUT, which streams and bypasses the API server's body limits.
 */
export const DEFAULT_INLINE_THRESHOLD = 4 * 1024 * 1024;

const DEFAULT_POLL_MS = 1000;

/** Options of `files.wait`. */
export interface FileWaitOptions {
  /** Called after every poll with the file as it is now. */
  onProgress?: (file: FileObject) => void;
  /** Milliseconds between polls; default 1000 (ingest of an image takes well under a second). */
  pollInterval?: number;
  /** Give up after this many ms with `APITimeoutError`; default no limit. */
  timeout?: number;
  /** Stops waiting (and any request in flight) with `APIUserAbortError`. Ingest itself goes on. */
  signal?: AbortSignal;
}

/** Options of `files.upload`. */
export interface UploadOptions extends FileWaitOptions, Pick<RequestOptions, 'maxRetries' | 'headers'> {
  /**
   * Largest size in bytes sent inline (`multipart/form-data`); anything larger is created in JSON mode,
   * PUT to the presigned URL and completed. Default {@link DEFAULT_INLINE_THRESHOLD} (4 MiB); 0 = always
   * presigned.
   */
  inlineThreshold?: number;
  /** Wait until the file is `ready` (polling `files.get`); `failed` throws `FileFailedError`. Default false. */
  wait?: boolean;
  /**
   * Timeout in ms of the presigned PUT, which carries the whole body; default none (large files take as
   * long as the link needs; `signal` still stops it). The client's retries apply when the body can be
   * sent again (a Blob, bytes or a path), not to a stream.
   */
  uploadTimeout?: number;
}

/** What `files.upload` needs beyond the bytes: the create params, each guessed when absent. */
export interface UploadParams extends Partial<FileCreateParams> {
  /**
   * Default: the Blob's own type, else sniffed from the first bytes (PNG, JPEG, GIF, WebP, MP4, MOV,
   * WebM), else from the file name's extension; an upload whose type cannot be told throws `UmbraError`.
   */
  mime_type?: string;
  /** Default: the size of the bytes. Required for a stream longer than the inline threshold. */
  size_bytes?: number;
  /** Default: a path's base name or a `File`'s name; otherwise none. */
  filename?: string | null;
}

const isInline = (p: FileCreateParams | FileCreateInlineParams): p is FileCreateInlineParams =>
  'file' in p && p.file !== undefined;

const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> => {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
};

const CREATE_FIELDS = ['mime_type', 'size_bytes', 'purpose', 'filename', 'user_id', 'expires_at'] as const;

/** The terminal states of a file: nothing changes after them on its own. */
const settled = (s: FileState): boolean => s !== 'pending';

export class Files {
  constructor(private readonly transport: Transport) {}

  /**
   * `POST /files`. With `file` (bytes), a `multipart/form-data` upload: the bytes in a part named `file`,
   * the other params as form fields; the answer has `upload: null` and ingest has started. Without it,
   * a JSON body; the answer carries `upload`, where to PUT the bytes before calling `complete`.
   * Prefer `upload`, which does all of this.
   */
  create(
    params: FileCreateParams | FileCreateInlineParams,
    options?: RequestOptions,
  ): Promise<CreateFileResponse> {
    if (!isInline(params)) {
      return this.transport.json<CreateFileResponse>('POST', '/files', pick(params, CREATE_FIELDS), options);
    }
    const { file } = params;
    const blob = file instanceof Blob ? file : new Blob([file]);
    const fileName = (file as Blob & { name?: unknown }).name;
    const partName =
      params.filename ?? (typeof fileName === 'string' && fileName !== '' ? fileName : 'upload');
    const fields = pick({ ...params, size_bytes: params.size_bytes ?? blob.size }, CREATE_FIELDS);
    return this.transport.multipart<CreateFileResponse>(
      '/files',
      () => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) if (v !== null) form.append(k, String(v));
        // The part's own type is the declared one, so the server sees one consistent answer.
        const typed = blob.type === params.mime_type ? blob : blob.slice(0, blob.size, params.mime_type);
        form.append('file', typed, partName);
        return form;
      },
      options,
    );
  }

  /** `GET /files/{id}`: the file as it is now. */
  get(id: string, options?: RequestOptions): Promise<FileObject> {
    return this.transport.json<FileObject>('GET', `/files/${encodeURIComponent(id)}`, undefined, options);
  }

  /** `GET /files`: one page, newest first. Pass `next_cursor` back as `cursor` for the next. */
  list(params: FileListParams = {}, options?: RequestOptions): Promise<FileList> {
    const q = new URLSearchParams();
    for (const k of ['cursor', 'limit', 'purpose', 'state'] as const) {
      const v = params[k];
      if (v !== undefined && v !== null) q.set(k, String(v));
    }
    const qs = q.toString();
    return this.transport.json<FileList>('GET', qs === '' ? '/files' : `/files?${qs}`, undefined, options);
  }

  /**
   * Every file that matches, page after page (following `next_cursor`), newest first:
   *
   *     for await (const file of client.files.listAll({ state: 'ready' })) console.log(file.id);
   */
  async *listAll(params: FileListParams = {}, options?: RequestOptions): AsyncGenerator<FileObject, void> {
    yield* allPages((cursor) => this.list({ ...params, cursor }, options), params.cursor);
  }

  /** `POST /files/{id}/complete`: the bytes are at the presigned URL; starts ingest. Returns at once. */
  complete(id: string, options?: RequestOptions): Promise<FileObject> {
    return this.transport.json<FileObject>(
      'POST',
      `/files/${encodeURIComponent(id)}/complete`,
      undefined,
      options,
    );
  }

  /** `DELETE /files/{id}` (204): a soft delete; new generations can no longer reference the file. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.transport.json<null>('DELETE', `/files/${encodeURIComponent(id)}`, undefined, options);
  }

  /**
   * Polls until the file leaves `pending`. Resolves with the `ready` file; throws `FileFailedError` (with
   * `failureReason`) when it ends `failed` or `deleted`, `APITimeoutError` after `timeout`.
   */
  async wait(idOrFile: string | FileObject, options: FileWaitOptions = {}): Promise<FileObject> {
    const id = typeof idOrFile === 'string' ? idOrFile : idOrFile.id;
    return pollUntil(
      (signal) => this.get(id, { signal }),
      (f) => {
        options.onProgress?.(f);
        if (f.state === 'ready') return f;
        if (settled(f.state)) throw new FileFailedError(f);
        return undefined;
      },
      {
        pollInterval: options.pollInterval ?? DEFAULT_POLL_MS,
        timeout: options.timeout,
        signal: options.signal,
        timedOut: () => `File ${id} was still pending after ${options.timeout} ms`,
      },
    );
  }

  /**
   * Uploads bytes, a Blob/File, a stream or (in Node) a file path. Up to `inlineThreshold` (4 MiB) the
   * bytes go inline in one multipart `create`; above it the file is created in JSON mode, the bytes are
   * PUT to the presigned URL with exactly the envelope's headers (streamed: a path is read from disk as
   * it is sent), and `complete` starts ingest. Resolves with the file (`pending`), or with `wait: true`
   * once it is `ready` — then reference it as `{ file_id: file.id }`.
   */
  async upload(
    source: UploadSource,
    params: UploadParams = {},
    options: UploadOptions = {},
  ): Promise<FileObject> {
    const threshold = options.inlineThreshold ?? DEFAULT_INLINE_THRESHOLD;
    const src = await prepareSource(source, threshold, params.size_bytes);
    const mimeType = params.mime_type ?? src.mimeType;
    if (mimeType === null) {
      throw new UmbraError('upload: cannot tell the media type of the bytes; pass mime_type');
    }
    const filename = params.filename === undefined ? src.filename : params.filename;
    const base = {
      ...params,
      mime_type: mimeType,
      size_bytes: params.size_bytes ?? src.size,
      ...(filename === null ? {} : { filename }),
    };
    const call = pick(options, ['signal', 'maxRetries', 'headers']);
    let file: FileObject;
    if (src.blob !== null && src.blob.size <= threshold) {
      file = (await this.create({ ...base, file: src.blob }, call)).file;
    } else {
      const created = await this.create(base, call);
      if (created.upload == null) throw new UmbraError(`upload: no presigned upload for file ${created.id}`);
      const { blob, stream } = src;
      await this.transport.upload(
        created.upload.method,
        created.upload.url,
        // A Blob can be sent again on a retry; a stream only once.
        blob !== null ? () => blob : () => stream as ReadableStream<Uint8Array>,
        {
          ...created.upload.headers,
          // An object store needs the length up front; fetch sets it itself for a Blob, not for a stream.
          ...(blob === null ? { 'content-length': String(src.size) } : {}),
        },
        {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          timeout: options.uploadTimeout ?? Number.POSITIVE_INFINITY,
          ...(blob === null ? { maxRetries: 0 } : pick(options, ['maxRetries'])),
        },
      );
      file = await this.complete(created.id, call);
    }
    return options.wait === true ? this.wait(file, options) : file;
  }

  /**
   * Downloads one output (or any URL) to `target`. No API key is sent: output URLs are presigned. A path is
   * written to `<path>.part` and renamed when complete, so a failed download never leaves a partial file.
   * The client's retries apply until the response starts; the timeout covers only the wait for headers.
   * Non-2xx answers throw the same typed errors as API calls (e.g. 403 for an expired URL).
   */
  async download(
    output: GenerationOutput | string,
    target: DownloadTarget,
    options: RequestOptions = {},
  ): Promise<DownloadResult> {
    const url = typeof output === 'string' ? output : output.url;
    const res = await this.transport.download(url, options);
    const contentType = res.headers.get('content-type');
    const body = res.body;
    if (body === null) return { bytes: 0, contentType, path: null };
    const bytes = await writeBody(body, target);
    return { bytes, contentType, path: typeof target === 'string' ? target : null };
  }
}
