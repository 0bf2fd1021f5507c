// Blobs as files under one root directory. URLs point at this server's own signed routes, which only a
// process with the disk store serves (http/disk-blobs.plugin.ts): GET /files/<key>, PUT /uploads/<key>.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore, OwnUrl, UploadOptions, UploadTarget } from './blob-store.js';
import { isValidBlobKey } from './blob-store.js';
import { contentTypeForKey } from './content-type.js';
import { sizeCap } from './size-cap.js';
import type { SignatureCheck, UrlSigner } from './url-signer.js';

// Kept here too: the key rule was born with this store and is imported from it.
export { isValidBlobKey } from './blob-store.js';

/** The disk store's routes on this server. */
export const FILE_ROUTE = '/files/';
export const UPLOAD_ROUTE = '/uploads/';

/**
 * Content types live beside the blobs under a directory no key can name (every key segment starts with a
 * letter or digit). A blob without one (written before types were kept) is typed by its extension.
 */
const TYPES_DIR = '.types';

/** The outcome of a PUT on an upload URL, as the HTTP plugin answers it. */
export type UploadOutcome =
  { ok: true; info: BlobInfo } | { ok: false; status: 400 | 403 | 413; detail: string };

export class UploadTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`Upload exceeds the ${maxBytes}-byte limit`);
  }
}

export class DiskBlobStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly signer: UrlSigner,
    /** Origin of this server, e.g. http://127.0.0.1:8080 (known only once it listens). */
    private readonly origin: () => string,
  ) {}

  private pathOf(key: string): string {
    if (!isValidBlobKey(key)) throw new Error(`invalid blob key: ${key}`);
    return join(this.root, ...key.split('/'));
  }

  private typePathOf(key: string): string {
    return join(this.root, TYPES_DIR, ...key.split('/'));
  }

  // Write beside the target and rename: a reader (or a crash) never sees half a blob. The type is written
  // first, so a blob that exists always has its own type.
  private async commit(key: string, contentType: string, write: (tmp: string) => Promise<void>) {
    const dest = this.pathOf(key);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.${randomUUID()}.tmp`;
    try {
      await write(tmp);
      const typePath = this.typePathOf(key);
      await mkdir(dirname(typePath), { recursive: true });
      await writeFile(typePath, contentType);
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const s = await stat(dest);
    return { size: s.size, contentType };
  }

  putFile(key: string, srcPath: string, contentType: string): Promise<BlobInfo> {
    return this.commit(key, contentType, (tmp) => copyFile(srcPath, tmp));
  }

  putBuffer(key: string, data: Buffer, contentType: string): Promise<BlobInfo> {
    return this.commit(key, contentType, (tmp) => writeFile(tmp, data));
  }

  putStream(key: string, data: Readable, contentType: string): Promise<BlobInfo> {
    return this.commit(key, contentType, (tmp) => pipeline(data, createWriteStream(tmp)));
  }

  async stat(key: string): Promise<BlobInfo | null> {
    let size: number;
    try {
      const s = await stat(this.pathOf(key));
      if (!s.isFile()) return null;
      size = s.size;
    } catch {
      return null;
    }
    const contentType = await readFile(this.typePathOf(key), 'utf8').catch(() => contentTypeForKey(key));
    return { size, contentType };
  }

  async download(key: string, destPath: string): Promise<void> {
    await mkdir(dirname(destPath), { recursive: true });
    await copyFile(this.pathOf(key), destPath);
  }

  read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return Promise.resolve(createReadStream(this.pathOf(key), range));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
    await rm(this.typePathOf(key), { force: true });
  }

  signedUrl(key: string, expiresAt: number): Promise<string> {
    const exp = Math.floor(expiresAt / 1000);
    return Promise.resolve(
      `${this.origin()}${FILE_ROUTE}${encodeKey(key)}?expires=${exp}&signature=${this.signer.sign(key, exp)}`,
    );
  }

  /** Checks a GET URL's query for `key` (the /files route and ownUrl check alike). */
  checkDownload(key: string, expires: string | undefined, signature: string | undefined, now: number) {
    if (!isValidBlobKey(key)) return 'invalid' as const;
    return this.signer.check(key, expires, signature, now);
  }

  ownUrl(url: string, now: number): Promise<OwnUrl> {
    return Promise.resolve(this.ownUrlNow(url, now));
  }

  private ownUrlNow(url: string, now: number): OwnUrl {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return { kind: 'foreign' };
    }
    if (u.origin !== new URL(this.origin()).origin || !u.pathname.startsWith(FILE_ROUTE)) {
      return { kind: 'foreign' };
    }
    let key: string;
    try {
      key = decodeURIComponent(u.pathname.slice(FILE_ROUTE.length));
    } catch {
      return { kind: 'invalid' };
    }
    const check = this.checkDownload(
      key,
      u.searchParams.get('expires') ?? undefined,
      u.searchParams.get('signature') ?? undefined,
      now,
    );
    return check === 'valid' ? { kind: 'valid', key } : { kind: check };
  }

  uploadTarget(key: string, o: UploadOptions): Promise<UploadTarget> {
    const exp = Math.floor(o.expiresAt / 1000);
    const grant = { contentType: o.contentType, maxBytes: o.maxBytes };
    const sig = this.signer.sign(key, exp, grant);
    return Promise.resolve({
      url: `${this.origin()}${UPLOAD_ROUTE}${encodeKey(key)}?expires=${exp}&max=${o.maxBytes}&signature=${sig}`,
      method: 'PUT',
      headers: { 'content-type': o.contentType },
      expiresAt: exp * 1000,
    });
  }

  /**
   * Takes a PUT on an upload URL: the signature must cover this key, expiry, declared type and size cap
   * (as an object store checks a presigned PUT's signed headers), and the body is streamed to the blob
   * with the cap enforced as it arrives. Nothing is kept of a refused or broken upload.
   */
  async acceptUpload(
    key: string,
    q: { expires?: string; max?: string; signature?: string },
    contentType: string | undefined,
    contentLength: number | null,
    body: Readable,
    now: number,
  ): Promise<UploadOutcome> {
    const maxBytes = q.max !== undefined && /^\d{1,16}$/.test(q.max) ? Number(q.max) : -1;
    const type = contentType?.trim() ?? '';
    let check: SignatureCheck = 'invalid';
    if (isValidBlobKey(key) && maxBytes >= 0) {
      check = this.signer.check(key, q.expires, q.signature, now, { contentType: type, maxBytes });
    }
    if (check === 'expired') return { ok: false, status: 403, detail: 'URL has expired' };
    if (check === 'invalid') {
      // Said plainly, since a wrong Content-Type is the one mistake an honest uploader makes.
      const detail = 'Invalid signature (the URL, or a Content-Type other than the one it was issued for)';
      return { ok: false, status: 403, detail };
    }
    if (contentLength !== null && contentLength > maxBytes) {
      return { ok: false, status: 413, detail: new UploadTooLarge(maxBytes).message };
    }
    const capped = sizeCap(maxBytes, () => new UploadTooLarge(maxBytes));
    // pipe() does not pass a broken request on: without this the store would wait for bytes forever.
    const broken = (err: Error): void => void capped.destroy(err);
    body.once('error', broken);
    try {
      const info = await this.putStream(key, body.pipe(capped), type);
      return { ok: true, info };
    } catch (err) {
      // Drain what is left so the answer goes out on a healthy connection.
      body.unpipe(capped);
      body.resume();
      if (err instanceof UploadTooLarge) return { ok: false, status: 413, detail: err.message };
      throw err;
    } finally {
      body.off('error', broken);
    }
  }
}

const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');
