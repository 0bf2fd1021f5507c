// A SQLite file whose write lock another process holds (issue 12, "Faults"): writes wait up to two
// seconds without blocking the process, then answer 503 `database unavailable`; reads still answer (WAL);
// everything works again once the lock is released.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { SqliteDb } from '../store/sqlite/sqlite.db.js';
import { OWNER_KEY } from '../testing/harness.js';

describe('the SQLite file locked by another process', () => {
  it('writes answer 503 naming the database within two seconds, reads still answer, and both work after', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-sqlite-locked-'));
    const umbra = await startUmbra(
      loadConfig(
        { role: 'api', port: 0, host: '127.0.0.1', dataDir },
        { UMBRA_API_KEY: OWNER_KEY, UMBRA_LOG_LEVEL: 'silent' },
      ),
      silentLogger,
    );
    const origin = (umbra.apiUrl ?? '').replace(/\/v1$/, '');
    const post = async () => {
      const started = Date.now();
      const res = await fetch(`${origin}/v1/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OWNER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'a locked file' }),
      });
      return { status: res.status, ms: Date.now() - started, body: (await res.json()) as { id?: string } };
    };
    // Another process's connection (another handle on the file, as `sqlite3` would hold) keeps the write
    // lock; the server's own connection cannot take it.
    const other = SqliteDb.open(join(dataDir, 'umbra.db'));
    try {
      const first = await post();
      assert.equal(first.status, 201);
      other.raw.exec('BEGIN EXCLUSIVE');
      const locked = await post();
      assert.equal(locked.status, 503);
      assert.deepEqual(locked.body, { detail: 'database unavailable' });
      assert.ok(locked.ms < 2500, `answered in ${locked.ms} ms`);
      const read = await fetch(`${origin}/v1/generations/${first.body.id ?? ''}`, {
        headers: { authorization: `Bearer ${OWNER_KEY}` },
      });
      assert.equal(read.status, 200, 'a reader does not wait for the write lock (WAL)');
      other.raw.exec('ROLLBACK');
      assert.equal((await post()).status, 201);
    } finally {
      other.close();
      await umbra.stop(200);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
