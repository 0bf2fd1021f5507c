// What a failing ffmpeg means (issue 12, "Faults"): a binary that will not start, or that crashes even on
// `-version`, is the tool being down (`ffmpeg unavailable`: the job waits without spending an attempt); a
// binary that crashes on one input but runs is that input's failure (a ToolError, classified by the engine).
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DependencyUnavailable } from '../../unavailable.js';
import { locateBinary } from './binaries.js';
import { capture, runFfmpeg, ToolError } from './run.js';

let dir = '';
const real = locateBinary('ffmpeg', null).path;
/** A shell script standing in for ffmpeg. */
const script = async (name: string, body: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umbra-run-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const unavailable = (err: unknown): boolean => {
  assert.ok(err instanceof DependencyUnavailable, String(err));
  assert.equal(err.part, 'ffmpeg');
  assert.equal(err.detail, 'ffmpeg unavailable');
  return true;
};

describe('runFfmpeg and capture', () => {
  it('a binary that is not there is ffmpeg unavailable', async () => {
    const missing = join(dir, 'no-such-ffmpeg');
    await assert.rejects(runFfmpeg(missing, ['-version']), unavailable);
    await assert.rejects(capture(missing, ['-version']), unavailable);
  });

  it('a binary that crashes on everything, -version included, is ffmpeg unavailable', async () => {
    const crashing = await script('crashing', 'kill -SEGV $$');
    await assert.rejects(runFfmpeg(crashing, ['-i', 'x']), unavailable);
    await assert.rejects(capture(crashing, ['-i', 'x']), unavailable);
  });

  it('a binary that crashes on this input but runs is the input failing (ToolError)', async () => {
    const picky = await script('picky', `[ "$1" = "-version" ] && exec ${real} -version\nkill -ABRT $$`);
    await assert.rejects(runFfmpeg(picky, ['-i', 'x']), (err: unknown) => {
      assert.ok(err instanceof ToolError && !(err instanceof DependencyUnavailable), String(err));
      assert.match(err.message, /crashed \(SIGABRT\)/);
      return true;
    });
    await assert.rejects(capture(picky, ['-i', 'x']), ToolError);
  });

  it('an ordinary non-zero exit stays a ToolError', async () => {
    await assert.rejects(runFfmpeg(real, ['-i', join(dir, 'absent.mp4'), '-f', 'null', '-']), ToolError);
  });
});
