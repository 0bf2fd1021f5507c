// Reads back the EXR files that exr.ts writes (scanline, HALF channels, NO or ZIP compression). Used by
// tests and tools to check exported values; not a general OpenEXR reader.
import { inflateSync } from 'node:zlib';
import { fromHalf } from './half.js';

/** A decoded image: one float plane per channel, keyed by channel name. */
export interface ExrImage {
  width: number;
  height: number;
  channels: Map<string, Float32Array>;
  /** Header attributes as raw bytes, by name. */
  attributes: Map<string, Buffer>;
}

const cstr = (buf: Buffer, at: number): [string, number] => {
  const end = buf.indexOf(0, at);
  return [buf.toString('latin1', at, end), end + 1];
};

const unpredict = (t: Buffer): Buffer => {
  for (let i = 1; i < t.length; i++) t[i] = (t[i - 1]! + t[i]! - 128) & 0xff;
  const n = t.length;
  const out = Buffer.alloc(n);
  let a = 0;
  let b = (n + 1) >> 1;
  for (let i = 0; i < n; i += 2) {
    out[i] = t[a++]!;
    if (i + 1 < n) out[i + 1] = t[b++]!;
  }
  return out;
};

/** Decodes an EXR buffer. */
export const readExr = (buf: Buffer): ExrImage => {
  if (buf.readUInt32LE(0) !== 20000630) throw new Error('not an OpenEXR file');
  let at = 8;
  const attributes = new Map<string, Buffer>();
  for (;;) {
    const [name, next] = cstr(buf, at);
    if (!name) {
      at = next;
      break;
    }
    const [, afterType] = cstr(buf, next);
    const size = buf.readInt32LE(afterType);
    attributes.set(name, buf.subarray(afterType + 4, afterType + 4 + size));
    at = afterType + 4 + size;
  }
  const dw = attributes.get('dataWindow');
  const cl = attributes.get('channels');
  const comp = attributes.get('compression')?.[0] ?? 0;
  if (!dw || !cl) throw new Error('missing dataWindow or channels');
  const width = dw.readInt32LE(8) - dw.readInt32LE(0) + 1;
  const height = dw.readInt32LE(12) - dw.readInt32LE(4) + 1;
  const names: string[] = [];
  for (let p = 0; cl[p] !== 0;) {
    const [name, next] = cstr(cl, p);
    if (cl.readInt32LE(next) !== 1) throw new Error('only HALF channels are supported');
    names.push(name);
    p = next + 16;
  }
  const lines = comp === 3 ? 16 : 1;
  if (comp !== 0 && comp !== 3) throw new Error(`unsupported compression ${comp}`);
  const channels = new Map(names.map((n) => [n, new Float32Array(width * height)]));
  const blocks = Math.ceil(height / lines);
  for (let bi = 0; bi < blocks; bi++) {
    const off = Number(buf.readBigUInt64LE(at + bi * 8));
    const y0 = buf.readInt32LE(off);
    const size = buf.readInt32LE(off + 4);
    const n = Math.min(lines, height - y0);
    const expected = n * names.length * width * 2;
    let data = buf.subarray(off + 8, off + 8 + size);
    if (size < expected) data = unpredict(inflateSync(data));
    let o = 0;
    for (let y = y0; y < y0 + n; y++) {
      for (const name of names) {
        const plane = channels.get(name)!;
        for (let x = 0; x < width; x++, o += 2) plane[y * width + x] = fromHalf(data.readUInt16LE(o));
      }
    }
  }
  return { width, height, channels, attributes };
};
