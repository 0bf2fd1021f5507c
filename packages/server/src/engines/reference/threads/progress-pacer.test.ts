import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseCreateRequest } from '../../../contract/validate-create.js';
import { ProgressPacer } from './progress-pacer.js';
import { ReferenceEngine } from '../reference.engine.js';
import { imageRequest, makeJob } from '../testing/test-support.js';

/** A pacer on a hand-driven clock; its own timer is stopped, so only `estimate()` is exercised. */
const paced = (stageEnds: number[]) => {
  let t = 0;
  const shown: number[] = [];
  const p = new ProgressPacer((f) => shown.push(f), { stageEnds, now: () => t });
  p.stop();
  return { p, shown, at: (ms: number) => (t = ms) };
};

describe('progress pacer', () => {
  it('estimates toward the end of the stage in progress, never reaching it', () => {
    const { p, at } = paced([0.15, 0.35, 1]);
    p.report(0);
    at(200);
    const early = p.estimate() ?? 0;
    assert.ok(early > 0 && early < 0.15, String(early));
    at(60_000);
    assert.equal(p.estimate(), 0.149);
    // A measurement moves the target to the next stage's end.
    p.report(0.15);
    at(60_200);
    const next = p.estimate() ?? 0;
    assert.ok(next > 0.15 && next < 0.35, String(next));
  });

  it('goes at the pace kept so far: a slow job estimates slowly', () => {
    const fast = paced([0.5, 1]);
    fast.p.report(0.5);
    const slow = paced([0.5, 1]);
    slow.at(8000);
    slow.p.report(0.5);
    fast.at(400);
    slow.at(8400);
    assert.ok((fast.p.estimate() ?? 0) > (slow.p.estimate() ?? 0));
  });

  it('never goes back, and passes measurements through', () => {
    const { p, shown } = paced([0.5, 1]);
    p.report(0.2);
    p.report(0.1);
    p.report(0.4);
    p.report(1);
    assert.deepEqual(shown, [0.2, 0.4, 1]);
    assert.equal(p.estimate(), null);
  });
});

describe('reference engine: progress moves at least every half-second of rendering', () => {
  const engine = new ReferenceEngine({ threads: 1 });
  after(() => engine.close());

  /** Renders and returns the longest time without a progress callback (start and end included). */
  const longestGap = async (job: Awaited<ReturnType<typeof makeJob>>): Promise<number> => {
    const times: number[] = [];
    const started = Date.now();
    const inner = job.onProgress;
    job.onProgress = (f) => {
      times.push(Date.now());
      inner(f);
    };
    await engine.render(job);
    const ended = Date.now();
    const points = [started, ...times, ended];
    const gaps = points.slice(1).map((t, i) => t - (points[i] ?? t));
    assert.deepEqual(
      job.progress,
      [...job.progress].sort((a, b) => a - b),
      'in order',
    );
    assert.equal(job.progress.at(-1), 1);
    assert.equal(new Set(job.progress).size, job.progress.length, 'each value once');
    return Math.max(...gaps);
  };

  it('a 2K image (its PNG encode is one opaque step of ~1 s)', async () => {
    const job = await makeJob(imageRequest({ prompt: 'a harbour at dusk with boats', model: 'uni-1-max' }));
    const gap = await longestGap(job);
    assert.ok(gap <= 500, `longest gap ${gap} ms`);
  });

  it('a video (ffmpeg reports its frame count only every ~0.5 s)', async () => {
    const request = parseCreateRequest(
      { type: 'video', prompt: 'waves at dusk', video: { resolution: '540p' } },
      { hdrAccess: false },
    );
    const job = await makeJob(request);
    const gap = await longestGap(job);
    assert.ok(gap <= 500, `longest gap ${gap} ms`);
  });
});
