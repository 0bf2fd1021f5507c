import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDepthModel, normaliseDepth, toModelInput } from './depth-model.js';
import { channelMeanModel } from './onnx-test-model.js';

/** 64×48 grey with a bright square at (40..56, 8..24). */
const picture = (): Uint8Array => {
  const rgb = new Uint8Array(64 * 48 * 3).fill(60);
  for (let y = 8; y < 24; y++)
    for (let x = 40; x < 56; x++) rgb.fill(230, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
  return rgb;
};

describe('depth model slot (local ONNX file, onnxruntime-web WASM)', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-onnx-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('loads a model with symbolic size and maps its output to a 0..1 near map at the asked size', async () => {
    const path = join(dir, 'free.onnx');
    await writeFile(path, channelMeanModel());
    const model = await loadDepthModel(path, { width: 32, height: 24 });
    assert.deepEqual(model.input, { width: 32, height: 24 });
    const d = await model.estimate(picture(), 64, 48, { width: 16, height: 12 });
    assert.equal(d.length, 16 * 12);
    assert.ok(Math.abs(d[4 * 16 + 12]! - 1) < 0.05, `bright square ${d[4 * 16 + 12]}`);
    assert.ok(d[10 * 16 + 2]! < 0.05);
  });

  it('resizes frames to a fixed model input; refuses a file that is not a model', async () => {
    const path = join(dir, 'fixed.onnx');
    await writeFile(path, channelMeanModel({ width: 20, height: 10 }));
    const model = await loadDepthModel(path, { width: 32, height: 24 });
    assert.deepEqual(model.input, { width: 20, height: 10 });
    const d = await model.estimate(picture(), 64, 48, { width: 8, height: 6 });
    assert.equal(d.length, 48);
    const bad = join(dir, 'bad.onnx');
    await writeFile(bad, 'not a model');
    await assert.rejects(loadDepthModel(bad, { width: 8, height: 8 }));
  });

  it('pure helpers: ImageNet normalisation, min–max normalisation', () => {
    const x = toModelInput(Uint8Array.from([255, 0, 128]), 1, 1);
    assert.ok(Math.abs(x[0]! - (1 - 0.485) / 0.229) < 1e-5);
    assert.ok(Math.abs(x[1]! - (0 - 0.456) / 0.224) < 1e-5);
    const n = normaliseDepth(Float32Array.from([2, 4, 6, 8]), 2, 2, { width: 2, height: 2 });
    assert.deepEqual(
      [...n].map((v) => Math.round(v * 3)),
      [0, 1, 2, 3],
    );
    assert.ok(
      normaliseDepth(new Float32Array(4).fill(5), 2, 2, { width: 2, height: 2 }).every((v) => v === 0),
    );
  });
});
