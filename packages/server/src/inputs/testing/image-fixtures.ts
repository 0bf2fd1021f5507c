// Test fixtures built byte by byte, so tests outside media/ need no image library (only media/ imports
// sharp) and so hostile files (bombs, truncations, lies) can be made exactly and in milliseconds.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Deterministic pseudo-random bytes (so "noisy" fixtures compress badly and cut mid-data). */
export function noise(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A PNG. `depth: 1` grey is how a decompression bomb stays cheap to build: a 20000×20000 frame is
 * 50 MB of zero rows before deflate and ~50 KB after. `noisy` fills RGB pixels with noise instead.
 */
export function png(width: number, height: number, opts: { depth?: 1 | 8; noisy?: boolean } = {}): Buffer {
  const depth = opts.depth ?? 8;
  const channels = depth === 1 ? 1 : 3;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: grey / RGB
  const rowBytes = 1 + Math.ceil((width * channels * depth) / 8); // leading filter byte 0 (None)
  const raw = opts.noisy === true ? noise(rowBytes * height) : Buffer.alloc(rowBytes * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * rowBytes] = 0;
  const idat = deflateSync(raw, { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// GIF image data where every pixel is preceded by a clear code: the LZW table never grows, so codes stay
// minCodeSize + 1 bits wide and a tiny bit packer is a complete encoder.
function lzwFrame(width: number, height: number, colour: number): Buffer {
  const minCodeSize = 2;
  const clear = 1 << minCodeSize;
  const codes: number[] = [];
  for (let i = 0; i < width * height; i++) codes.push(clear, colour);
  codes.push(clear + 1);
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const code of codes) {
    acc |= code << bits;
    bits += minCodeSize + 1;
    while (bits >= 8) {
      bytes.push(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes.push(acc & 0xff);
  const blocks: number[] = [minCodeSize];
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  blocks.push(0);
  return Buffer.from(blocks);
}

/** A GIF89a with `frames` frames (more than one = animated, with a NETSCAPE loop block). */
export function gif(width: number, height: number, frames = 1): Buffer {
  const header = Buffer.alloc(13);
  header.write('GIF89a', 0, 'latin1');
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0x81; // global colour table, 2^(1+1) = 4 entries
  const palette = Buffer.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  const parts: Buffer[] = [header, palette];
  if (frames > 1) parts.push(Buffer.from('21ff0b4e45545343415045322e300301000000', 'hex'));
  for (let f = 0; f < frames; f++) {
    parts.push(Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00])); // 100 ms delay
    const desc = Buffer.alloc(10);
    desc[0] = 0x2c;
    desc.writeUInt16LE(width, 5);
    desc.writeUInt16LE(height, 7);
    parts.push(desc, lzwFrame(width, height, f % 4));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/** A 24-bit BMP (BITMAPINFOHEADER). */
export function bmp(width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const h = Buffer.alloc(54);
  h.write('BM', 0, 'latin1');
  h.writeUInt32LE(54 + rowBytes * height, 2);
  h.writeUInt32LE(54, 10);
  h.writeUInt32LE(40, 14);
  h.writeInt32LE(width, 18);
  h.writeInt32LE(height, 22);
  h.writeUInt16LE(1, 26);
  h.writeUInt16LE(24, 28);
  return Buffer.concat([h, Buffer.alloc(rowBytes * height, 0x40)]);
}

/** A 24×16 baseline JPEG (made once with sharp; noisy so a cut lands in entropy-coded data). */
export const JPEG_24x16 = Buffer.from(
  '/9j/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQ' +
    'EBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAQABgDASIAAhEBAxEB/8QAFwAA' +
    'AwEAAAAAAAAAAAAAAAAAAAIDBP/EACMQAAICAgICAQUAAAAAAAAAAAECAxESIQAEIjEFExRBYZH/xAAWAQEBAQAAAAAAAAAAAAAAAAABAgP/' +
    'xAAiEQABBAECBwAAAAAAAAAAAAABAAIRIQNRgRITMUFxwfD/2gAMAwEAAhEDEQA/ALdH6CyQxiV4FVSKkIXEg6xTHVq+lNEZewSDzMIoJEmw' +
    'RZAAGZnplS6Nkj02RUHZugRl6483XHZjkdew2MTqqyIzYSKwHithcjQFVugf0Akyj5B5JWmpVVnX8OYyQQQSSCDkAav1/BwAbE+drtAa4mxX' +
    'T6O2ivJ1pSD0h2l7LpkyRnJzY0ZN7NkHZNG9Gxw5DpQwHrfbw9ZTGiMWVkPnvwIPsEavIbAqyKIObMGR0hmThjb2FYy8ow4Ezei//9k=',
  'base64',
);

/** A 20×14 lossy WebP (made once with sharp). */
export const WEBP_20x14 = Buffer.from(
  'UklGRtoAAABXRUJQVlA4IM4AAACQBQCdASoUAA4APtFUo0uoJKMhsAgBABoJaACdMoMYJnbskt8A1gTiu7gDc79SRoAbKNGeAADbnbXUhLgK' +
    'hm4QVnHGsg7sa+Nps3AtTZbXOg4O66WU5HCRRR8zv81NzCN3UKpPCorh8Is5lfjaqyblfzN9VHvydzIY1wRDDJxIIsDbflenPVtgg9gyCp6f' +
    'jGPitGb5gZJ/1eLXKVasVP8oBxu+rDvYJU6BSWOe5Z6oZqjZoTy1OTD3WYn3lldeNuma0c3TVBR0yOlE7lWAAA==',
  'base64',
);

/** An ISO-BMFF `ftyp` box (the start of MP4, MOV, AVIF, HEIC files). */
export function ftyp(major: string, compatible: string[]): Buffer {
  const body = Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length, 0);
  return Buffer.concat([size, Buffer.from('ftyp'), body]);
}

/** First bytes of formats the image pipeline refuses (sniffing never needs more). */
export const HEADS = {
  tiff: Buffer.from('49492a000800000000000000', 'hex'),
  tiffBE: Buffer.from('4d4d002a0000000800000000', 'hex'),
  svg: Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
  ),
  html: Buffer.from('<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>'),
  pdf: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
  mp4: ftyp('isom', ['isom', 'iso2', 'avc1', 'mp41']),
  mov: ftyp('qt  ', ['qt  ']),
  avif: ftyp('avif', ['avif', 'mif1', 'miaf']),
  heic: ftyp('heic', ['mif1', 'heic']),
  webm: Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282847765626d42878104', 'hex'),
  mkv: Buffer.from(
    '1a45dfa3a34286810142f7810142f2810442f38108428288' + Buffer.from('matroska').toString('hex'),
    'hex',
  ),
  avi: Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('AVI LIST')]),
  zip: Buffer.from('504b0304140000000800', 'hex'),
} as const;
