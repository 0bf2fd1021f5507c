// The edit thread outlives its job (issue 15): a second edit in the same process reuses the thread and its
// loaded models; an aborted edit, a thread that dies and a closed engine leave nothing broken behind.
// Loads are observed through the render log's `models` (what the thread loaded for this job), threads
// through EditThreads.stats(), never through timing.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { GenerationRequest } from '../../../contract/wire.js';
import type { RenderJob } from '../../engine.js';
import { ReferenceEngine } from '../reference.engine.js';
import { editRequest, figureClip, SRC } from '../testing/edit-test-support.js';
import { makeJob } from '../testing/test-support.js';
import { FFMPEG, FFPROBE, probe, resolved } from '../testing/video-test-support.js';
import { EditThreads, renderEdit } from './index.js';

const REQUEST = editRequest('an oil painting at sunset', { edit: { strength: 'reimagine_3' } });

const jobFor = (req: GenerationRequest, source: string, signal?: AbortSignal) =>
  makeJob(req, { source: resolved('source', source, 'video', SRC.width, SRC.height) }, signal);

/** Renders one edit on `threads`; resolves with the log's `models` entry. */
const edit = async (
  threads: EditThreads,
  job: RenderJob,
): Promise<{ loads: number; ms: number; output: string }> => {
  const log: Record<string, unknown>[] = [];
  const files = await renderEdit(job, {
    ffmpeg: FFMPEG,
    ffprobe: FFPROBE,
    threads,
    log: (obj) => log.push(obj as Record<string, unknown>),
  });
  const models = log.find((l) => 'models' in l)?.models as { loads: number; ms: number } | undefined;
  assert.ok(models, 'the render log says which models the job loaded');
  return { ...models, output: files[0]!.path };
};

describe('video_edit threads across jobs (real ffmpeg)', () => {
  let dir = '';
  let source = '';
  let threads = new EditThreads(1);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-edit-threads-'));
    source = join(dir, 'figure.mp4');
    await figureClip(source, 1);
  });
  after(async () => {
    await threads.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a second edit reuses the thread and does not load the models again', async () => {
    const first = await edit(threads, await jobFor(REQUEST, source));
    assert.ok(first.loads > 0, 'the first edit loads the pose/face model');
    assert.ok(first.ms > 0);
    assert.deepEqual(threads.stats(), { started: 1, alive: 1, idle: 1 });
    const second = await edit(threads, await jobFor(REQUEST, source));
    assert.equal(second.loads, 0);
    assert.equal(second.ms, 0);
    assert.deepEqual(threads.stats(), { started: 1, alive: 1, idle: 1 });
    assert.equal((await probe(second.output)).frames, (await probe(first.output)).frames);
  });

  it('an edit aborted mid-stream releases its session; the next edit succeeds on the same thread', async () => {
    const ac = new AbortController();
    const job = await jobFor(REQUEST, source, ac.signal);
    const report = job.onProgress;
    job.onProgress = (f) => {
      report(f);
      if (f > 0.2) ac.abort();
    };
    await assert.rejects(edit(threads, job), { name: 'AbortError' });
    const next = await edit(threads, await jobFor(REQUEST, source));
    assert.equal(next.loads, 0, 'the thread kept its models through the abort');
    assert.equal(threads.stats().started, 1);
  });

  it('an idle thread that dies is replaced on the next edit', async () => {
    const [worker] = threads.workers();
    assert.ok(worker);
    const exited = once(worker, 'exit');
    await worker.terminate();
    await exited;
    assert.deepEqual(threads.stats(), { started: 1, alive: 0, idle: 0 });
    const next = await edit(threads, await jobFor(REQUEST, source));
    assert.ok(next.loads > 0, 'a fresh thread loads the models');
    assert.deepEqual(threads.stats(), { started: 2, alive: 1, idle: 1 });
  });

  it('a thread that dies mid-edit fails that edit, and the next edit gets a fresh thread', async () => {
    const job = await jobFor(REQUEST, source);
    const report = job.onProgress;
    let killed = false;
    job.onProgress = (f) => {
      report(f);
      if (f > 0.2 && !killed) {
        killed = true;
        for (const w of threads.workers()) void w.terminate();
      }
    };
    await assert.rejects(edit(threads, job), /edit thread exited/);
    const next = await edit(threads, await jobFor(REQUEST, source));
    assert.ok(next.loads > 0);
    assert.deepEqual(threads.stats(), { started: 3, alive: 1, idle: 1 });
  });

  it('close() terminates the threads and refuses later edits', async () => {
    const [worker] = threads.workers();
    assert.ok(worker);
    const exited = once(worker, 'exit');
    await threads.close();
    await exited;
    assert.equal(threads.stats().alive, 0);
    await assert.rejects(edit(threads, await jobFor(REQUEST, source)), /closed/);
    threads = new EditThreads(1);
  });

  it("the engine's close() terminates its edit threads", async () => {
    const engine = new ReferenceEngine({ threads: 1, ffmpegPath: FFMPEG, ffprobePath: FFPROBE });
    try {
      const files = await engine.render(await jobFor(REQUEST, source));
      assert.equal(files[0]?.contentType, 'video/mp4');
      assert.deepEqual(engine.editThreads.stats(), { started: 1, alive: 1, idle: 1 });
      const [worker] = engine.editThreads.workers();
      assert.ok(worker);
      const exited = once(worker, 'exit');
      await engine.close();
      await exited;
      assert.equal(engine.editThreads.stats().alive, 0);
    } finally {
      await engine.close();
    }
  });
});
