// Every published price row of contract §5.2–§5.3, through the validator so the requests are real ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCreateRequest } from '../contract/validate-create.js';
import type { GenerationRequest } from '../contract/wire.js';
import {
  EDIT_MAX_SOURCE_SECONDS,
  REFRAME_MAX_SOURCE_SECONDS,
  priceMicros,
  settleCompletion,
  settledPriceMicros,
} from './pricing.js';

const req = (body: Record<string, unknown>): GenerationRequest =>
  parseCreateRequest({ prompt: 'p', ...body }, { hdrAccess: true });
const usd = (micros: number): number => micros / 1_000_000;
const REF = { url: 'https://a/1.jpg' };
const MP4 = { url: 'https://a/c.mp4', media_type: 'video/mp4' };
const GEN = { generation_id: '6f1d9a52-3c1e-4b8e-9d2a-1f0e5c7b8a90' };
const refs = (n: number): unknown[] => Array.from({ length: n }, () => REF);

describe('image prices (§5.2)', () => {
  const rows: [string, Record<string, unknown>, number][] = [
    ['uni-1 text → image', {}, 0.0404],
    ['uni-1-max text → image', { model: 'uni-1-max' }, 0.1],
    ['uni-1 edit, source only', { type: 'image_edit', source: REF }, 0.0434],
    ['uni-1-max edit, source only', { type: 'image_edit', model: 'uni-1-max', source: REF }, 0.103],
    ['uni-1 one reference', { image_ref: refs(1) }, 0.0434],
    ['uni-1-max one reference', { model: 'uni-1-max', image_ref: refs(1) }, 0.103],
    ['uni-1 two references (+0.003 each)', { image_ref: refs(2) }, 0.0464],
    ['uni-1 9 inputs (image)', { image_ref: refs(9) }, 0.0674],
    ['uni-1-max 9 inputs (image)', { model: 'uni-1-max', image_ref: refs(9) }, 0.127],
    ['uni-1 9 inputs (edit: source + 8)', { type: 'image_edit', source: REF, image_ref: refs(8) }, 0.0674],
    [
      'uni-1-max 9 inputs (edit)',
      { type: 'image_edit', model: 'uni-1-max', source: REF, image_ref: refs(8) },
      0.127,
    ],
    ['web_search has no surcharge', { web_search: true }, 0.0404],
  ];
  for (const [name, body, price] of rows) {
    it(`${name}: $${price}`, () => assert.equal(usd(priceMicros(req(body))), price));
  }
});

describe('video generation prices (§5.3)', () => {
  const video = (v: Record<string, unknown>) => req({ type: 'video', video: v });
  const rows: [string, Record<string, unknown>, number][] = [
    ['360p 5 s', { resolution: '360p' }, 0.06],
    ['360p 10 s', { resolution: '360p', duration: '10s' }, 0.18],
    ['540p 5 s', { resolution: '540p' }, 0.15],
    ['540p 10 s', { resolution: '540p', duration: '10s' }, 0.45],
    ['720p 5 s', { resolution: '720p' }, 0.3],
    ['720p 10 s', { resolution: '720p', duration: '10s' }, 0.9],
    ['720p 5 s HDR', { resolution: '720p', hdr: true }, 0.6],
    ['720p 5 s HDR + EXR', { resolution: '720p', hdr: true, exr_export: true }, 0.9],
    ['1080p 5 s', { resolution: '1080p' }, 1.2],
    ['1080p 10 s', { resolution: '1080p', duration: '10s' }, 3.6],
    ['1080p 5 s HDR', { resolution: '1080p', hdr: true }, 2.4],
    ['1080p 5 s HDR + EXR', { resolution: '1080p', hdr: true, exr_export: true }, 3.6],
    ['defaults (720p, 5 s)', {}, 0.3],
    ['start + end stills price like a generation', { start_frame: REF, end_frame: REF }, 0.3],
    [
      'keyframes price like a generation (10 s 1080p)',
      { resolution: '1080p', duration: '10s', keyframes: [REF, REF], keyframe_indexes: [0, 240] },
      3.6,
    ],
    ['extend 540p (one 5 s block)', { resolution: '540p', start_frame: GEN }, 0.15],
    ['extend 720p', { start_frame: GEN }, 0.3],
    ['extend 1080p', { resolution: '1080p', start_frame: GEN }, 1.2],
    ['extend ignores duration 10s', { resolution: '1080p', start_frame: GEN, duration: '10s' }, 1.2],
    ['backward extend', { resolution: '720p', end_frame: GEN }, 0.3],
  ];
  for (const [name, v, price] of rows) {
    it(`${name}: $${price}`, () => assert.equal(usd(priceMicros(video(v))), price));
  }
});

