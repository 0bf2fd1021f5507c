import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageRatio, imageSize, videoSize } from './sizes.js';
import { MANGA_RATIOS } from './model-matrix.js';
import type { AspectRatio, Resolution } from './wire.js';

describe('imageSize (contract §7 item 18)', () => {
  const rows: [AspectRatio, number, number][] = [
    ['1:1', 2048, 2048],
    ['16:9', 2048, 1152],
    ['3:2', 2048, 1366],
    ['2:1', 2048, 1024],
    ['3:1', 2048, 682],
    ['2:3', 1366, 2048],
    ['9:16', 1152, 2048],
    ['1:2', 1024, 2048],
    ['1:3', 682, 2048],
  ];
  for (const [ratio, width, height] of rows) {
    it(`${ratio} → ${width}×${height}`, () => {
      assert.deepEqual(imageSize(ratio), { width, height });
    });
  }
  it('null (model chooses) → 16:9, 2048×1152', () => {
    assert.deepEqual(imageSize(null), { width: 2048, height: 1152 });
  });
  it('gives even sizes for the ratios only video models use', () => {
    assert.deepEqual(imageSize('4:3'), { width: 2048, height: 1536 });
    assert.deepEqual(imageSize('3:4'), { width: 1536, height: 2048 });
    assert.deepEqual(imageSize('21:9'), { width: 2048, height: 878 });
  });
});

describe('imageRatio: what a text-to-image request renders at', () => {
  it('its own ratio when it gives one, manga or not', () => {
    assert.equal(imageRatio({ aspect_ratio: '3:2', style: 'auto' }), '3:2');
    assert.equal(imageRatio({ aspect_ratio: '9:16', style: 'manga' }), '9:16');
  });
  it('16:9 when it leaves the ratio null', () => {
    assert.equal(imageRatio({ aspect_ratio: null, style: 'auto' }), '16:9');
  });
  // Issue 14: manga with no ratio rendered 16:9, a ratio the same request would be refused for if explicit.
  it('a portrait page (2:3, one of the ratios manga accepts) for manga with the ratio null', () => {
    const ratio = imageRatio({ aspect_ratio: null, style: 'manga' });
    assert.equal(ratio, '2:3');
    assert.ok(MANGA_RATIOS.includes(ratio));
    assert.deepEqual(imageSize(ratio), { width: 1366, height: 2048 });
  });
});

describe('videoSize (contract §7 item 19)', () => {
  const rows: [AspectRatio, Resolution, number, number][] = [
    ['16:9', '360p', 640, 360],
    ['16:9', '540p', 960, 540],
    ['16:9', '720p', 1280, 720],
    ['16:9', '1080p', 1920, 1080],
    ['4:3', '360p', 480, 360],
    ['4:3', '540p', 720, 540],
    ['4:3', '720p', 960, 720],
    ['4:3', '1080p', 1440, 1080],
    ['21:9', '360p', 840, 360],
    ['21:9', '540p', 1260, 540],
    ['21:9', '720p', 1680, 720],
    ['21:9', '1080p', 2520, 1080],
    ['1:1', '360p', 360, 360],
    ['1:1', '540p', 540, 540],
    ['1:1', '720p', 720, 720],
    ['1:1', '1080p', 1080, 1080],
    ['9:16', '360p', 360, 640],
    ['9:16', '720p', 720, 1280],
    ['9:16', '1080p', 1080, 1920],
    ['3:4', '540p', 540, 720],
    ['3:4', '1080p', 1080, 1440],
  ];
  for (const [ratio, res, width, height] of rows) {
    it(`${ratio} @ ${res} → ${width}×${height}`, () => {
      assert.deepEqual(videoSize(res, ratio), { width, height });
    });
  }
});
