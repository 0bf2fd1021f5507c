// The pure half of video_reframe: SourcePosition geometry (contract §2.5), canvas sizes (§7 item 19),
// frame counts, the graph text and the source rules of contract/video-source.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCreateRequest } from '../../../contract/validate-create.js';
import {
  chainedSourceProblem,
  sameRatio,
  SAME_RATIO_DETAIL,
  sourceTooLongDetail,
} from '../../../contract/video-source.js';
import { reframeArgs, reframeGraph } from './reframe-args.js';
import { reframeRequest } from '../testing/reframe-test-support.js';
import {
  axisCut,
  centredFit,
  placement,
  planReframe,
  positionRect,
  reframeFrames,
  sourceColour,
} from './plan.js';

const src = (width: number, height: number, duration = 2) => ({
  width,
  height,
  displayAspect: width / height,
  duration,
  colorSpace: 'bt709',
  colorTransfer: 'bt709',
});

describe('reframe geometry (contract §2.5)', () => {
  it('centred fit: the whole source, as large as fits, centred', () => {
    const c = { width: 640, height: 360 };
    assert.deepEqual(positionRect(centredFit(4 / 3, c), c), { x: 80, y: 0, w: 480, h: 360 });
    const tall = { width: 360, height: 640 };
    assert.deepEqual(positionRect(centredFit(16 / 9, tall), tall), { x: 0, y: 219, w: 360, h: 203 });
  });

  it('x/y are the left/top edge and w/h the size, as fractions of the canvas; negatives bleed off', () => {
    const c = { width: 1000, height: 500 };
    const p = { x_norm: -0.25, y_norm: 0.1, w_norm: 1.5, h_norm: 0.5 };
    assert.deepEqual(positionRect(p, c), { x: -250, y: 50, w: 1500, h: 250 });
    // The 3P mapping of §2.5: expand left by L and right by R of the source width.
    const L = 0.5;
    const R = 0.25;
    const q = { x_norm: L / (1 + L + R), y_norm: 0, w_norm: 1 / (1 + L + R), h_norm: 1 };
    const r = positionRect(q, c);
    assert.equal(r.x, Math.round((1000 * 0.5) / 1.75));
    assert.equal(r.w, Math.round(1000 / 1.75));
  });

  it('axisCut crops the source before scaling and lands exactly on the visible span', () => {
    // A 320 px source stretched over [-250, 1250) of a 1000 px canvas: only the middle two thirds show.
    const a = axisCut(-250, 1500, 1000, 320);
    assert.ok(a);
    assert.equal(a.at, 0);
    assert.equal(a.len, 1000);
    assert.ok(a.srcStart <= (250 / 1500) * 320 && a.srcStart + a.srcLen >= (1250 / 1500) * 320);
    assert.ok(a.scaled < 1500, 'never scales the parts that are cut away');
    // The canvas pixel 0 shows source x = 250/1500·320 ≈ 53.3, within a canvas pixel.
    const origin = -250 + (a.srcStart * 1500) / 320;
    assert.ok(Math.abs(origin + a.cutStart - 0) <= 1);
    assert.equal(axisCut(1200, 100, 1000, 320), null, 'entirely off the right edge');
    const whole = axisCut(80, 480, 640, 320);
    assert.deepEqual(whole, { srcStart: 0, srcLen: 320, scaled: 480, cutStart: 0, len: 480, at: 80 });
  });

  it('a rectangle entirely off the canvas places nothing (the fill still comes from the source)', () => {
    const c = { width: 640, height: 360 };
    assert.equal(placement({ x: -700, y: 0, w: 600, h: 360 }, c, { width: 320, height: 240 }), null);
    const plan = planReframe(
      reframeRequest('16:9', {
        resolution: '360p',
        source_position: { x_norm: -2, y_norm: 0, w_norm: 0.5, h_norm: 1 },
      }),
      src(320, 240),
    );
    assert.equal(plan.graph.fg, null);
    assert.match(reframeGraph(plan.graph), /\[bg\]format=yuv420p,setsar=1\[v\]$/);
  });
});

