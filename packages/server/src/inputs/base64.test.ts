import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Strict } from './base64.js';
import { IMAGE_MAX_BYTES, IngestError, VIDEO_MAX_BYTES } from './ingest-error.js';

const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x10, 0x83, 0x7e]); // exercises +, / and padding
const std = bytes.toString('base64'); // "+/+/ABCDfg=="
const url = bytes.toString('base64url'); // "-_-_ABCDfg"

function rejects(
  data: string,
  status: number,
  reason: string,
  maxBytes = IMAGE_MAX_BYTES,
  kind?: 'image' | 'video',
) {
  assert.throws(
    () => decodeBase64Strict(data, maxBytes, kind),
    (e: unknown) => e instanceof IngestError && e.status === status && e.reason === reason,
  );
}

describe('decodeBase64Strict', () => {
  it('decodes standard base64 with padding', () => {
    assert.deepEqual(decodeBase64Strict(std, IMAGE_MAX_BYTES), bytes);
  });

  it('decodes the URL-safe alphabet and missing padding', () => {
    assert.deepEqual(decodeBase64Strict(url, IMAGE_MAX_BYTES), bytes);
    assert.deepEqual(decodeBase64Strict(std.replace(/=+$/, ''), IMAGE_MAX_BYTES), bytes);
  });

  it('ignores whitespace and MIME-style line breaks', () => {
    const wrapped = ` ${std.slice(0, 4)}\r\n${std.slice(4, 8)}\n\t${std.slice(8)} \n`;
    assert.deepEqual(decodeBase64Strict(wrapped, IMAGE_MAX_BYTES), bytes);
  });

  it('strips a data: URL prefix', () => {
    assert.deepEqual(decodeBase64Strict(`data:image/png;base64,${std}`, IMAGE_MAX_BYTES), bytes);
    assert.deepEqual(
      decodeBase64Strict(`DATA:image/png;charset=binary;BASE64,${std}`, IMAGE_MAX_BYTES),
      bytes,
    );
  });

  it('refuses a data: URL that is not base64', () => {
    rejects('data:image/svg+xml,<svg/>', 422, 'invalid base64 data');
  });

  it('refuses characters outside both alphabets', () => {
    rejects('iVBO*w0K', 422, 'invalid base64 data');
    rejects('iVBORw0KGgo=\u00e9', 422, 'invalid base64 data');
    rejects('aGVsbG8.', 422, 'invalid base64 data');
  });

  it('refuses bad padding', () => {
    rejects('QQ=', 422, 'invalid base64 data'); // 2 chars + 1 pad is not a multiple of 4
    rejects('QUI===', 422, 'invalid base64 data'); // too much padding
    rejects('QQ==QUJD', 422, 'invalid base64 data'); // data after padding
    rejects('QUJD=', 422, 'invalid base64 data'); // padding where none fits
    rejects('QUJDR', 422, 'invalid base64 data'); // 4n+1 characters cannot be base64
  });

  it('refuses a mix of the standard and URL-safe alphabets', () => {
    rejects('ab+_', 422, 'invalid base64 data');
  });

  it('refuses empty input', () => {
    rejects('', 422, 'invalid base64 data');
    rejects('  \n', 422, 'invalid base64 data');
    rejects('data:image/png;base64,', 422, 'invalid base64 data');
  });

  it('enforces the cap on the decoded size exactly', () => {
    const data = Buffer.alloc(300, 7).toString('base64');
    assert.equal(decodeBase64Strict(data, 300).length, 300);
    rejects(data, 413, 'image exceeds 0 MB limit', 299);
  });

  it('uses the documented messages for the default caps', () => {
    const over = 'A'.repeat(Math.ceil(((IMAGE_MAX_BYTES + 1) * 4) / 3) + 4);
    rejects(over, 413, 'image exceeds 50 MB limit');
    rejects(over + over, 413, 'video exceeds 100 MB limit', VIDEO_MAX_BYTES, 'video');
  });

  it('refuses a 200 MB string without decoding it', () => {
    const huge = 'A'.repeat(200 * 1024 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    rejects(huge, 413, 'image exceeds 50 MB limit');
    // Decoding would allocate ~150 MB of Buffer; refusing early allocates none.
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
    assert.ok(performance.now() - started < 5000);
  });

  it('reports the size limit before an invalid tail it never reaches', () => {
    rejects('A'.repeat(400) + '*', 413, 'image exceeds 0 MB limit', 100);
  });
});
