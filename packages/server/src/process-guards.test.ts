// issue 12 part 0: "No promise rejection or `error` event anywhere goes unhandled: the process logs it with
// context and carries on, and a test proves that an unhandled rejection would fail the suite."
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umbra-guards-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Runs `file` with node and the given flags, as the suite's runner does; its exit code and output. */
const runNode = (args: string[]): { status: number | null; out: string } => {
  // Without the runner's own marker, a child `node --test` runs its files instead of reporting to us.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('the test suite', () => {
  // The same runner and flags as scripts/run-tests.mjs: a server module that left a rejection or an
  // 'error' event unhandled in any test would fail the run, because no guard is installed in tests.
  for (const [what, body] of [
    ['a promise rejection nobody handles', `void Promise.reject(new Error('nobody handles me'));`],
    [
      'an error event nobody listens to',
      `new (await import('node:events')).EventEmitter().emit('error', new Error('nobody handles me'));`,
    ],
  ] as const) {
    it(`fails on ${what}`, async () => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.test.mjs`);
      await writeFile(
        file,
        `import { test } from 'node:test';\n` +
          `test('leaves it', async () => { setTimeout(async () => { ${body} }, 0); await new Promise((r) => setTimeout(r, 100)); });\n`,
      );
      const r = runNode(['--test', '--test-concurrency=2', file]);
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /nobody handles me/);
      assert.match(r.out, /# fail 1/);
    });
  }
});

describe('installProcessGuards (what `umbra serve` and `umbra worker` install)', () => {
  it('logs a rejection nobody handled and carries on; stops through onFatal on an uncaught exception', async () => {
    const guards = new URL('./process-guards.js', import.meta.url).href;
    const script = join(dir, 'guarded.mjs');
    await writeFile(
      script,
      `import { installProcessGuards } from ${JSON.stringify(guards)};\n` +
        `const line = (level) => (obj, msg) => console.log(JSON.stringify({ level, msg, err: String(obj.err?.message ?? obj.err) }));\n` +
        `installProcessGuards({ info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug') }, (err) => {\n` +
        `  console.log('stopping after', err.message);\n` +
        `  setTimeout(() => process.exit(1), 10);\n` +
        `});\n` +
        `void Promise.reject(new Error('first bug'));\n` +
        `setTimeout(() => { console.log('still running'); throw new Error('second bug'); }, 50);\n` +
        `setTimeout(() => console.log('never'), 5000);\n`,
    );
    const r = runNode([script]);
    assert.equal(r.status, 1, r.out);
    const lines = r.out.trim().split('\n');
    assert.deepEqual(lines, [
      JSON.stringify({
        level: 'error',
        msg: 'unhandled promise rejection (a bug); carrying on',
        err: 'first bug',
      }),
      'still running',
      JSON.stringify({ level: 'error', msg: 'uncaught exception (a bug); stopping', err: 'second bug' }),
      'stopping after second bug',
    ]);
  });
});
