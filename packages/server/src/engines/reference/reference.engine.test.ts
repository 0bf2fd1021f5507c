import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { imageSize } from '../../contract/sizes.js';
import type { AspectRatio } from '../../contract/wire.js';
import { rgbToLab, type Rgb } from '../../media/color.js';
import {
  edgeDensity,
  laplacianEnergy,
  lumaCorrelation,
  meanColor,
  meanLuma,
  meanSaturation,
} from '../../media/metrics.js';
import { decodeImage, encodeImage, resizeRaw } from '../../media/raster.js';
import type { RawImage } from '../../media/raw-image.js';
import { EngineFailure } from '../engine.js';
import { ReferenceEngine } from './reference.engine.js';
import { imageRequest, makeJob, media } from './testing/test-support.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const labDistance = (a: Rgb, b: Rgb): number => {
  const x = rgbToLab(a);
  const y = rgbToLab(b);
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
};

describe('reference engine: text-to-image', () => {
  const engine = new ReferenceEngine({ threads: 2 });
  after(() => engine.close());

  const render = async (over: Parameters<typeof imageRequest>[0], inputs = {}) => {
    const job = await makeJob(imageRequest(over), inputs);
    const [file] = await engine.render(job);
    assert.ok(file);
    return { file, bytes: await readFile(file.path), progress: job.progress };
  };

  it('renders the §7 pixel size for every uni ratio', async () => {
    const ratios: AspectRatio[] = ['3:1', '2:1', '16:9', '3:2', '1:1', '2:3', '9:16', '1:2', '1:3'];
    await Promise.all(
      ratios.map(async (r) => {
        const { file } = await render({
          prompt: 'a lake in the hills',
          aspect_ratio: r,
          output_format: 'jpeg',
        });
        const img = await decodeImage(file.path);
        assert.deepEqual({ width: img.width, height: img.height }, imageSize(r), r);
      }),
    );
  });

  it('writes PNG by default and JPEG on request, with matching content types', async () => {
    const png = await render({ output_format: null });
    assert.deepEqual([...png.bytes.subarray(0, 4)], PNG_MAGIC);
    assert.equal(png.file.contentType, 'image/png');
    assert.ok(png.file.path.endsWith('.png'));
    const jpeg = await render({ output_format: 'jpeg' });
    assert.deepEqual([...jpeg.bytes.subarray(0, 3)], JPEG_MAGIC);
    assert.equal(jpeg.file.contentType, 'image/jpeg');
    assert.equal(png.file.type, 'image');
    // Progress is reported in order and ends at 1.
    assert.deepEqual(
      png.progress,
      [...png.progress].sort((a, b) => a - b),
    );
    assert.equal(png.progress.at(-1), 1);
  });

  it('is deterministic: the same request gives byte-identical files', async () => {
    const req = { prompt: 'a city at night by the river with a boat', model: 'uni-1-max' as const };
    const [a, b] = await Promise.all([render(req), render(req)]);
    assert.ok(a.bytes.equals(b.bytes));
    const other = await render({ ...req, prompt: 'a city at night by the river with two boats' });
    assert.ok(!a.bytes.equals(other.bytes));
  });

  it('style manga is greyscale ink and screentone (saturation ≈ 0, more edges)', async () => {
    const prompt = 'a forest in the mountains at dawn';
    const [auto, manga] = await Promise.all([
      render({ prompt, aspect_ratio: '2:3' }),
      render({ prompt, aspect_ratio: '2:3', style: 'manga' }),
    ]);
    const a = await decodeImage(auto.file.path, { fit: { width: 683, height: 1024 } });
    const m = await decodeImage(manga.file.path, { fit: { width: 683, height: 1024 } });
    assert.ok(meanSaturation(m) < 0.01, `manga saturation ${meanSaturation(m)}`);
    assert.ok(meanSaturation(a) > 0.15, `auto saturation ${meanSaturation(a)}`);
    assert.ok(edgeDensity(m) > 3 * edgeDensity(a), `edges ${edgeDensity(m)} vs ${edgeDensity(a)}`);
  });

  it('image_ref shapes the palette: the mean colour moves toward the reference', async () => {
    const ref = new Uint8Array(64 * 64 * 3);
    for (let i = 0; i < 64 * 64; i++) ref.set([30 + (i % 64), 170, 90], i * 3);
    const job = await makeJob(imageRequest({}));
    const refPath = `${job.scratchDir}/ref.png`;
    await writeFile(refPath, await encodeImage(ref, 64, 64, 'png'));
    const refMean = meanColor(await decodeImage(refPath));
    const prompt = 'mountains over a lake at sunset';
    const plain = await render({ prompt });
    const shaped = await render({ prompt }, { imageRefs: [media('image_ref[0]', refPath, 64, 64)] });
    const dPlain = labDistance(
      meanColor(await decodeImage(plain.file.path, { fit: { width: 512, height: 512 } })),
      refMean,
    );
    const dShaped = labDistance(
      meanColor(await decodeImage(shaped.file.path, { fit: { width: 512, height: 512 } })),
      refMean,
    );
    assert.ok(dShaped < dPlain * 0.6, `ΔE to reference: ${dShaped} with ref vs ${dPlain} without`);
  });

  it('uni-1-max paints the same scene with measurably more detail than uni-1', async () => {
    for (const prompt of ['snowy mountains at dawn', 'a city skyline at night over the sea']) {
      const [base, max] = await Promise.all([render({ prompt }), render({ prompt, model: 'uni-1-max' })]);
      const lb = laplacianEnergy(await decodeImage(base.file.path));
      const lm = laplacianEnergy(await decodeImage(max.file.path));
      assert.ok(lm > lb * 1.15, `${prompt}: Laplacian ${lm} (max) vs ${lb} (uni-1)`);
    }
  });

  it('video_edit without a video source fails as invalid_request (no fake output)', async () => {
    const job = await makeJob(imageRequest({ type: 'video_edit', model: 'ray-3.2' }));
    await assert.rejects(engine.render(job), (err: unknown) => {
      assert.ok(err instanceof EngineFailure);
      assert.equal(err.code, 'invalid_request');
      assert.equal(err.retryable, false);
      return true;
    });
  });
});

