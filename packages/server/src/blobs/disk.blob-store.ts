// Blobs as files under one root directory; URLs point at this server's signed /files route.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore, OwnUrl } from './blob-store.js';
import { contentTypeForKey } from './content-type.js';
import { UPLOAD_ROUTE } from './upload-url.js';
import type { UrlSigner } from './url-signer.js';

/** Keys are relative paths of safe segments; anything else could escape the root. */
export const isValidBlobKey = (key: string): boolean =>
  key.length > 0 &&
  key.length <= 512 &&
  key.split('/').every((seg) => /^[A-Za-z0-9][A-Za-z0-9._\-[\]]*$/.test(seg) && seg !== '..' && seg !== '.');

/** Where this server serves blobs behind signed GET URLs (http/files.route.ts). */
const FILE_ROUTE = '/files/';

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

  // Write beside the target and rename: a reader (or a crash) never sees half a blob.
  private async commit(key: string, write: (tmp: string) => Promise<void>): Promise<BlobInfo> {
    const dest = this.pathOf(key);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.${randomUUID()}.tmp`;
    try {
      await write(tmp);
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const s = await stat(dest);
    return { size: s.size, contentType: contentTypeForKey(key) };
  }

  putFile(key: string, srcPath: string): Promise<BlobInfo> {
    return this.commit(key, (tmp) => copyFile(srcPath, tmp));
  }

  putBuffer(key: string, data: Buffer): Promise<BlobInfo> {
    return this.commit(key, (tmp) => writeFile(tmp, data));
  }

  putStream(key: string, data: Readable): Promise<BlobInfo> {
    return this.commit(key, (tmp) => pipeline(data, createWriteStream(tmp)));
  }

  async stat(key: string): Promise<BlobInfo | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size, contentType: contentTypeForKey(key) } : null;
    } catch {
      return null;
    }
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
  }

  signedUrl(key: string, expiresAt: number): string {
    return this.url(FILE_ROUTE, key, expiresAt, 'GET');
  }

  ownUrl(url: string, now: number): OwnUrl {
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
    if (!isValidBlobKey(key)) return { kind: 'invalid' };
    const check = this.signer.check(
      key,
      u.searchParams.get('expires') ?? undefined,
      u.searchParams.get('signature') ?? undefined,
      now,
    );
    return check === 'valid' ? { kind: 'valid', key } : { kind: check };
  }

  uploadUrl(key: string, expiresAt: number): string {
    return this.url(UPLOAD_ROUTE, key, expiresAt, 'PUT');
  }

  private url(route: string, key: string, expiresAt: number, method: 'GET' | 'PUT'): string {
    const exp = Math.floor(expiresAt / 1000);
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${this.origin()}${route}${path}?expires=${exp}&signature=${this.signer.sign(key, exp, method)}`;
  }
}
