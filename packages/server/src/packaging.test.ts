// What `npm pack` puts in the server's tarball: the compiled server, and none of its tests nor their support.
// Every test-support module lives in a folder named testing/, so package.json's `files` leaves out
// `dist/**/testing/**` and `dist/**/*.test.*`; this keeps a new test or support module from shipping by accident.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';

const SERVER_DIR = fileURLToPath(new URL('../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack of @umbra/server', () => {
  let files: string[] = [];
  before(async () => {
    const { stdout } = await promisify(execFile)(npm, ['pack', '--dry-run', '--json'], {
      cwd: SERVER_DIR,
      maxBuffer: 64 * 2 ** 20,
    });
    const [info] = JSON.parse(stdout) as { files: { path: string }[] }[];
    assert.ok(info, 'npm pack printed no package');
    files = info.files.map((f) => f.path).sort();
  });

  it('packs the compiled server', () => {
    assert.ok(
      files.includes('dist/index.js'),
      `dist/index.js is not packed: ${files.slice(0, 20).join(' ')}`,
    );
    assert.ok(files.includes('dist/main.js'));
    assert.ok(files.includes('package.json'));
  });

  it('packs no test and no test support', () => {
    const shipped = files.filter((f) => f.includes('/testing/') || f.includes('.test.'));
    assert.deepEqual(shipped, [], `test code packed: ${shipped.slice(0, 20).join(' ')}`);
  });
});
