import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sniff, sniffFile } from './sniff.js';
import { bmp, ftyp, gif, HEADS, JPEG_24x16, png, WEBP_20x14 } from './testing/image-fixtures.js';

const cases: [string, Buffer, string, string, string][] = [
  ['png', png(2, 2), 'image', 'png', 'image/png'],
  ['jpeg', JPEG_24x16, 'image', 'jpeg', 'image/jpeg'],
  ['webp', WEBP_20x14, 'image', 'webp', 'image/webp'],
  ['gif', gif(1, 1), 'image', 'gif', 'image/gif'],
  ['bmp', bmp(2, 2), 'image', 'bmp', 'image/bmp'],
  ['tiff (little-endian)', HEADS.tiff, 'image', 'tiff', 'image/tiff'],
  ['tiff (big-endian)', HEADS.tiffBE, 'image', 'tiff', 'image/tiff'],
  ['avif', HEADS.avif, 'image', 'avif', 'image/avif'],
  ['avif behind a generic mif1 brand', ftyp('mif1', ['miaf', 'avif']), 'image', 'avif', 'image/avif'],
  ['heic', HEADS.heic, 'image', 'heic', 'image/heic'],
  ['svg', HEADS.svg, 'image', 'svg', 'image/svg+xml'],
  ['pdf', HEADS.pdf, 'other', 'pdf', 'application/pdf'],
  ['html', HEADS.html, 'other', 'html', 'text/html'],
  ['mp4', HEADS.mp4, 'video', 'mp4', 'video/mp4'],
  ['mov', HEADS.mov, 'video', 'mov', 'video/quicktime'],
  ['3gp', ftyp('3gp5', ['3gp5', 'isom']), 'video', '3gp', 'video/3gpp'],
  ['webm', HEADS.webm, 'video', 'webm', 'video/webm'],
  ['mkv', HEADS.mkv, 'video', 'mkv', 'video/x-matroska'],
  ['avi', HEADS.avi, 'video', 'avi', 'video/x-msvideo'],
  ['zip', HEADS.zip, 'other', 'unknown', 'application/octet-stream'],
  ['m4a audio', ftyp('M4A ', ['M4A ', 'mp42', 'isom']), 'other', 'unknown', 'application/octet-stream'],
  ['empty', Buffer.alloc(0), 'other', 'unknown', 'application/octet-stream'],
  ['plain text', Buffer.from('hello world'), 'other', 'unknown', 'application/octet-stream'],
  [
    '"BM" text that is not a bitmap',
    Buffer.from('BMW owners club newsletter'),
    'other',
    'unknown',
    'application/octet-stream',
  ],
  [
    'WAV (RIFF but neither WEBP nor AVI)',
    Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'),
    'other',
    'unknown',
    'application/octet-stream',
  ],
];

describe('sniff', () => {
  for (const [name, head, kind, format, mime] of cases) {
    it(`recognises ${name}`, () => {
      assert.deepEqual(sniff(head), { kind, format, mime });
    });
  }

  it('finds SVG behind a BOM, whitespace, comments and a doctype', () => {
    const text =
      '\ufeff  \n<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<SVG>';
    assert.equal(sniff(Buffer.from(text)).format, 'svg');
  });

  it('calls an HTML page with inline SVG html, not svg', () => {
    assert.equal(sniff(Buffer.from('<html><body><svg width="1"></svg></body></html>')).format, 'html');
  });

  it('survives heads cut short in the middle of a signature', () => {
    for (const [, head] of cases) {
      for (let n = 0; n < Math.min(head.length, 20); n++)
        assert.doesNotThrow(() => sniff(head.subarray(0, n)));
    }
  });

  it('sniffFile reads the head of a file and reports its size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-sniff-'));
    try {
      const path = join(dir, 'x.bin');
      await writeFile(path, Buffer.concat([png(64, 64, { noisy: true })]));
      const got = await sniffFile(path);
      assert.equal(got.format, 'png');
      assert.ok(got.size > 4096);
      await writeFile(path, Buffer.alloc(0));
      assert.deepEqual(await sniffFile(path), {
        kind: 'other',
        format: 'unknown',
        mime: 'application/octet-stream',
        size: 0,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
