// Runs every compiled test file (packages/*/dist/**/*.test.js) with Node's own test runner.
// Node 20's --test takes no globs, so the files are listed here. Extra arguments filter by path substring.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
};
for (const pkg of readdirSync('packages')) {
  const dist = join('packages', pkg, 'dist');
  try {
    statSync(dist);
  } catch {
    continue;
  }
  walk(dist);
}
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (chosen.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-timeout=300000', ...chosen],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
