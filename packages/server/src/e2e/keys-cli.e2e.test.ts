// `umbra keys create|list|revoke` as a user runs them: the built CLI against a data directory, then the
// keys used against a server on that same directory (keys stored hashed; a revocation takes effect within
// the server's key cache lifetime).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Umbra } from '@umbra/sdk';
import { AuthenticationError } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';

/** The server's key cache lifetime here: short, so the test waits little for a revocation to apply. */
const KEY_CACHE_MS = 500;
const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const run = async (args: string[]): Promise<{ stdout: string; code: number }> => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, UMBRA_LOG_LEVEL: 'silent' },
    });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; code?: number };
    return { stdout: e.stdout ?? '', code: e.code ?? 1 };
  }
};

describe('umbra keys (CLI)', () => {
  it('creates, lists and revokes keys in a data directory; the server honours them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-keys-'));
    try {
      const created = await run(['keys', 'create', '--client', 'acme', '--hdr', '--data-dir', dataDir]);
      assert.equal(created.code, 0);
      const key = created.stdout.split('\n')[0] ?? '';
      assert.match(key, /^luma-api-[A-Za-z0-9]{40}$/);
      assert.match(created.stdout, /client 'acme', new/);
      const second = await run(['keys', 'create', '--client', 'acme', '--data-dir', dataDir]);
      assert.match(second.stdout, /client 'acme';/, 'the second key joins the existing client');

      const listed = await run(['keys', 'list', '--data-dir', dataDir]);
      const rows = listed.stdout.trim().split('\n');
      assert.equal(rows[0], 'PREFIX\tCLIENT\tSTATUS\tCREATED\tEXPIRES');
      assert.equal(rows.filter((r) => r.includes('\tacme\tactive\t')).length, 2);
      assert.ok(!listed.stdout.includes(key), 'only prefixes are shown');

      // Keys are stored hashed: the plain key appears nowhere in the database file.
      const db = await readFile(join(dataDir, 'umbra.db'));
      assert.equal(db.includes(Buffer.from(key)), false);

      const umbra = await startUmbra(
        loadConfig(
          { port: 0, dataDir },
          { UMBRA_LOG_LEVEL: 'silent', UMBRA_KEY_CACHE_MS: String(KEY_CACHE_MS) },
        ),
        silentLogger,
      );
      try {
        const client = new Umbra({ apiKey: key, baseURL: umbra.apiUrl ?? '', maxRetries: 0 });
        const g = await client.generations.create({ prompt: 'hello' });
        assert.equal(g.state, 'queued');

        const prefix = key.slice(0, 17);
        assert.equal(
          (await run(['keys', 'revoke', prefix, '--data-dir', dataDir])).stdout,
          'revoked 1 key\n',
        );
        // The CLI is another process: the server sees the revocation within UMBRA_KEY_CACHE_MS.
        await sleep(KEY_CACHE_MS + 500);
        await assert.rejects(client.generations.get(g.id), (e: unknown) => {
          assert.ok(e instanceof AuthenticationError);
          assert.equal(e.detail, 'API key has been revoked');
          return true;
        });
        const again = await run(['keys', 'revoke', prefix, '--data-dir', dataDir]);
        assert.equal(again.code, 1, 'nothing left to revoke is an error');
        assert.equal(
          (await run(['keys', 'revoke', 'luma', '--data-dir', dataDir])).code,
          2,
          'too short a prefix',
        );
      } finally {
        await umbra.stop(200);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
