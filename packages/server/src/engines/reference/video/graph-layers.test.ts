import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTime, gradeFilter, layerGraph, type LayerGraphSpec } from './graph-layers.js';

const CANVAS = { x: 0, y: 0, width: 700, height: 400 };
const IDENTITY = { brightness: '0', contrast: '1', saturation: '1', gamma: '1' };

const spec: LayerGraphSpec = {
  width: 640,
  height: 360,
  frames: 121,
  layers: [
    { input: 0, x: '10+n', y: '5', opaque: true, box: CANVAS },
    {
      input: 1,
      x: '10+n',
      y: '5',
      opaque: false,
      box: { x: 3, y: 40, width: 100, height: 50 },
      resize: true,
    },
    { input: 2, x: '20-n', y: '7', opaque: false, box: { x: 0, y: 200, width: 700, height: 180 } },
  ],
  grade: IDENTITY,
};

test('byTime: the frame number from the timestamp, identifiers left alone', () => {
  assert.equal(byTime('sin(2*PI*n/120)+n'), 'sin(2*PI*round(t*24)/120)+round(t*24)');
});

test('layer graph: each layer converted to yuv420p once, held by loop, back layer cropped per frame', () => {
  const g = layerGraph(spec);
  assert.match(
    g,
    /^\[0:v\]scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setsar=1,loop=loop=120:size=1:start=0,settb=1\/24,setpts=N,crop=w=640:h=360:x='floor\(10\+round\(t\*24\)\)':y='floor\(5\)':exact=1\[l0\]/,
  );
  // A low-resolution layer is resized once to its box, before the loop.
  assert.match(
    g,
    /\[1:v\]scale=w=100:h=50:flags=bicubic:out_color_matrix=bt709:out_range=tv,format=yuva420p,loop=/,
  );
  assert.match(g, /\[2:v\]scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,loop=/);
  assert.doesNotMatch(g, /gbrp|yuv444|perspective|zoompan/);
});

test('layer graph: trimmed layers overlaid at even positions, an odd one shifted by a crop', () => {
  const g = layerGraph(spec);
  const p = '(3-floor(10+round(t*24)))';
  assert.ok(g.includes(`crop=w=99:h=49:x='mod(${p},2)':y='mod((40-floor(5)),2)':exact=1[l1]`));
  assert.ok(g.includes(`[l0][l1]overlay=x='${p}+mod(${p},2)':y='(40-floor(5))+mod((40-floor(5)),2)'`));
  assert.match(g, /format=yuv420:eval=frame:eof_action=endall\[o1\]/);
  assert.match(g, /\[o1\]\[l2\]overlay=x='\(0-floor\(20-round\(t\*24\)\)\)/);
  assert.ok(g.endsWith('[o2]null[cam]'));
});

test('layer graph: the back layer must be opaque and whole; only it may be opaque', () => {
  assert.throws(() =>
    layerGraph({ ...spec, layers: [{ input: 0, x: '0', y: '0', opaque: false, box: CANVAS }] }),
  );
  assert.throws(() =>
    layerGraph({ ...spec, layers: [{ input: 0, x: '0', y: '0', opaque: true, box: { ...CANVAS, x: 1 } }] }),
  );
  assert.throws(() =>
    layerGraph({
      ...spec,
      layers: [
        { input: 0, x: '0', y: '0', opaque: true, box: CANVAS },
        { input: 1, x: '0', y: '0', opaque: false, box: { x: 5, y: 5, width: 1, height: 9 } },
      ],
    }),
  );
  assert.throws(() =>
    layerGraph({
      ...spec,
      layers: [
        { input: 0, x: '0', y: '0', opaque: true, box: CANVAS },
        { input: 1, x: '0', y: '0', opaque: true, box: CANVAS },
      ],
    }),
  );
});

test('grade: identity is dropped, constants evaluated once, expressions per frame', () => {
  assert.equal(gradeFilter(IDENTITY), null);
  assert.equal(gradeFilter({ ...IDENTITY, gamma: '1.0', brightness: '-0' }), null);
  assert.equal(gradeFilter({ ...IDENTITY, contrast: '1.1' }), "eq=contrast='1.1':eval=init");
  assert.equal(
    gradeFilter({ ...IDENTITY, brightness: '-0.05*n/120', saturation: '1.2' }),
    "eq=brightness='-0.05*round(t*24)/120':saturation='1.2':eval=frame",
  );
  const g = layerGraph({ ...spec, grade: { ...IDENTITY, brightness: '0.01*n' } });
  assert.ok(g.endsWith("[o2]eq=brightness='0.01*round(t*24)':eval=frame[cam]"));
});