describe('video edit prices (§5.3, settled per started 5 s block, §7 item 7)', () => {
  const edit = (v: Record<string, unknown>) => req({ type: 'video_edit', source: MP4, video: v });
  // [resolution, 5 s SDR, 10 s SDR]; HDR = 2×, HDR+EXR = 3×.
  const tiers: [string, number, number][] = [
    ['360p', 0.54, 1.08],
    ['540p', 0.72, 1.44],
    ['720p', 1.08, 2.16],
    ['1080p', 2.16, 4.32],
  ];
  for (const [resolution, five, ten] of tiers) {
    it(`${resolution}: SDR $${five}/$${ten}, HDR 2×, HDR+EXR 3×`, () => {
      const sdr = edit({ resolution });
      const hdr = edit({ resolution, hdr: true });
      const exr = edit({ resolution, hdr: true, exr_export: true });
      assert.equal(usd(settledPriceMicros(sdr, 5)), five);
      assert.equal(usd(settledPriceMicros(sdr, 10)), ten);
      assert.equal(usd(settledPriceMicros(hdr, 5)), five * 2);
      assert.equal(usd(settledPriceMicros(hdr, 10)), ten * 2);
      assert.equal(usd(settledPriceMicros(exr, 5)), Math.round(five * 3 * 100) / 100);
      assert.equal(usd(settledPriceMicros(exr, 10)), Math.round(ten * 3 * 100) / 100);
    });
  }
  it('published HDR 5 s endpoints: $1.08 @360p … $4.32 @1080p; HDR+EXR $1.62 … $6.48', () => {
    assert.equal(usd(settledPriceMicros(edit({ resolution: '360p', hdr: true }), 5)), 1.08);
    assert.equal(usd(settledPriceMicros(edit({ resolution: '1080p', hdr: true }), 5)), 4.32);
    assert.equal(usd(settledPriceMicros(edit({ resolution: '360p', hdr: true, exr_export: true }), 5)), 1.62);
    assert.equal(
      usd(settledPriceMicros(edit({ resolution: '1080p', hdr: true, exr_export: true }), 5)),
      6.48,
    );
  });
  it('short sources take the 5 s tier; a frame of container overshoot is forgiven', () => {
    const sdr = edit({});
    assert.equal(usd(settledPriceMicros(sdr, 2)), 1.08);
    assert.equal(usd(settledPriceMicros(sdr, 10.04)), 2.16);
    assert.equal(usd(settledPriceMicros(sdr, 10.5)), 3.24);
  });
  it(`reserves the ${EDIT_MAX_SOURCE_SECONDS} s maximum (4 blocks) at submit (§5.1)`, () => {
    assert.equal(usd(priceMicros(edit({}))), 4.32);
    assert.equal(usd(priceMicros(edit({ resolution: '1080p', hdr: true, exr_export: true }))), 25.92);
    assert.equal(priceMicros(edit({})), settledPriceMicros(edit({}), EDIT_MAX_SOURCE_SECONDS));
  });
});

