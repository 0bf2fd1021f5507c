// A PostgreSQL cluster of the test's own, for tests that stop and start the database (issue 12, "Faults"):
// the server binaries of the machine's PostgreSQL, `initdb` into a temp dir and run as the `postgres`
// user, on a free loopback port. The PostgreSQL other tests share is never touched.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or null. */
const binDir = (): string | null => {
  if (!existsSync(ROOT)) return null;
  const versions = readdirSync(ROOT)
    .filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(ROOT, versions[0], 'bin');
};

/** Why this machine cannot run a cluster of the test's own, or null when it can. */
const problem = ((): string | null => {
  if (binDir() === null) return `no PostgreSQL server binaries under ${ROOT}`;
  if (userInfo().uid !== 0) return 'the test must run as root to start PostgreSQL as the postgres user';
  return null;
})();

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  /** Stops the server (fast shutdown: sessions are ended, as in a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it takes connections. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

async function asPostgres(bin: string, args: string[]): Promise<void> {
  await run('runuser', ['-u', 'postgres', '--', bin, ...args], { timeout: 60_000 });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir() ?? '';
  const dir = await mkdtemp(join(tmpdir(), 'umbra-own-pg-'));
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  const data = join(dir, 'data');
  const port = await freePort();
  await asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = (): Promise<void> =>
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = (): Promise<void> => asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `body` where a cluster of the test's own can run; else skips (locally) or fails (under CI). */
export function describeWithOwnPostgres(name: string, body: () => void): void {
  if (problem === null) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('needs its own PostgreSQL cluster under CI', () => {
        throw new Error(problem);
      });
    });
  } else describe(name, { skip: problem }, () => {});
}
