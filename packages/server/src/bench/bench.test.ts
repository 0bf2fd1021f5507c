// Keeps `npm run bench` working: its smoke mode runs end to end and writes a well-formed table.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { summarize } from './bench.js';

describe('bench', () => {
  it('summarize: median and p99 by nearest rank', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
    assert.deepEqual(s, { n: 100, min: 1, median: 50, p99: 99, max: 100 });
  });

  it('smoke mode writes the results table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-bench-test-'));
    try {
      const out = join(dir, 'BENCH.md');
      await promisify(execFile)(process.execPath, [
        fileURLToPath(new URL('./bench.js', import.meta.url)),
        '--smoke',
        '--out',
        out,
      ]);
      const md = await readFile(out, 'utf8');
      assert.match(md, /\| POST → completed, default image/);
      assert.match(md, /while 4 uni-1-max renders run \| \d+ \|/);
      assert.match(md, /Peak RSS of the server process over the whole run: \d+ MiB/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
