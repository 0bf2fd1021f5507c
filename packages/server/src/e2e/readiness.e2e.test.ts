// GET /readyz end to end (issue 12, "what it must show" 2): 200 while the database, the blob store and
// ffmpeg are usable, 503 naming the part as soon as one is not — the SQLite file gone from its path (root
// ignores file modes, so "unwritable" is made another way), an ffmpeg that does not run — and 200 again
// once it is back. /healthz answers throughout. PostgreSQL stopped and started: database-outage.e2e.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';

interface Ready {
  status: number;
  body: { ok?: boolean; detail?: string; checks: Record<string, string> };
}

const readyz = async (origin: string): Promise<Ready> => {
  const res = await fetch(`${origin}/readyz`);
  return { status: res.status, body: (await res.json()) as Ready['body'] };
};

const originOf = (apiUrl: string | null): string => (apiUrl ?? '').replace(/\/v1$/, '');

describe('GET /readyz on SQLite', () => {
  it('is 503 naming the database while its file is not at its path, and 200 once it is back', async () => {
    const s = await startTestServer();
    const origin = originOf(s.baseURL);
    const db = join(s.dataDir, 'umbra.db');
    try {
      const ok = await readyz(origin);
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, { ok: true, checks: { database: 'ok', blobs: 'ok', ffmpeg: 'ok' } });

      await rename(db, `${db}.away`);
      await mkdir(db); // a directory where the file was: nothing can open or write it there
      const down = await readyz(origin);
      assert.equal(down.status, 503);
      assert.match(down.body.detail ?? '', /^database unavailable: unable to open database file$/);
      assert.equal(down.body.checks.blobs, 'ok');
      assert.equal((await fetch(`${origin}/healthz`)).status, 200, 'the process still lives');

      await rmdir(db);
      await rename(`${db}.away`, db);
      assert.equal((await readyz(origin)).status, 200);
    } finally {
      await s.stop();
    }
  });

  it('is 503 naming ffmpeg when the configured binary does not run', async () => {
    const s = await startTestServer({ UMBRA_FFMPEG: '/nonexistent/ffmpeg' });
    try {
      const r = await readyz(originOf(s.baseURL));
      assert.equal(r.status, 503);
      assert.match(
        r.body.detail ?? '',
        /^ffmpeg unavailable: ffmpeg \(\/nonexistent\/ffmpeg\) does not run: /,
      );
      assert.equal(r.body.checks.database, 'ok');
    } finally {
      await s.stop();
    }
  });

  it('a worker-only process answers its probes on the metrics port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-ready-worker-'));
    const env = { UMBRA_LOG_LEVEL: 'silent', UMBRA_METRICS_PORT: '0', UMBRA_API_KEY: OWNER_KEY };
    const w = await startUmbra(loadConfig({ role: 'worker', dataDir, concurrency: 1 }, env), silentLogger);
    try {
      assert.equal(w.apiUrl, null);
      const r = await readyz(w.metricsUrl ?? '');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.checks, { database: 'ok', blobs: 'ok', ffmpeg: 'ok' });
      assert.equal((await fetch(`${w.metricsUrl ?? ''}/metrics`)).status, 200);
    } finally {
      await w.stop(200);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
