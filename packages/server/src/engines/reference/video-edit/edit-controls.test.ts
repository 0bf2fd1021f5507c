// Control signals of video_edit (contract §2.5 AdvancedControls) computed from a clip with a walking
// figure: every knob changes the render measurably, pose and faces are found by the shipped model, and the
// debug side video shows non-empty signals.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AdvancedControls } from '../../../contract/wire.js';
import { channelMeanModel } from './controls/onnx-test-model.js';
import { probe } from '../testing/video-test-support.js';
import {
  decodeRgb,
  editRequest,
  figureClip,
  meanAbsDiff,
  renderSource,
} from '../testing/edit-test-support.js';

const W = 640;
const H = 360;

describe('video_edit control signals (real ffmpeg)', () => {
  let dir = '';
  let source = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-edit-controls-'));
    source = join(dir, 'figure.mp4');
    await figureClip(source, 0.5);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const rendered = async (controls: AdvancedControls): Promise<Buffer> => {
    const req = editRequest('an oil painting at sunset', { edit: { strength: 'reimagine_3', controls } });
    const { files } = await renderSource(req, source);
    return decodeRgb(files[0]!.path, W, H);
  };

  it('pose and face come from the shipped model; face control keeps the face recognisably the same', async (t) => {
    const signals = async (controls: AdvancedControls) => {
      const req = editRequest('at night, deep blue', { edit: { strength: 'reimagine_3', controls } });
      const { log } = await renderSource(req, source);
      return log.find((l) => 'signals' in l)?.signals as {
        framesWithBodies: number;
        framesWithFaces: number;
        faceSimilarity: number | null;
      };
    };
    const on = await signals({});
    const off = await signals({ face: { enabled: false }, pose: { enabled: false } });
    t.diagnostic(`with face/pose: ${JSON.stringify(on)}; without: ${JSON.stringify(off)}`);
    assert.ok(on.framesWithBodies >= 10, `bodies on ${on.framesWithBodies} of 12 frames`);
    assert.ok(on.framesWithFaces >= 10, `faces on ${on.framesWithFaces} of 12 frames`);
    assert.ok(on.faceSimilarity !== null && on.faceSimilarity > 0.5, `similarity ${on.faceSimilarity}`);
    assert.equal(off.framesWithBodies, 0);
  });

  it('enabled, sparsity, blur, augmentation and pose strength each change the result measurably', async (t) => {
    // The flow-based signals are compared with pose and face off (no model to load: a cheaper render),
    // the model-based ones against the defaults.
    const noModel: AdvancedControls = { pose: { enabled: false }, face: { enabled: false } };
    const light = await rendered(noModel);
    const full = await rendered({});
    const variants: [string, AdvancedControls, Buffer][] = [
      ['trajectory off', { ...noModel, trajectory: { enabled: false } }, light],
      ['sparsity 1', { ...noModel, trajectory: { sparsity: 1 } }, light],
      ['sparsity 0', { ...noModel, trajectory: { sparsity: 0 } }, light],
      ['depth off', { ...noModel, depth: { enabled: false } }, light],
      ['blur 1', { ...noModel, depth: { blur: 1 } }, light],
      ['normals off', { ...noModel, normals: { enabled: false } }, light],
      ['augmentation 1', { ...noModel, normals: { augmentation: 1 } }, light],
      ['pose off', { pose: { enabled: false } }, full],
      ['pose coarse', { pose: { strength: 'coarse' } }, full],
      ['face off', { face: { enabled: false } }, full],
    ];
    const report: string[] = [];
    const outputs = new Map<string, Buffer>();
    for (const [name, controls, base] of variants) {
      const out = await rendered(controls);
      outputs.set(name, out);
      const d = meanAbsDiff(out, base);
      report.push(`${name}: ${d.toFixed(3)}`);
      assert.ok(d > 0.15, `${name} changed the render by only ${d.toFixed(3)} (${report.join(', ')})`);
    }
    t.diagnostic(`mean |variant − base|: ${report.join(', ')}`);
    // Fewer anchors hold less of the source: the edit goes further from it with sparsity 1 than with 0.
    const src = await decodeRgb(source, W, H);
    assert.ok(meanAbsDiff(outputs.get('sparsity 1')!, src) > meanAbsDiff(outputs.get('sparsity 0')!, src));
    // Coarse pose holds the body more loosely than precise: the output drifts further from the source.
    assert.ok(meanAbsDiff(outputs.get('pose coarse')!, src) > meanAbsDiff(full, src));
  });

  it('a local ONNX depth model replaces the approximate depth and changes the render', async () => {
    const model = join(dir, 'depth.onnx');
    await writeFile(model, channelMeanModel());
    const req = editRequest('an oil painting at sunset', {
      edit: { strength: 'reimagine_3', controls: { pose: { enabled: false }, face: { enabled: false } } },
    });
    const approx = await renderSource(req, source);
    const learnt = await renderSource(req, source, {}, { depthModel: model });
    assert.equal(learnt.log.find((l) => 'depth' in l)?.depth, 'model');
    const d = meanAbsDiff(
      await decodeRgb(approx.files[0]!.path, W, H),
      await decodeRgb(learnt.files[0]!.path, W, H),
    );
    assert.ok(d > 0.15, `depth model changed the render by ${d}`);
  });

  it('the debug side video shows tracks, depth, normals and the hold map on a clip with a figure', async () => {
    const { files } = await renderSource(editRequest('a blue evening'), source, {}, { controlsDir: dir });
    assert.equal(files.length, 1, 'the side video is not an output of the generation');
    const side = join(dir, '00000000-0000-4000-8000-000000000000-controls.mp4');
    const p = await probe(side);
    assert.equal(p.frames, 12);
    const w = p.width / 2;
    const h = p.height / 2;
    const rgb = await decodeRgb(side, p.width, p.height);
    const frameBytes = p.width * p.height * 3;
    for (const f of [2, 6, 10]) {
      const frame = rgb.subarray(f * frameBytes, (f + 1) * frameBytes);
      const px = (x: number, y: number): [number, number, number] => {
        const i = (y * p.width + x) * 3;
        return [frame[i]!, frame[i + 1]!, frame[i + 2]!];
      };
      let green = 0;
      const panel = (x0: number, y0: number): number[] => {
        const v: number[] = [];
        for (let y = y0; y < y0 + h; y += 2) for (let x = x0; x < x0 + w; x += 2) v.push(px(x, y)[0]);
        return v;
      };
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const [r, g, b] = px(x, y);
          if (g > 180 && r < 120 && b < 140) green++;
        }
      }
      const spread = (v: number[]): number => Math.max(...v) - Math.min(...v);
      assert.ok(green > 20, `frame ${f}: ${green} track pixels`);
      assert.ok(spread(panel(w, 0)) > 60, `frame ${f}: flat depth`);
      assert.ok(spread(panel(0, h)) > 40, `frame ${f}: flat normals`);
      assert.ok(spread(panel(w, h)) > 60, `frame ${f}: empty hold map`);
      let red = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const [r, g, b] = px(x, y);
          if (r > 180 && g < 110 && b < 110) red++;
        }
      }
      assert.ok(red > 20, `frame ${f}: ${red} skeleton/face pixels`);
    }
  });
});
