import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activityArgs,
  coverBox,
  debugVideoArgs,
  editDecodeArgs,
  editDecodeGraph,
  filterPath,
  lookChain,
  styleChain,
  type EditDecodeSpec,
} from './edit-args.js';

const spec: EditDecodeSpec = {
  colour: 'bt709',
  width: 640,
  height: 360,
  cover: { w: 640, h: 480, x: 0, y: 60 },
  lutPath: '/tmp/job/grade.cube',
  looks: ['watercolor'],
  flatten: { radius: 3, threshold: 14 },
  padFrames: 24,
};

describe('video_edit decode graph', () => {
  it('re-times, fits, pads and emits source | edit side by side as rgb24', () => {
    const g = editDecodeGraph(spec);
    assert.match(g, /^\[0:v\]setpts=PTS-STARTPTS,fps=24,scale=out_range=tv,format=yuv444p,/);
    assert.match(
      g,
      /scale=640:480:flags=bicubic,crop=640:360:0:60,setsar=1,tpad=stop=24:stop_mode=clone,split=2\[a\]\[e\]/,
    );
    assert.match(g, /\[a\]scale=in_color_matrix=bt709:in_range=tv:out_range=pc,format=gbrp\[src\]/);
    assert.match(g, /\[src\]\[sty\]hstack=inputs=2,format=rgb24\[o\]$/);
    const s = styleChain(spec);
    assert.ok(s.startsWith('smartblur=lr=3:ls=1:lt=14,scale=in_color_matrix=bt709'));
    assert.ok(s.includes("lut3d=file='/tmp/job/grade.cube':interp=tetrahedral"));
    assert.ok(s.includes(lookChain('watercolor', spec)));
    assert.equal(styleChain({ ...spec, flatten: null, lutPath: null, looks: [] }).includes('lut3d'), false);
  });

  it('refuses paths the filter syntax would misread', () => {
    assert.equal(filterPath('/a/b.cube'), "'/a/b.cube'");
    for (const bad of ["/a'b", '/a:b', '/a,b', '/a;b', '/a[b']) assert.throws(() => filterPath(bad));
  });

  it('command lines: exact frame counts, raw rgb24 on stdout; tiny grey frames for the activity pass', () => {
    const a = editDecodeArgs('/in.mp4', 'G', 48);
    assert.deepEqual(a.slice(a.indexOf('-frames:v'), a.indexOf('-frames:v') + 2), ['-frames:v', '48']);
    assert.deepEqual(a.slice(-5), ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    assert.ok(activityArgs('/in.mp4').includes('fps=8,scale=64:36:flags=area,format=gray'));
    const d = debugVideoArgs(256, 144, 12, '/o.mp4');
    assert.ok(d.includes('256x144'));
    assert.equal(d.at(-1), '/o.mp4');
    assert.ok(d.includes('libx264'));
  });

  it('cover boxes fill the canvas and centre the cut', () => {
    assert.deepEqual(coverBox(4 / 3, 640, 360), { w: 640, h: 480, x: 0, y: 60 });
    assert.deepEqual(coverBox(16 / 9, 640, 360), { w: 640, h: 360, x: 0, y: 0 });
    assert.deepEqual(coverBox(2, 640, 360), { w: 720, h: 360, x: 40, y: 0 });
  });
});
