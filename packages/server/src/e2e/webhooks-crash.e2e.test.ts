// Durability of webhooks (issue 11): the real `umbra serve` is killed with SIGKILL after a generation
// completed and while its delivery is on the wire, unrecorded; after a restart on the same data directory
// the delivery is made, with the same webhook-id and a valid signature. Runs the server as a subprocess.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Umbra } from '@umbra/sdk';
import { openStore } from '../store/open-store.js';
import { OWNER_KEY, startFixtureServer } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

async function serve(dataDir: string): Promise<{ proc: ChildProcess; baseURL: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: {
      ...process.env,
      UMBRA_API_KEY: OWNER_KEY,
      UMBRA_TEST_ALLOW_LOOPBACK_FETCH: '1',
      // A lease of 2 × 1000 + 1000 ms: the killed process's attempt is claimed again 3 s after it began.
      UMBRA_WEBHOOK_TIMEOUT_MS: '1000',
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

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('webhooks across a crash (SIGKILL between completion and delivery)', () => {
  it('delivers after a restart what the killed process had on the wire', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-webhook-crash-'));
    const hits: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const held: ServerResponse[] = [];
    // The first POST is held unanswered: the process dies with it on the wire.
    const rx = await startFixtureServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({ headers: req.headers, body });
        if (hits.length === 1) held.push(res);
        else res.writeHead(204).end();
      });
    });
    let second: ChildProcess | null = null;
    try {
      const first = await serve(dataDir);
      const c1 = new Umbra({ apiKey: OWNER_KEY, baseURL: first.baseURL, maxRetries: 0 });
      const endpoint = await c1.webhookEndpoints.create({ url: `${rx.origin}/crash` });
      const g = await c1.generations.createAndWait(
        { prompt: 'a lighthouse', model: 'uni-1' },
        { pollInterval: 20 },
      );
      await until('the first attempt', () => (hits.length > 0 ? true : null));
      const exited = new Promise((r) => first.proc.once('exit', r));
      first.proc.kill('SIGKILL');
      await exited;

      const store = await openStore({ sqlitePath: join(dataDir, 'umbra.db') });
      try {
        const [d] = await store.webhooks.listDeliveries(endpoint.id, { limit: 10, state: null, after: null });
        assert.deepEqual(
          [d?.generationId, d?.state, d?.attempts, d?.leaseOwner !== null],
          [g.id, 'pending', 0, true],
          'on the wire, unrecorded, its lease held by the dead process',
        );
      } finally {
        await store.close();
      }

      const restarted = await serve(dataDir);
      second = restarted.proc;
      const c2 = new Umbra({ apiKey: OWNER_KEY, baseURL: restarted.baseURL, maxRetries: 0 });
      const delivered = await until('the delivery after the restart', async () => {
        const [d] = (await c2.webhookEndpoints.deliveries(endpoint.id)).data;
        return d?.state === 'delivered' ? d : null;
      });
      assert.deepEqual(
        delivered.attempts.map((a) => [a.attempt, a.status_code]),
        [[1, 204]],
      );
      assert.equal(hits.length, 2);
      const [lost, made] = hits;
      assert.equal(made?.headers['webhook-id'], lost?.headers['webhook-id'], 'the same id: receivers dedupe');
      assert.equal(made?.headers['webhook-id'], delivered.id);
      const key = Buffer.from(endpoint.secret.slice('whsec_'.length), 'base64');
      const ts = String(made?.headers['webhook-timestamp']);
      const mac = createHmac('sha256', key).update(`${delivered.id}.${ts}.${made?.body}`).digest('base64');
      assert.equal(made?.headers['webhook-signature'], `v1,${mac}`);
      const event = JSON.parse(made?.body ?? '{}') as { type: string; data: { id: string; state: string } };
      assert.deepEqual(
        [event.type, event.data.id, event.data.state],
        ['generation.completed', g.id, 'completed'],
      );
    } finally {
      for (const r of held) r.destroy();
      second?.kill('SIGKILL');
      await rx.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