describe('reference engine: pool behaviour', () => {
  it('aborts a running job and keeps serving', async () => {
    const engine = new ReferenceEngine({ threads: 1 });
    try {
      const ac = new AbortController();
      const job = await makeJob(imageRequest({ model: 'uni-1-max' }), {}, ac.signal);
      const pending = engine.render(job);
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(pending, { name: 'AbortError' });
      const queued = new AbortController();
      queued.abort();
      await assert.rejects(engine.render(await makeJob(imageRequest({}), {}, queued.signal)), {
        name: 'AbortError',
      });
      const [file] = await engine.render(await makeJob(imageRequest({ aspect_ratio: '1:1' })));
      assert.ok(file);
    } finally {
      await engine.close();
    }
  });

  it('runs jobs concurrently on separate threads', async () => {
    const engine = new ReferenceEngine({ threads: 2 });
    try {
      const events: string[] = [];
      const start = async (name: string) => {
        const job = await makeJob(imageRequest({ prompt: `${name} mountains`, model: 'uni-1-max' }));
        job.onProgress = (f) => {
          if (f > 0 && f < 1) events.push(`${name}:progress`);
        };
        await engine.render(job);
        events.push(`${name}:done`);
      };
      await Promise.all([start('a'), start('b')]);
      const firstDone = events.findIndex((e) => e.endsWith(':done'));
      assert.ok(
        events.slice(0, firstDone).some((e) => e.startsWith('a')),
        events.join(' '),
      );
      assert.ok(
        events.slice(0, firstDone).some((e) => e.startsWith('b')),
        events.join(' '),
      );
    } finally {
      await engine.close();
    }
  });
});