describe('reframe prices (§5.3, per output second)', () => {
  const reframe = (resolution: string) =>
    req({ type: 'video_reframe', source: MP4, aspect_ratio: '21:9', video: { resolution } });
  const rows: [string, number][] = [
    ['360p', 0.03],
    ['540p', 0.06],
    ['720p', 0.12],
    ['1080p', 0.36],
  ];
  for (const [resolution, perSecond] of rows) {
    it(`${resolution}: $${perSecond}/s`, () => {
      assert.equal(usd(settledPriceMicros(reframe(resolution), 1)), perSecond);
      assert.equal(
        settledPriceMicros(reframe(resolution), 7),
        7 * settledPriceMicros(reframe(resolution), 1),
      );
      assert.equal(
        settledPriceMicros(reframe(resolution), 6.5),
        7 * settledPriceMicros(reframe(resolution), 1),
      );
    });
  }
  it(`reserves the ${REFRAME_MAX_SOURCE_SECONDS} s maximum at submit (§5.1)`, () => {
    assert.equal(usd(priceMicros(reframe('720p'))), 3.6);
  });
});

describe('price representation', () => {
  it('is always a non-negative integer number of micro-USD', () => {
    const samples = [
      req({}),
      req({ type: 'video', video: { resolution: '1080p', hdr: true, exr_export: true } }),
    ];
    for (const r of samples) assert.ok(Number.isSafeInteger(priceMicros(r)) && priceMicros(r) >= 0);
  });
});

describe('settling a completion (issue 12, "Real charges")', () => {
  const edit = (v: Record<string, unknown> = {}) =>
    req({ type: 'video_edit', model: 'ray-3.2', source: MP4, video: v });
  const reframe = (v: Record<string, unknown> = {}) =>
    req({ type: 'video_reframe', model: 'ray-3.2', aspect_ratio: '16:9', source: MP4, video: v });

  it('an edit costs its measured source: 6 s = two 5 s blocks, 17 s = four (§7 item 7)', () => {
    assert.deepEqual(settleCompletion(edit({ resolution: '360p' }), 6), {
      chargeMicros: 1_080_000,
      videoMs: 6000,
    });
    assert.deepEqual(settleCompletion(edit({ resolution: '360p' }), 17.017), {
      chargeMicros: 2_160_000,
      videoMs: 17_017,
    });
    assert.equal(settleCompletion(edit({ resolution: '720p', hdr: true }), 4.2).chargeMicros, 2_160_000);
  });

  it('a reframe costs every started second of its source', () => {
    assert.deepEqual(settleCompletion(reframe({ resolution: '360p' }), 6.04), {
      chargeMicros: 180_000,
      videoMs: 6040,
    });
    assert.equal(settleCompletion(reframe({ resolution: '1080p' }), 16.2).chargeMicros, 17 * 360_000);
  });

  it('never above the reservation for any accepted length', () => {
    for (const r of [edit(), edit({ resolution: '1080p', hdr: true, exr_export: true }), reframe()]) {
      const max = r.type === 'video_edit' ? EDIT_MAX_SOURCE_SECONDS : REFRAME_MAX_SOURCE_SECONDS;
      for (let s = 0; s <= max + 0.05; s += 0.25) {
        assert.ok((settleCompletion(r, s).chargeMicros ?? Infinity) <= priceMicros(r), `${r.type} ${s} s`);
      }
    }
  });

  it('an unknown length keeps the reservation and reports no video', () => {
    for (const s of [null, NaN, -1])
      assert.deepEqual(settleCompletion(edit(), s), { chargeMicros: null, videoMs: null });
  });

  it('images and generated videos keep their exact reservation; videos report their nominal length', () => {
    assert.deepEqual(settleCompletion(req({}), 3), { chargeMicros: null, videoMs: null });
    assert.deepEqual(settleCompletion(req({ type: 'video', video: { duration: '10s' } }), null), {
      chargeMicros: null,
      videoMs: 10_000,
    });
    assert.equal(settleCompletion(req({ type: 'video' }), null).videoMs, 5000);
    const extend = req({ type: 'video', video: { duration: '10s', start_frame: GEN } });
    assert.equal(settleCompletion(extend, null).videoMs, 5000, 'an extend is one 5 s block');
  });
});
