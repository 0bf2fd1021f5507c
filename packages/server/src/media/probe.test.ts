// Header probe and full-decode check on fixtures made here with real sharp.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { decodeCheck, ImageProbeError, probeImage, type ProbeProblem } from './probe.js';

const LIMITS = { maxSide: 8000, maxPixels: 8000 * 8000 };

const noisy = (width: number, height: number) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  });
const flat = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } });

async function animatedGif(width: number, height: number, frames: number): Promise<Buffer> {
  // Distinct frames: an encoder may merge identical ones into a single frame.
  const raw = Buffer.alloc(width * height * frames * 3);
  for (let f = 0; f < frames; f++)
    raw.fill(40 + f * 60, f * width * height * 3, (f + 1) * width * height * 3);
  return sharp(raw, { raw: { width, height: height * frames, channels: 3, pageHeight: height } })
    .gif({ delay: Array.from({ length: frames }, () => 100) })
    .toBuffer();
}

/** Rewrites a PNG's IHDR to claim another size: what a decompression bomb's header looks like. */
function claimSize(pngBytes: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(pngBytes);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

const isProblem = (problem: ProbeProblem) => (e: unknown) =>
  e instanceof ImageProbeError && e.problem === problem;

describe('media/probe', () => {
  let dir: string;
  let n = 0;
  const file = async (bytes: Buffer | Promise<Buffer>): Promise<string> => {
    const path = join(dir, `p${n++}`);
    await writeFile(path, await bytes);
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-probe-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('probeImage', () => {
    for (const [format, make] of [
      ['png', () => flat(32, 20).png().toBuffer()],
      ['jpeg', () => noisy(32, 20).jpeg().toBuffer()],
      ['webp', () => flat(32, 20).webp().toBuffer()],
      ['gif', () => flat(32, 20).gif().toBuffer()],
      ['tiff', () => flat(32, 20).tiff().toBuffer()],
    ] as const) {
      it(`reads a ${format} header`, async () => {
        assert.deepEqual(await probeImage(await file(make()), LIMITS), {
          format,
          width: 32,
          height: 20,
          pages: 1,
        });
      });
    }

    it('reports the frame size and frame count of an animated GIF', async () => {
      assert.deepEqual(await probeImage(await file(animatedGif(10, 6, 3)), LIMITS), {
        format: 'gif',
        width: 10,
        height: 6,
        pages: 3,
      });
    });

    it('reports display dimensions for an EXIF-rotated JPEG', async () => {
      const rotated = await noisy(30, 10).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const got = await probeImage(await file(rotated), LIMITS);
      assert.deepEqual([got.width, got.height], [10, 30]);
    });

    it('refuses a side over the limit', async () => {
      await assert.rejects(
        probeImage(await file(flat(9000, 10).png().toBuffer()), LIMITS),
        isProblem('too_large'),
      );
      await assert.rejects(
        probeImage(await file(flat(10, 9000).png().toBuffer()), LIMITS),
        isProblem('too_large'),
      );
    });

    it('refuses a frame over the pixel cap', async () => {
      const path = await file(flat(100, 100).png().toBuffer());
      await assert.rejects(probeImage(path, { maxSide: 8000, maxPixels: 9999 }), isProblem('too_large'));
      assert.equal((await probeImage(path, { maxSide: 8000, maxPixels: 10000 })).width, 100);
    });

    it('refuses a decompression bomb from its header alone', async () => {
      const bomb = claimSize(await flat(8, 8).png().toBuffer(), 20000, 20000);
      await assert.rejects(probeImage(await file(bomb), LIMITS), (e: unknown) => {
        return isProblem('too_large')(e) && /20000×20000/.test((e as Error).message);
      });
    });

    it('refuses bytes that are no image', async () => {
      await assert.rejects(
        probeImage(await file(Buffer.from('plain text, not pixels')), LIMITS),
        isProblem('unreadable'),
      );
      const png = await flat(8, 8).png().toBuffer();
      await assert.rejects(probeImage(await file(png.subarray(0, 20)), LIMITS), isProblem('unreadable'));
    });
  });

  describe('decodeCheck', () => {
    it('passes complete images', async () => {
      await decodeCheck(await file(noisy(64, 48).png().toBuffer()), LIMITS.maxPixels);
      await decodeCheck(await file(noisy(64, 48).jpeg().toBuffer()), LIMITS.maxPixels);
      await decodeCheck(await file(noisy(64, 48).webp().toBuffer()), LIMITS.maxPixels);
      await decodeCheck(await file(animatedGif(10, 6, 3)), LIMITS.maxPixels);
    });

    for (const [format, make] of [
      ['png', () => noisy(64, 48).png().toBuffer()],
      ['jpeg', () => noisy(64, 48).jpeg().toBuffer()],
    ] as const) {
      it(`catches a truncated ${format} whose header still reads`, async () => {
        const whole = await make();
        const path = await file(whole.subarray(0, Math.floor(whole.length * 0.8)));
        await probeImage(path, LIMITS); // the header survives the cut…
        await assert.rejects(decodeCheck(path, LIMITS.maxPixels), isProblem('unreadable')); // …the pixels do not
      });
    }

    it('catches a truncated webp (its RIFF length no longer matches, so the header already fails)', async () => {
      const whole = await noisy(64, 48).webp().toBuffer();
      const path = await file(whole.subarray(0, Math.floor(whole.length * 0.8)));
      await assert.rejects(probeImage(path, LIMITS), isProblem('unreadable'));
      await assert.rejects(decodeCheck(path, LIMITS.maxPixels), isProblem('unreadable'));
    });

    it('refuses to decode past the pixel cap', async () => {
      const bomb = claimSize(await flat(8, 8).png().toBuffer(), 20000, 20000);
      await assert.rejects(decodeCheck(await file(bomb), LIMITS.maxPixels), isProblem('too_large'));
    });
  });
});
