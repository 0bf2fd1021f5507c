// A streaming ZIP writer for already-compressed members (EXR frames): entries are STORED, written one at a
// time straight to disk with their CRC, so only the current member is ever in memory. Classic ZIP limits
// apply (4 GiB archive, 65 535 entries), far above a 10 s export; exceeding them throws.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309), as ZIP requires. */
export const crc32 = (data: Uint8Array): number => {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const LIMIT = 0xffffffff;
// 1980-01-01 00:00 in DOS format: a fixed timestamp keeps archives byte-identical across runs.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

interface Entry {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
}

/** Writes a ZIP file entry by entry. */
export class ZipWriter {
  private readonly out: WriteStream;
  private readonly entries: Entry[] = [];
  private offset = 0;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  private async write(buf: Buffer): Promise<void> {
    if (this.offset + buf.length > LIMIT) throw new Error('zip archive would exceed 4 GiB');
    this.offset += buf.length;
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }

  /** Appends one stored member. */
  async add(name: string, data: Buffer): Promise<void> {
    if (this.entries.length >= 0xffff) throw new Error('too many zip entries');
    const entry: Entry = {
      name: Buffer.from(name, 'utf8'),
      crc: crc32(data),
      size: data.length,
      offset: this.offset,
    };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6); // UTF-8 names
    h.writeUInt16LE(0, 8); // stored
    h.writeUInt16LE(DOS_TIME, 10);
    h.writeUInt16LE(DOS_DATE, 12);
    h.writeUInt32LE(entry.crc, 14);
    h.writeUInt32LE(entry.size, 18);
    h.writeUInt32LE(entry.size, 22);
    h.writeUInt16LE(entry.name.length, 26);
    h.writeUInt16LE(0, 28);
    await this.write(Buffer.concat([h, entry.name]));
    await this.write(data);
    this.entries.push(entry);
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0800, 8);
      c.writeUInt16LE(0, 10);
      c.writeUInt16LE(DOS_TIME, 12);
      c.writeUInt16LE(DOS_DATE, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.size, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([c, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    this.out.end();
    await once(this.out, 'close');
  }

  /** Abandons the file (on failure); the scratch dir is removed by the worker. */
  destroy(): void {
    this.out.destroy();
  }
}