describe('reference engine: image_edit', () => {
  const engine = new ReferenceEngine({ threads: 2 });
  let sourcePath = '';
  let source = { width: 0, height: 0 };
  before(async () => {
    // A real scene as the source, resized to an odd size to prove the edit keeps it.
    const job = await makeJob(imageRequest({ prompt: 'a lighthouse on the coast at golden hour' }));
    const [file] = await engine.render(job);
    const img = await decodeImage(file!.path, { fit: { width: 801, height: 451 } });
    source = { width: img.width, height: img.height };
    sourcePath = `${job.scratchDir}/source.png`;
    await writeFile(sourcePath, await encodeImage(img.data, img.width, img.height, 'png'));
  });
  after(() => engine.close());

  const edit = async (prompt: string, over = {}) => {
    const job = await makeJob(imageRequest({ type: 'image_edit', prompt, ...over }), {
      source: media('source', sourcePath, source.width, source.height),
    });
    const [file] = await engine.render(job);
    return decodeImage(file!.path);
  };

  it('keeps the source size and composition for every kind of edit', async () => {
    // Composition = luma correlation after downscaling, so screentone dots and hatching average out.
    const small = (img: RawImage) => resizeRaw(img, 96, 54);
    const src = await small(await decodeImage(sourcePath));
    for (const prompt of [
      'make it blue',
      'at dusk',
      'night',
      'black and white',
      'watercolor',
      'sketch',
      'add a dragon',
    ]) {
      const out = await edit(prompt);
      assert.deepEqual({ width: out.width, height: out.height }, source, prompt);
      const r = lumaCorrelation(src, await small(out));
      assert.ok(r > 0.6, `${prompt}: luma correlation ${r}`);
    }
    const manga = await edit('redraw it', { style: 'manga' });
    const rm = lumaCorrelation(src, await small(manga));
    assert.ok(rm > 0.6, `manga: luma correlation ${rm}`);
    assert.ok(meanSaturation(manga) < 0.01);
  });

  it('applies colour words, black-and-white and time-of-day grades', async () => {
    const src = await decodeImage(sourcePath);
    const blue = meanColor(await edit('make it blue'));
    const orig = meanColor(src);
    assert.ok(
      blue[2] - blue[0] > orig[2] - orig[0] + 30,
      `blue−red ${blue[2] - blue[0]} vs ${orig[2] - orig[0]}`,
    );
    const bw = await edit('black and white');
    assert.ok(meanSaturation(bw) < 0.01);
    const dusk = await edit('at dusk');
    assert.ok(meanLuma(dusk) < meanLuma(src) * 0.85, `dusk luma ${meanLuma(dusk)} vs ${meanLuma(src)}`);
    const night = await edit('at night');
    assert.ok(meanLuma(night) < meanLuma(src) * 0.5, `night luma ${meanLuma(night)} vs ${meanLuma(src)}`);
    const nightColor = meanColor(night);
    assert.ok(nightColor[2] > nightColor[0], 'night is blue');
    // Words the engine does not know still change the picture (a seeded grade).
    const unknown = await edit('more drama please');
    assert.ok(
      labDistance(meanColor(unknown), orig) > 2 || Math.abs(meanLuma(unknown) - meanLuma(src)) > 0.02,
    );
  });

  it('transfers colour from image_ref references', async () => {
    const ref = new Uint8Array(32 * 32 * 3);
    for (let i = 0; i < 32 * 32; i++) ref.set([200, 40 + (i % 32), 120], i * 3);
    const refPath = `${sourcePath}.ref.png`;
    await writeFile(refPath, await encodeImage(ref, 32, 32, 'png'));
    const refMean = meanColor(await decodeImage(refPath));
    const job = await makeJob(imageRequest({ type: 'image_edit', prompt: 'in this style' }), {
      source: media('source', sourcePath, source.width, source.height),
      imageRefs: [media('image_ref[0]', refPath, 32, 32)],
    });
    const [file] = await engine.render(job);
    const out = await decodeImage(file!.path);
    const before = labDistance(meanColor(await decodeImage(sourcePath)), refMean);
    const afterD = labDistance(meanColor(out), refMean);
    assert.ok(afterD < before * 0.6, `ΔE ${afterD} vs ${before}`);
  });
});
