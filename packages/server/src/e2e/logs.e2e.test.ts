// The process log end to end (issue 12, "Logs"): one line per request carrying its request id (the
// `x-request-id` the client saw) and the generation it is about, and one line per job transition naming
// the generation, so a request and the job it started can be followed together. Probes stay out at info.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { Umbra } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import { createProcessLogger } from '../logger.js';
import { startUmbra } from '../main.js';
import { OWNER_KEY } from '../testing/harness.js';

type Line = Record<string, unknown>;

it('logs one line per request and per job transition, with the request id and the generation id', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-logs-'));
  const out: string[] = [];
  const config = loadConfig(
    { port: 0, host: '127.0.0.1', dataDir },
    { UMBRA_API_KEY: OWNER_KEY, UMBRA_EMULATOR: '1', UMBRA_POLL_MS: '20', UMBRA_LOG_FORMAT: 'json' },
  );
  const log = createProcessLogger(config, { write: (s: string) => void out.push(s), isTTY: true });
  const umbra = await startUmbra(config, log);
  const origin = (umbra.apiUrl ?? '').replace(/\/v1$/, '');
  const client = new Umbra({ apiKey: OWNER_KEY, baseURL: umbra.apiUrl ?? '', maxRetries: 0 });
  try {
    const res = await fetch(`${origin}/v1/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OWNER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a lighthouse' }),
    });
    assert.equal(res.status, 201);
    const reqId = res.headers.get('x-request-id');
    const { id } = (await res.json()) as { id: string };
    assert.equal((await client.generations.wait(id, { pollInterval: 50 })).state, 'completed');
    const failing = await client.generations.create(
      { prompt: 'x' },
      { headers: { 'x-umbra-fail': 'content_moderated' } },
    );
    await assert.rejects(client.generations.wait(failing.id, { pollInterval: 50 }));
    assert.equal((await fetch(`${origin}/healthz`)).status, 200);

    const lines = out.map((s) => JSON.parse(s) as Line);
    const requests = lines.filter((l) => l.msg === 'request');
    const created = requests.filter((l) => l.path === '/v1/generations' && l.status === 201);
    assert.equal(created.length, 2);
    assert.equal(created[0]!.reqId, reqId, 'the id the client was given');
    assert.equal(created[0]!.gen, id);
    assert.equal(created[0]!.method, 'POST');
    assert.equal(typeof created[0]!.ms, 'number');
    // Waiting (a poll, or the event stream) is about the generation too.
    const waits = requests.filter((l) => String(l.path).startsWith(`/v1/generations/${id}`));
    assert.ok(
      waits.length > 0 && waits.every((l) => l.gen === id && l.status === 200),
      JSON.stringify(waits),
    );
    assert.equal(new Set(requests.map((l) => l.reqId)).size, requests.length, 'one line per request');
    assert.ok(!requests.some((l) => l.path === '/healthz'), 'probes are debug lines');

    const job = (gen: string): string[] =>
      lines.filter((l) => l.gen === gen && l.msg !== 'request').map((l) => String(l.msg));
    assert.deepEqual(job(id), ['processing', 'completed']);
    assert.deepEqual(job(failing.id), ['processing', 'failed']);
    const failedLine = lines.find((l) => l.gen === failing.id && l.msg === 'failed');
    assert.equal(failedLine?.code, 'content_moderated');
    assert.equal(failedLine?.attempt, 1);
  } finally {
    await umbra.stop(200);
    await rm(dataDir, { recursive: true, force: true });
  }
});
