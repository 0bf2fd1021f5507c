// Worker-side verification on real files decoded by real sharp (through media/probe.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FailureCode } from '../contract/wire.js';
import { EngineFailure } from '../engines/engine.js';
import { bmp, gif, HEADS, JPEG_24x16, png, WEBP_20x14 } from './testing/image-fixtures.js';
import { verifyImage } from './verify-image.js';

describe('verifyImage', () => {
  let dir: string;
  let n = 0;
  const file = async (bytes: Buffer): Promise<string> => {
    const path = join(dir, `in${n++}`);
    await writeFile(path, bytes);
    return path;
  };
  const fails = async (bytes: Buffer, code: FailureCode, message?: RegExp | string, slot = 'source') => {
    const path = await file(bytes);
    await assert.rejects(verifyImage(path, slot), (e: unknown) => {
      assert.ok(e instanceof EngineFailure, `expected EngineFailure, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      assert.equal(e.retryable, false);
      assert.ok(e.message.startsWith(`${slot}: `), e.message);
      if (typeof message === 'string') assert.equal(e.message, message);
      else if (message) assert.match(e.message, message);
      return true;
    });
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-verify-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [format, bytes, width, height] of [
    ['png', png(16, 12), 16, 12],
    ['jpeg', JPEG_24x16, 24, 16],
    ['webp', WEBP_20x14, 20, 14],
    ['gif', gif(3, 2), 3, 2],
  ] as const) {
    it(`accepts a ${format}`, async () => {
      const path = await file(bytes);
      assert.deepEqual(await verifyImage(path, 'image_ref[1]'), {
        slot: 'image_ref[1]',
        path,
        kind: 'image',
        format,
        width,
        height,
      });
    });
  }

  it('accepts an image of exactly 8000 px on a side', async () => {
    const media = await verifyImage(await file(png(8000, 2)), 'source');
    assert.equal(media.width, 8000);
  });

  describe('unsupported_format', () => {
    for (const [name, bytes] of [
      ['bmp', bmp(4, 4)],
      ['tiff', HEADS.tiff],
      ['svg', HEADS.svg],
      ['avif', HEADS.avif],
      ['pdf', HEADS.pdf],
      ['html', HEADS.html],
      ['mp4 video', HEADS.mp4],
      ['webm video', HEADS.webm],
      ['unrecognised bytes (zip)', HEADS.zip],
    ] as const) {
      it(`refuses ${name}`, () => fails(bytes, 'unsupported_format', /use PNG, JPEG, WebP or a still GIF/));
    }

    it('names the format it found', async () => {
      await fails(
        bmp(2, 2),
        'unsupported_format',
        'source: input is BMP; use PNG, JPEG, WebP or a still GIF',
      );
      await fails(
        HEADS.mp4,
        'unsupported_format',
        /^video\.start_frame: input is a video \(mp4\)/,
        'video.start_frame',
      );
    });

    it('refuses an animated GIF', () =>
      fails(
        gif(4, 4, 3),
        'unsupported_format',
        /^image_ref\[0\]: animated GIF \(3 frames\)/,
        'image_ref[0]',
      ));
  });

  describe('image_too_large', () => {
    it('refuses a side over 8000 px', () =>
      fails(png(9000, 10), 'image_too_large', /9000×10 px.*8000 px per side/));

    it('refuses a decompression bomb from its header, quickly', async () => {
      const bomb = png(20000, 20000, { depth: 1 });
      assert.ok(bomb.length < 200_000, `bomb is ${bomb.length} B`);
      const started = performance.now();
      await fails(bomb, 'image_too_large', /20000×20000/);
      assert.ok(performance.now() - started < 3000);
    });

    it('applies a lower pixel cap to the frame area', async () => {
      const path = await file(png(100, 100));
      await assert.rejects(verifyImage(path, 'source', { maxSide: 8000, maxPixels: 5000 }), (e: unknown) => {
        return e instanceof EngineFailure && e.code === 'image_too_large';
      });
    });
  });

  describe('corrupt_input', () => {
    const decodeFailed = 'source: input image could not be decoded';

    it('refuses a truncated PNG', async () => {
      const whole = png(64, 64, { noisy: true });
      await fails(whole.subarray(0, Math.floor(whole.length * 0.6)), 'corrupt_input', decodeFailed);
    });

    it('refuses a truncated JPEG', async () => {
      await fails(JPEG_24x16.subarray(0, Math.floor(JPEG_24x16.length * 0.7)), 'corrupt_input', decodeFailed);
    });

    it('refuses a PNG cut inside its header', () =>
      fails(png(16, 16).subarray(0, 20), 'corrupt_input', decodeFailed));

    it('refuses a PNG signature followed by garbage', async () => {
      await fails(
        Buffer.concat([png(1, 1).subarray(0, 8), Buffer.alloc(200, 0x55)]),
        'corrupt_input',
        decodeFailed,
      );
    });

    it('refuses an empty file', () =>
      fails(Buffer.alloc(0), 'corrupt_input', 'source: input image is empty'));
  });
});
