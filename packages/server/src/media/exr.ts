// A minimal OpenEXR 2.0 writer: scanline image, three HALF channels (B, G, R), ZIP compression (zlib over
// 16-line blocks after OpenEXR's byte split and delta predictor), ACES AP0 chromaticities. Enough for any
// standard reader (OpenEXR, ffmpeg, Nuke, Resolve) and a few megabytes per 1080p frame instead of twelve.
import { deflateSync } from 'node:zlib';
import { toHalf } from './half.js';

/** Lines per ZIP block (fixed by the format for ZIP_COMPRESSION). */
export const EXR_ZIP_LINES = 16;

/** ACES2065-1 (AP0) primaries and the ACES white point, as written into the header. */
export const AP0_CHROMATICITIES = [0.7347, 0.2653, 0.0, 1.0, 0.0001, -0.077, 0.32168, 0.33767] as const;

const attr = (name: string, type: string, value: Buffer): Buffer => {
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  return Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), size, value]);
};

const i32s = (...v: number[]): Buffer => {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeInt32LE(x, i * 4));
  return b;
};

const f32s = (...v: number[]): Buffer => {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeFloatLE(x, i * 4));
  return b;
};

/** Channel names in the order EXR stores them (alphabetical). */
const CHANNELS = ['B', 'G', 'R'] as const;

const header = (width: number, height: number): Buffer => {
  const chlist = Buffer.concat([
    ...CHANNELS.map((c) =>
      Buffer.concat([Buffer.from(`${c}\0`, 'latin1'), i32s(1), Buffer.alloc(4), i32s(1, 1)]),
    ),
    Buffer.alloc(1),
  ]);
  return Buffer.concat([
    Buffer.from([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0]),
    attr('channels', 'chlist', chlist),
    attr('chromaticities', 'chromaticities', f32s(...AP0_CHROMATICITIES)),
    attr('compression', 'compression', Buffer.from([3])),
    attr('dataWindow', 'box2i', i32s(0, 0, width - 1, height - 1)),
    attr('displayWindow', 'box2i', i32s(0, 0, width - 1, height - 1)),
    attr('lineOrder', 'lineOrder', Buffer.from([0])),
    attr('pixelAspectRatio', 'float', f32s(1)),
    attr('screenWindowCenter', 'v2f', f32s(0, 0)),
    attr('screenWindowWidth', 'float', f32s(1)),
    Buffer.alloc(1),
  ]);
};

/** OpenEXR's ZIP pre-pass: even bytes then odd bytes, then a byte-wise delta (makes halves compress). */
export const zipPredict = (raw: Uint8Array): Buffer => {
  const n = raw.length;
  const t = Buffer.alloc(n);
  let a = 0;
  let b = (n + 1) >> 1;
  for (let i = 0; i < n; i += 2) {
    t[a++] = raw[i]!;
    if (i + 1 < n) t[b++] = raw[i + 1]!;
  }
  let p = t[0] ?? 0;
  for (let i = 1; i < n; i++) {
    const d = (t[i]! - p + 128 + 256) & 0xff;
    p = t[i]!;
    t[i] = d;
  }
  return t;
};

/**
 * A frame source: fills `out` with the half bits of `width` samples of one channel on row `y`.
 * Channel order is B, G, R.
 */
export type RowSource = (y: number, channel: 0 | 1 | 2, out: Uint16Array) => void;

/** Encodes one half-float RGB image; `level` is the zlib level (1 = fast, what the video export uses). */
export const encodeExr = (width: number, height: number, row: RowSource, level = 1): Buffer => {
  const head = header(width, height);
  const blocks = Math.ceil(height / EXR_ZIP_LINES);
  const chunks: Buffer[] = [];
  const line = new Uint16Array(width);
  for (let bi = 0; bi < blocks; bi++) {
    const y0 = bi * EXR_ZIP_LINES;
    const lines = Math.min(EXR_ZIP_LINES, height - y0);
    const raw = Buffer.alloc(lines * 3 * width * 2);
    let o = 0;
    for (let y = y0; y < y0 + lines; y++) {
      for (let c = 0; c < 3; c++) {
        row(y, c as 0 | 1 | 2, line);
        for (let x = 0; x < width; x++) {
          raw[o++] = line[x]! & 0xff;
          raw[o++] = line[x]! >>> 8;
        }
      }
    }
    const packed = deflateSync(zipPredict(raw), { level });
    const data = packed.length < raw.length ? packed : raw;
    const pre = Buffer.alloc(8);
    pre.writeInt32LE(y0, 0);
    pre.writeInt32LE(data.length, 4);
    chunks.push(pre, data);
  }
  const table = Buffer.alloc(blocks * 8);
  let offset = head.length + table.length;
  for (let bi = 0; bi < blocks; bi++) {
    table.writeBigUInt64LE(BigInt(offset), bi * 8);
    offset += chunks[bi * 2]!.length + chunks[bi * 2 + 1]!.length;
  }
  return Buffer.concat([head, table, ...chunks]);
};

/** Converts one float to half bits (re-exported for row sources). */
export { toHalf };
