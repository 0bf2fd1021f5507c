// Keeps `npm run bench` working: its smoke mode runs every layer end to end in tiny sizes and writes a
// well-formed table. No assertion looks at a timing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { earlierSections } from './earlier.js';
import { alternate, pairRatios, summarize } from './stats.js';
import { renderDocument, type Section } from './table.js';

describe('bench', () => {
  it('summarize: median and p99 by nearest rank', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
    assert.deepEqual(s, { n: 100, min: 1, median: 50, p99: 99, max: 100 });
  });

  it('alternate rotates the order of contenders; ratios are taken pair by pair', async () => {
    const order: string[] = [];
    const [a = [], b = []] = await alternate(3, [
      () => Promise.resolve(order.push('a')),
      () => Promise.resolve(order.push('b')),
    ]);
    assert.deepEqual(order, ['a', 'b', 'b', 'a', 'a', 'b']);
    assert.equal(a.length, 3);
    assert.equal(b.length, 3);
    assert.deepEqual(pairRatios([2, 6, 3], [1, 2, 3]), { median: 2, min: 1, max: 3 });
  });

  it('a run of some layers keeps the other sections, marked with the run that measured them', () => {
    const layer = (n: number, verdictMet: boolean): Section => ({
      title: `Layer ${n} — L${n}`,
      intro: [`intro ${n}`],
      headers: ['a', 'b'],
      rows: [[`row ${n}`, '1']],
      goals: [{ text: `goal ${n}`, met: verdictMet }],
      notes: [],
    });
    const full = renderDocument({
      command: 'npm run bench',
      smoke: false,
      seconds: 9,
      sections: [layer(1, true), layer(2, false), layer(3, true)],
    });
    // Layer 2 again, alone: 1 and 3 come from the full run, in layer order around the fresh one.
    const fresh = [layer(2, true)];
    const kept = earlierSections(full, ['Layer 2 — L2']);
    const partial = renderDocument({
      command: 'npm run bench -- --layers b',
      smoke: false,
      seconds: 1,
      sections: fresh,
      kept,
    });
    assert.deepEqual(
      partial.split('\n').filter((l) => l.startsWith('## ')),
      ['## Goals', '## Layer 1 — L1', '## Layer 2 — L2', '## Layer 3 — L3'],
    );
    assert.match(partial, /^It measured Layer 2 — L2 only;/m);
    assert.match(
      partial,
      /\| Layer 1 — L1 \| goal 1 \| met \|\n\| Layer 2 — L2 \| goal 2 \| met \|\n\| Layer 3 — L3 \| goal 3 \| met \|/,
    );
    assert.match(
      partial,
      /## Layer 1 — L1\n\n_Kept from an earlier run \(`npm run bench`; \d+ cores.*\n\nintro 1\n\n\| a \| b \|/,
    );
    assert.doesNotMatch(partial, /## Layer 2 — L2\n\n_Kept/);
    // Kept again by a later partial run: the mark still names the run that measured it.
    const again = renderDocument({
      command: 'npm run bench -- --layers c',
      smoke: false,
      seconds: 1,
      sections: [layer(3, false)],
      kept: earlierSections(partial, ['Layer 3 — L3']),
    });
    assert.equal(again.match(/_Kept from an earlier run \(`npm run bench`;/g)?.length, 1);
    assert.equal(again.match(/_Kept from an earlier run \(`npm run bench -- --layers b`;/g)?.length, 1);
    assert.match(again, /\| Layer 3 — L3 \| goal 3 \| MISSED \|/);
    assert.ok(again.endsWith('\n'));
  });

  it('smoke mode writes the results table for every layer', async () => {
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
      assert.match(md, /^Machine: \d+ cores/m);
      assert.match(md, /^Command: `npm run bench -- --smoke/m);
      assert.match(md, /\| GET \/v1\/generations\/\{id\} \| 10 \| [\d,]+ \(/);
      assert.match(md, /\| POST \/v1\/generations \| 100 \| [\d,]+ \(/);
      assert.match(md, /\| SQLite \(WAL\) \| 4 \| [\d,]+ \(/);
      assert.match(md, /\| PNG 2048×\d+ \| [\d,]+ \(/);
      assert.match(md, /\| JPEG 2048×\d+ \| [\d,]+ \(/);
      assert.match(md, /\| 5 s 360p \(640×360, 121 frames\) \| [\d,]+ \(.*\| [\d.]+× \(/);
      assert.match(md, /\| video render ≤ 1\.3× ffmpeg alone \| (met|MISSED) \|/);
      assert.match(md, /\| POST → completed, default image .* \| 2 \|/);
      assert.match(md, /\| POST → completed, 5 s 720p video .* \| 1 \|/);
      assert.match(md, /while 4 uni-1-max renders run \| \d+ \|/);
      assert.match(md, /Peak RSS of the server process over this layer: \d+ MiB/);
      assert.match(md, /\| remote \(HTTP, one api process\) \| 4 × 4 \| [\d,]+ \(.*\| [\d.]+× \(/);
      assert.match(md, /\| ≥ 200 jobs\/s per api process with remote workers \| (met|MISSED) \|/);
      assert.match(
        md,
        /\| putFile [\d.]+ MiB \(video-sized\), MiB\/s \| [\d,]+ \(.*\| [\d,]+ \(.*\| [\d.]+× \(/,
      );
      assert.match(md, /\| signedUrl alone \(no request\), calls\/s \| [\d,]+ \(.*\| [\d.]+× \(/);
      assert.match(
        md,
        /\| signedUrl \+ GET 1 MiB, 8 clients, req\/s \| [\d,]+ \(.*\| [\d,]+ \(.*\| [\d.]+× \(/,
      );
      assert.match(md, /\| second edit, same process \| [\d,]+ \(.*\| 0–0 \|/);
      assert.match(md, /\| a second video_edit in the same process loads no model \| met \|/);
      assert.match(md, /\| Files API ingest of a 2 MiB MP4: peak RSS over idle, MiB \| \d+ \(.*\| \d+ \(/);
      assert.match(
        md,
        /\| SQLite \(WAL\) \| GET \/v1\/generations\/\{id\}, req\/s \| [\d,]+ \(.*\| [\d.]+× \(/,
      );
      assert.match(md, /\| SQLite \(WAL\) \| claim \(one worker, store\), ms \| [\d.]+ \(/);
      assert.match(md, /\| SQLite \(WAL\) \| 3,000 \| [\d.]+ s \| [\d.]+ \| [\d,]+ \|/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
