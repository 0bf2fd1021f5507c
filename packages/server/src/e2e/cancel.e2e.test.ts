// Cancel end to end (issue 11, "Cancel", and "what it must show" 4): a queued job ends at once; a job
// processing in-process or on a remote worker (a real `umbra worker` process) is stopped within 2 s — its
// lane takes the next job — and its reservation is refunded; a finished job answers 409; another client's
// answers 404. The body stays inside the hosted API's enums.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Generation, GenerationState, Umbra } from '@umbra/sdk';
import { ConflictError, NotFoundError } from '@umbra/sdk';
import { CANCELED_REASON } from '../generations/cancel.js';
import type { TestServer } from '../testing/harness.js';
import { OWNER_KEY, startTestServer } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const REQUEST = { prompt: 'a slow lighthouse', model: 'uni-1', aspect_ratio: '1:1' } as const;
/** The bound from the cancel call to the worker having let the job go. */
const STOP_BOUND_MS = 2000;

/** Polls until the generation is in `state`; fails after `ms`. */
async function until(client: Umbra, id: string, state: GenerationState, ms = 20_000): Promise<Generation> {
  const deadline = Date.now() + ms;
  for (;;) {
    const g = await client.generations.get(id);
    if (g.state === state) return g;
    if (Date.now() > deadline) assert.fail(`${id} still ${g.state}, not ${state}, after ${ms} ms`);
    await sleep(20);
  }
}

/** ms from now until the generation leaves `queued` (the lane that was busy took it). */
async function msUntilClaimed(client: Umbra, id: string): Promise<number> {
  const t0 = Date.now();
  await until(client, id, 'processing');
  return Date.now() - t0;
}

/** A metered client's starting balance: enough for every job here. */
const FUNDS = 1_000_000_000;

/** The metered balance of the client `name`, in micro-USD. */
async function balanceOf(s: TestServer, name: string): Promise<number | null> {
  const c = await s.umbra.store.clients.findClientByName(name);
  assert.ok(c);
  return c.balanceMicros;
}

const assertCanceled = (g: Generation): void => {
  assert.deepEqual(
    [g.state, g.failure_code, g.failure_reason, g.output],
    ['failed', 'generation_failed', CANCELED_REASON, []],
  );
};

