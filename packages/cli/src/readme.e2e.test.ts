// The README's "Use it" examples, run exactly as written against a freshly started server: the fenced
// block after each `<!-- readme-test: … -->` marker. The library examples (the client, the Files API) run
// as ES modules (they are plain JavaScript as well as TypeScript); the shell example runs in bash with
// `umbra` on the PATH.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Umbra } from '@umbra/sdk';
import type { RunResult, Server } from './test/harness.js';
import { CLI, KEY, REPO_ROOT, runProgram, startServer, tempDir } from './test/harness.js';
import { noisyPng } from './test/png.js';

function readmeBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const re = /<!-- readme-test: (\w+) -->\s*```\w*\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(re)) blocks.set(m[1] ?? '', m[2] ?? '');
  return blocks;
}

describe('README examples', () => {
  let server: Server;
  let blocks: Map<string, string>;
  let dir: { path: string; remove(): Promise<void> };
  before(async () => {
    server = await startServer();
    blocks = readmeBlocks(await readFile(join(REPO_ROOT, 'README.md'), 'utf8'));
    dir = await tempDir('umbra-readme-');
  });
  after(async () => {
    await server.stop();
    await dir.remove();
  });
  const env = (): Record<string, string> => ({ LUMA_BASE_URL: server.baseURL, LUMA_AGENTS_API_KEY: KEY });

  /**
   * Runs a library example as `example.mjs` in a scratch directory with `inputs` beside it; the directory
   * is inside the repository, so that `@umbra/sdk` resolves to this workspace's package.
   */
  const runExample = async (
    code: string,
    inputs: Record<string, Buffer>,
    check: (r: RunResult, scratch: string) => Promise<void>,
  ): Promise<void> => {
    await mkdir(join(REPO_ROOT, 'packages/cli/dist/test'), { recursive: true });
    const scratch = await mkdtemp(join(REPO_ROOT, 'packages/cli/dist/test/readme-'));
    try {
      for (const [name, bytes] of Object.entries(inputs)) await writeFile(join(scratch, name), bytes);
      await writeFile(join(scratch, 'example.mjs'), code);
      const r = await runProgram(process.execPath, ['example.mjs'], { cwd: scratch, env: env() });
      assert.equal(r.code, 0, r.stderr);
      await check(r, scratch);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  };

  it('the client library example', async () => {
    const code = blocks.get('sdk');
    assert.ok(code !== undefined, 'README has a <!-- readme-test: sdk --> block');
    await runExample(code, {}, async (r, scratch) => {
      const lines = r.stdout.trim().split('\n');
      assert.ok(lines.includes('completed'), r.stdout);
      assert.match(lines.find((l) => l.startsWith('http')) ?? '', /^http:\/\/127\.0\.0\.1:\d+\/files\//);
      assert.equal(lines.at(-1), 'corrupt_input source: input image could not be decoded');
      assert.ok((await stat(join(scratch, 'lighthouse.png'))).size > 0);
      assert.ok((await stat(join(scratch, 'waves.mp4'))).size > 0);
    });
  });

  it('the Files API example', async () => {
    const code = blocks.get('files');
    assert.ok(code !== undefined, 'README has a <!-- readme-test: files --> block');
    await runExample(code, { 'lighthouse.png': noisyPng(96, 64) }, async (r) => {
      const lines = r.stdout.trim().split('\n');
      const id = /^([0-9a-f-]{36}) ready$/.exec(lines[0] ?? '')?.[1];
      assert.ok(id !== undefined, r.stdout);
      assert.equal(lines[1], 'completed', 'the edit by file_id');
      assert.ok(lines.includes(`${id} lighthouse.png`), 'listAll shows the ready file');
      assert.match(lines.at(-1) ?? '', /^failed corrupt: /, 'FileFailedError carries failure_reason');
      const client = new Umbra({ apiKey: KEY, baseURL: server.baseURL });
      assert.equal((await client.files.get(id)).state, 'deleted');
    });
  });

  it('the command-line example', async () => {
    const script = blocks.get('cli');
    assert.ok(script !== undefined, 'README has a <!-- readme-test: cli --> block');
    const bin = join(dir.path, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'umbra'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(join(bin, 'umbra'), 0o755);
    const work = join(dir.path, 'work');
    await mkdir(work);
    const r = await runProgram('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: work,
      env: { ...env(), PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    for (const f of ['lighthouse.png', 'night.png', 'fox.png', 'forest.mp4'])
      assert.ok((await stat(join(work, f))).size > 0, f);
    const harbour = JSON.parse(await readFile(join(work, 'harbour.json'), 'utf8')) as {
      generation: { state: string };
    };
    assert.equal(harbour.generation.state, 'completed');
    assert.match(r.stdout, /^state +\w+$/m, '`umbra get` output');
  });

  it('`npx umbra` works in the clone once the install command has run (the bin is linked)', async () => {
    const r = await runProgram('npx', ['--no-install', 'umbra', '--help'], { cwd: REPO_ROOT, env: {} });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^Usage: umbra /m);
  });
});
