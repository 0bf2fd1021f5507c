// The console's browser tests drive Debian's `chromium` package. This installs it when it is missing and
// the test command runs as root; otherwise it says in one line that those tests will be skipped — except
// under CI=true, where a missing browser fails the run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const BROWSER = process.env.UMBRA_CHROMIUM || '/usr/bin/chromium';
if (existsSync(BROWSER)) process.exit(0);
const ci = process.env.CI === 'true';
if (process.getuid?.() !== 0) {
  const line = `chromium is not installed at ${BROWSER} and this user cannot install it (apt-get install chromium)`;
  if (ci) {
    console.error(`${line}: the browser tests need it under CI=true`);
    process.exit(1);
  }
  console.log(`${line}: the console's browser tests will be skipped`);
  process.exit(0);
}
console.log('installing chromium for the console browser tests (apt-get install chromium)');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const run = (args) =>
  spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
if (!run(['install', '-y', '--no-install-recommends', 'chromium'])) {
  run(['update']);
  if (!run(['install', '-y', '--no-install-recommends', 'chromium'])) {
    console.error('apt-get install chromium failed');
    process.exit(ci ? 1 : 0);
  }
}
if (!existsSync(BROWSER)) {
  console.error(`chromium installed but ${BROWSER} is missing`);
  process.exit(ci ? 1 : 0);
}
