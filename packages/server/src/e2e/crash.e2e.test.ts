// Durability: a server killed with SIGKILL while a job is processing finishes that job after restart,
// exactly once (issue: durable jobs); and every 201 answered before a SIGKILL names a row that is in the
// database afterwards, with admissions committed in groups (issue 15). Runs the real `umbra serve`.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Umbra } from '@umbra/sdk';
import { openStore } from '../store/open-store.js';
import { OWNER_KEY } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

async function serve(dataDir: string, role = 'all'): Promise<{ proc: ChildProcess; baseURL: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--role', role], {
    env: {
      ...process.env,
      UMBRA_API_KEY: OWNER_KEY,
      UMBRA_EMULATOR: '1',
      UMBRA_EMULATE_LATENCY_MS: '1500',
      UMBRA_LEASE_MS: '1000',
      UMBRA_LOG_LEVEL: 'warn',
      UMBRA_POLL_MS: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const baseURL = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Base URL: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { proc, baseURL };
}

describe('crash recovery (SIGKILL mid-job)', () => {
  it('finishes the interrupted job after restart, exactly once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-crash-'));
    let second: ChildProcess | null = null;
    try {
      const first = await serve(dataDir);
      const c1 = new Umbra({ apiKey: OWNER_KEY, baseURL: first.baseURL, maxRetries: 0 });
      const g = await c1.generations.create({ prompt: 'a lighthouse in a storm' });
      for (let i = 0; i < 200 && (await c1.generations.get(g.id)).state !== 'processing'; i++)
        await sleep(10);
      assert.equal((await c1.generations.get(g.id)).state, 'processing');
      const exited = new Promise((r) => first.proc.once('exit', r));
      first.proc.kill('SIGKILL');
      await exited;

      const restarted = await serve(dataDir);
      second = restarted.proc;
      const c2 = new Umbra({ apiKey: OWNER_KEY, baseURL: restarted.baseURL, maxRetries: 0 });
      const done = await c2.generations.wait(g.id, { pollInterval: 50, timeout: 30_000 });
      assert.equal(done.state, 'completed');
      assert.equal(done.output.length, 1);
      assert.equal((await fetch(done.output[0]?.url ?? '')).status, 200);

      const store = await openStore({ sqlitePath: join(dataDir, 'umbra.db') });
      try {
        const row = await store.generations.get(g.id);
        assert.equal(row?.attempts, 2, 'claimed once before the kill, once after');
        assert.equal(row?.outputs.length, 1);
      } finally {
        await store.close();
      }
      // Only the surviving attempt wrote output: nothing from the killed attempt is left behind.
      assert.deepEqual(await readdir(join(dataDir, 'blobs', 'generations', g.id)), ['a2']);
    } finally {
      second?.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('every 201 answered before the kill names a row that survived it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-crash-admit-'));
    try {
      // An api-only server: the rows stay queued, nothing renders.
      const server = await serve(dataDir, 'api');
      const exited = new Promise((r) => server.proc.once('exit', r));
      const created: string[] = [];
      const post = async (): Promise<void> => {
        const res = await fetch(`${server.baseURL}/generations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${OWNER_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: 'a lighthouse at dawn' }),
        });
        if (res.status !== 201) return;
        created.push(((await res.json()) as { id: string }).id);
        // Killed the moment enough answers are in, while the other requests are still being admitted.
        if (created.length === 40) server.proc.kill('SIGKILL');
      };
      // 20 connections' worth of requests at a time, so admissions are committed in groups.
      const lanes = Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 20; i++) await post().catch(() => undefined);
      });
      await Promise.all(lanes);
      await exited;
      assert.ok(created.length >= 40, `${created.length} answered before the kill`);

      const store = await openStore({ sqlitePath: join(dataDir, 'umbra.db') });
      try {
        const missing: string[] = [];
        for (const id of created) if ((await store.generations.get(id)) === null) missing.push(id);
        assert.deepEqual(missing, [], 'a 201 was answered for a row the database does not hold');
      } finally {
        await store.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