describe('planReframe', () => {
  it('canvas per videoSize for the target ratio; 720p by default', () => {
    const p = planReframe(reframeRequest('9:16'), src(1280, 720));
    assert.deepEqual([p.width, p.height], [720, 1280]);
    const q = planReframe(reframeRequest('21:9', { resolution: '540p' }), src(1280, 720));
    assert.deepEqual([q.width, q.height], [1260, 540]);
    const r = planReframe(reframeRequest('1:1', { resolution: '1080p' }), src(1280, 720));
    assert.deepEqual([r.width, r.height], [1080, 1080]);
  });

  it('frames follow the source length on the 24 fps grid', () => {
    assert.equal(reframeFrames(2), 48);
    assert.equal(reframeFrames(5.04), 121);
    assert.equal(reframeFrames(0.01), 1);
    assert.equal(planReframe(reframeRequest('1:1'), src(640, 360, 10.04)).frames, 241);
  });

  it('colour class from the tags: BT.601 converted, HDR tone-mapped, untagged taken as BT.709', () => {
    assert.equal(sourceColour('bt709', 'bt709'), 'bt709');
    assert.equal(sourceColour('', ''), 'bt709');
    assert.equal(sourceColour('smpte170m', 'smpte170m'), 'bt601-525');
    assert.equal(sourceColour('bt470bg', 'gamma28'), 'bt601-625');
    assert.equal(sourceColour('bt2020nc', 'smpte2084'), 'hdr-pq');
    assert.equal(sourceColour('bt2020nc', 'arib-std-b67'), 'hdr-hlg');
  });

  it('the graph: 24 fps re-timing, cover + feathered edge extension + sharp source, yuv420p out', () => {
    const p = planReframe(reframeRequest('16:9', { resolution: '360p' }), src(320, 240));
    const g = reframeGraph(p.graph);
    assert.match(g, /^\[0:v\]setpts=PTS-STARTPTS,fps=24,/);
    assert.match(g, /split=3\[cov\]\[ext0\]\[fg0\]/);
    assert.match(g, /fillborders=left=\d+:right=\d+:top=0:bottom=0:mode=smear/);
    assert.match(g, /\[extb\]\[mask\]alphamerge/);
    assert.match(g, /\[fg0\]crop=320:240:0:0,scale=480:360:flags=bicubic,crop=480:360:0:0\[fgc\]/);
    assert.match(g, /overlay=x=80:y=0:format=yuv444,format=yuv420p,setsar=1\[v\]$/);
    const args = reframeArgs('/in.mov', g, p.frames, '/out.mp4');
    const after = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    assert.equal(after('-i'), '/in.mov');
    assert.equal(after('-frames:v'), '48');
    assert.equal(after('-profile:v'), 'high');
    assert.equal(after('-pix_fmt'), 'yuv420p');
    assert.equal(after('-colorspace'), 'bt709');
    assert.equal(after('-movflags'), '+faststart');
    assert.equal(args.at(-1), '/out.mp4');
  });

  it('same request → same graph (the bytes depend only on it and the source)', () => {
    const a = planReframe(
      reframeRequest('3:4', { source_position: { x_norm: 0.1, y_norm: -0.2, w_norm: 1.3, h_norm: 0.9 } }),
      src(1920, 1080),
    );
    const b = planReframe(
      reframeRequest('3:4', { source_position: { x_norm: 0.1, y_norm: -0.2, w_norm: 1.3, h_norm: 0.9 } }),
      src(1920, 1080),
    );
    assert.equal(reframeGraph(a.graph), reframeGraph(b.graph));
  });
});

describe('source rules (contract §7 items 6, 10)', () => {
  it('ratio equality tolerates rounded sizes but not a different ratio', () => {
    assert.ok(sameRatio(854 / 480, '16:9'));
    assert.ok(sameRatio(1260 / 540, '21:9'));
    assert.ok(!sameRatio(4 / 3, '16:9'));
    assert.ok(!sameRatio(3 / 4, '9:16'));
  });

  it('a chained source settles the ratio rule at submit when its request fixes the ratio', () => {
    const prior = parseCreateRequest(
      { prompt: 'p', type: 'video', model: 'ray-3.2', aspect_ratio: '16:9' },
      { hdrAccess: false },
    );
    assert.equal(chainedSourceProblem(reframeRequest('16:9'), prior), SAME_RATIO_DETAIL);
    assert.equal(chainedSourceProblem(reframeRequest('9:16'), prior), null);
    // A prior `video` is at most 10.04 s: inside both limits, so length never fails at submit for it.
    const ten = { ...prior, video: { duration: '10s' as const } };
    assert.equal(chainedSourceProblem(reframeRequest('1:1'), ten), null);
    assert.equal(sourceTooLongDetail(18), 'source video must be 18 seconds or shorter');
  });
});