describe('cancel (issue 11)', () => {
  describe('in-process worker', () => {
    let s: TestServer;
    let payer: Umbra;
    let payerKey = '';

    before(async () => {
      // Every job takes a minute, one at a time: the first is processing while the others queue.
      s = await startTestServer({ UMBRA_EMULATE_LATENCY_MS: '60000', UMBRA_CONCURRENCY: '1' });
      payerKey = await s.newKey({ client: 'payer', balanceMicros: FUNDS });
      payer = s.clientFor(payerKey);
    });
    after(() => s.stop());

    it('ends a queued job at once and a processing one within 2 s, refunding both', async () => {
      const running = await payer.generations.create(REQUEST);
      const price = FUNDS - ((await balanceOf(s, 'payer')) ?? 0);
      assert.ok(price > 0, 'the job reserved its price');
      await until(payer, running.id, 'processing');
      const queued = await payer.generations.create(REQUEST);
      const next = await payer.generations.create(REQUEST);
      assert.equal(await balanceOf(s, 'payer'), FUNDS - 3 * price);

      const q = await payer.generations.cancel(queued.id);
      assertCanceled(q);
      assert.equal(q.id, queued.id);
      assertCanceled(await payer.generations.get(queued.id));
      assert.equal(await balanceOf(s, 'payer'), FUNDS - 2 * price);

      const p = await payer.generations.cancel(running.id);
      assertCanceled(p);
      // The worker let go: its only lane takes the next job, long before the minute is up.
      const ms = await msUntilClaimed(payer, next.id);
      assert.ok(ms < STOP_BOUND_MS, `the lane was free after ${ms} ms`);
      assert.equal(await balanceOf(s, 'payer'), FUNDS - price, 'only the job still running is reserved');
      assertCanceled(await payer.generations.get(running.id));
      await payer.generations.cancel(next.id);
      assert.equal(await balanceOf(s, 'payer'), FUNDS);
    });

    it('answers 409 for a finished job and changes nothing; 404 for unknown and foreign ids', async () => {
      const g = await payer.generations.create(REQUEST);
      await payer.generations.cancel(g.id);
      const before = await balanceOf(s, 'payer');
      await assert.rejects(payer.generations.cancel(g.id), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(
          err.detail,
          'Generation is already failed; only a queued or processing generation can be canceled',
        );
        return true;
      });
      assert.equal(await balanceOf(s, 'payer'), before);
      // Final, so SDKs that retry a 409 by default are told not to.
      const again = await s.raw('POST', `/v1/generations/${g.id}/cancel`, { auth: payerKey });
      assert.equal(again.status, 409);
      assert.equal(again.headers.get('x-should-retry'), 'false');
      const other = s.clientFor(await s.newKey({ client: 'other' }));
      for (const id of [g.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        await assert.rejects(other.generations.cancel(id), (err: unknown) => {
          assert.ok(err instanceof NotFoundError);
          assert.equal(err.detail, 'Generation not found');
          return true;
        });
      }
    });

    it('follows the conventions of every route: bearer auth, request id and API version headers', async () => {
      const g = await s.client.generations.create(REQUEST);
      const anon = await s.raw('POST', `/v1/generations/${g.id}/cancel`, { auth: null });
      assert.equal(anon.status, 401);
      assert.ok(typeof ((await anon.json()) as { detail?: unknown }).detail === 'string');
      const res = await s.raw('POST', `/v1/generations/${g.id.toUpperCase()}/cancel`);
      assert.equal(res.status, 200);
      assert.ok(res.headers.get('x-request-id'));
      assert.ok(res.headers.get('x-api-version'));
      const body = (await res.json()) as Generation;
      // Exactly the keys GET answers.
      assert.deepEqual(Object.keys(body).sort(), Object.keys(await s.client.generations.get(g.id)).sort());
      assertCanceled(body);
    });

    it('`umbra cancel ID` cancels and prints the generation; a finished one exits 4', async () => {
      const g = await s.client.generations.create(REQUEST);
      const env = { ...process.env, LUMA_BASE_URL: s.baseURL, LUMA_AGENTS_API_KEY: OWNER_KEY };
      const run = promisify(execFile);
      const { stdout } = await run(process.execPath, [CLI, 'cancel', g.id, '--json'], { env });
      assertCanceled(JSON.parse(stdout) as Generation);
      await assert.rejects(run(process.execPath, [CLI, 'cancel', g.id], { env }), (err: unknown) => {
        const e = err as { code?: number; stderr?: string };
        assert.equal(e.code, 4);
        assert.match(e.stderr ?? '', /already failed; .*\(HTTP 409, request id /);
        return true;
      });
    });
  });

  describe('remote worker (a real `umbra worker` process)', () => {
    let api: TestServer;
    let worker: ChildProcess | null = null;
    let workerDir = '';

    before(async () => {
      workerDir = await mkdtemp(join(tmpdir(), 'umbra-cancel-worker-'));
      api = await startTestServer({ UMBRA_ROLE: 'api', UMBRA_ENGINES: 'uni-1=remote' });
      const { stdout: token } = await promisify(execFile)(
        process.execPath,
        [CLI, 'worker-tokens', 'create', '--name', 'slow', '--data-dir', api.dataDir],
        { env: { ...process.env, UMBRA_LOG_LEVEL: 'silent' } },
      );
      worker = spawn(
        process.execPath,
        [CLI, 'worker', '--server', api.baseURL, '--token', token.trim(), '--concurrency', '1'],
        {
          env: {
            ...process.env,
            UMBRA_LOG_LEVEL: 'silent',
            UMBRA_DATA_DIR: workerDir,
            UMBRA_EMULATE_LATENCY_MS: '60000',
          },
          stdio: 'ignore',
        },
      );
    });
    after(async () => {
      worker?.kill('SIGKILL');
      await api?.stop();
      await rm(workerDir, { recursive: true, force: true });
    });

    it('stops the job on the worker within 2 s (its heartbeat is answered 409) and refunds it', async () => {
      const payer = api.clientFor(await api.newKey({ client: 'payer', balanceMicros: FUNDS }));
      const running = await payer.generations.create(REQUEST);
      const price = FUNDS - ((await balanceOf(api, 'payer')) ?? 0);
      await until(payer, running.id, 'processing', 60_000);
      const next = await payer.generations.create(REQUEST);
      assertCanceled(await payer.generations.cancel(running.id));
      const ms = await msUntilClaimed(payer, next.id);
      assert.ok(ms < STOP_BOUND_MS, `the remote lane was free after ${ms} ms`);
      assert.equal(await balanceOf(api, 'payer'), FUNDS - price, 'only the job now running is reserved');
      assertCanceled(await payer.generations.get(running.id));
      await payer.generations.cancel(next.id);
      assert.equal(await balanceOf(api, 'payer'), FUNDS);
    });
  });
});
