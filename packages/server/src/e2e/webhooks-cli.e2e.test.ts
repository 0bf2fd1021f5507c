// `umbra webhooks add|list|remove --client NAME` as an operator runs them: the built CLI on a data
// directory, then a server on that directory delivering to the endpoint it added, signed with the secret
// it printed once. Refusals (a private URL, an unknown client, a bad event type) exit 2 with the reason.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Umbra } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { startFixtureServer } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const LOOPBACK = { UMBRA_TEST_ALLOW_LOOPBACK_FETCH: '1' };

const run = async (
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, UMBRA_LOG_LEVEL: 'silent', ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
  }
};

describe('umbra webhooks (CLI)', () => {
  it("adds, lists and removes a client's endpoints; the server delivers to them, signed", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-webhooks-cli-'));
    const hits: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const rx = await startFixtureServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    const d = ['--data-dir', dataDir];
    try {
      const key = (await run(['keys', 'create', '--client', 'acme', ...d])).stdout.split('\n')[0] ?? '';
      const added = await run(
        [
          'webhooks',
          'add',
          `${rx.origin}/hook`,
          '--client',
          'acme',
          '--events',
          'generation.completed',
          ...d,
        ],
        LOOPBACK,
      );
      assert.equal(added.code, 0, added.stderr);
      const id = added.stdout.trim();
      assert.match(id, /^[0-9a-f-]{36}$/);
      const secret = /signing secret \(shown once, keep it\): (whsec_\S+)/.exec(added.stderr)?.[1] ?? '';
      assert.match(secret, /^whsec_/);

      const listed = await run(['webhooks', 'list', '--client', 'acme', ...d]);
      const rows = listed.stdout.trim().split('\n');
      assert.equal(rows[0], 'ID\tEVENTS\tCREATED\tURL');
      const [lid, levents, lcreated, lurl] = (rows[1] ?? '').split('\t');
      assert.deepEqual(
        [rows.length, lid, levents, lurl],
        [2, id, 'generation.completed', `${rx.origin}/hook`],
      );
      assert.match(lcreated ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(!listed.stdout.includes(secret), 'the secret is printed once, at add');

      // Without the test-only loopback setting, as in production.
      for (const [args, reason] of [
        [['https://10.0.0.1/x', '--client', 'acme'], 'url: must resolve to public addresses only'],
        [[`${rx.origin}/x`, '--client', 'acme'], 'url: must be an https URL'],
        [['https://93.184.216.34/x', '--client', 'nobody'], "no client named 'nobody'"],
        [
          ['https://93.184.216.34/x', '--client', 'acme', '--events', 'generation.done'],
          'events[0]: must be one of: generation.processing, generation.completed, generation.failed',
        ],
      ] as const) {
        const r = await run(['webhooks', 'add', ...args, ...d]);
        assert.deepEqual([r.code, r.stderr.trim()], [2, `umbra: ${reason}`], args.join(' '));
      }

      const umbra = await startUmbra(
        loadConfig({ port: 0, dataDir }, { UMBRA_LOG_LEVEL: 'silent', UMBRA_POLL_MS: '20', ...LOOPBACK }),
        silentLogger,
      );
      try {
        const client = new Umbra({ apiKey: key, baseURL: umbra.apiUrl ?? '', maxRetries: 0 });
        const g = await client.generations.createAndWait({ prompt: 'a lighthouse' }, { pollInterval: 20 });
        for (let i = 0; i < 500 && hits.length === 0; i++) await sleep(20);
        const [hit] = hits;
        assert.ok(hit, 'delivered');
        const keyBytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
        const signed = `${String(hit.headers['webhook-id'])}.${String(hit.headers['webhook-timestamp'])}.${hit.body}`;
        const mac = createHmac('sha256', keyBytes).update(signed).digest('base64');
        assert.equal(hit.headers['webhook-signature'], `v1,${mac}`);
        assert.equal((JSON.parse(hit.body) as { data: { id: string } }).data.id, g.id);
      } finally {
        await umbra.stop(200);
      }

      const removed = await run(['webhooks', 'remove', id, '--client', 'acme', ...d]);
      assert.deepEqual([removed.code, removed.stdout.trim()], [0, `removed ${id}`]);
      const again = await run(['webhooks', 'remove', id, '--client', 'acme', ...d]);
      assert.equal(again.code, 2);
      assert.equal(
        (await run(['webhooks', 'list', '--client', 'acme', ...d])).stdout.trim(),
        'ID\tEVENTS\tCREATED\tURL',
      );
    } finally {
      await rx.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
