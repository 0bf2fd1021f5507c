// wait / createAndWait: polling, progress, failure, timeout and abort.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import { APITimeoutError, APIUserAbortError, GenerationFailedError } from './errors.js';
import type { Generation } from './types.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const done = generation('completed', { output: [{ type: 'image', url: 'http://127.0.0.1:1/x.png' }] });

describe('generations.wait', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'k', baseURL: srv.baseURL });
  });
  after(() => srv.close());

  it('polls until completed, reporting every state', async () => {
    srv.script(
      // No event stream here (the hosted API): one 404, then polling.
      { status: 404, body: { detail: 'Not Found' } },
      { status: 200, body: generation('queued') },
      { status: 200, body: generation('processing') },
      { status: 200, body: done },
    );
    const states: string[] = [];
    const g = await client.generations.wait(generation('queued') as Generation, {
      pollInterval: 1,
      onProgress: (p) => states.push(p.state),
    });
    assert.equal(g.state, 'completed');
    assert.equal(g.output[0]?.type, 'image');
    assert.deepEqual(states, ['queued', 'processing', 'completed']);
    assert.ok(srv.received.every((r) => r.method === 'GET' && r.url.startsWith('/v1/generations/5b0c6a0e')));
  });

  it('throws GenerationFailedError carrying failure_code and reason', async () => {
    srv.script({
      status: 200,
      body: generation('failed', { failure_code: 'content_moderated', failure_reason: 'flagged' }),
    });
    const err = await client.generations
      .wait('5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11')
      .catch((e: unknown) => e);
    assert.ok(err instanceof GenerationFailedError);
    assert.equal(err.failureCode, 'content_moderated');
    assert.equal(err.code, 'content_moderated');
    assert.equal(err.failureReason, 'flagged');
    assert.equal(err.generation.state, 'failed');
    assert.match(err.message, /content_moderated/);
  });

  it('gives up after its timeout, and stops when aborted', async () => {
    // A server of its own: polls cut short by the deadline may still land after the test ends.
    const own = await startScriptedServer();
    const c = new Umbra({ apiKey: 'k', baseURL: own.baseURL });
    try {
      own.script({ status: 200, body: generation('processing') });
      await assert.rejects(c.generations.wait('id', { pollInterval: 2, timeout: 20 }), APITimeoutError);
      const ctl = new AbortController();
      own.script({ status: 200, body: generation('processing') });
      const p = c.generations.wait('id', { pollInterval: 60_000, signal: ctl.signal });
      while (own.received.length === 0) await new Promise((r) => setTimeout(r, 2));
      ctl.abort();
      await assert.rejects(p, APIUserAbortError);
    } finally {
      await own.close();
    }
  });

  it('createAndWait posts once, then polls', async () => {
    srv.script(
      { status: 201, body: generation('queued') },
      { status: 404, body: { detail: 'Not Found' } },
      { status: 200, body: done },
    );
    const g = await client.generations.createAndWait({ prompt: 'p' }, { pollInterval: 1 });
    assert.equal(g.state, 'completed');
    assert.deepEqual(
      srv.received.map((r) => `${r.method} ${r.url.replace(/[0-9a-f-]{36}/, 'ID')}`),
      ['POST /v1/generations', 'GET /v1/generations/ID/events', 'GET /v1/generations/ID'],
    );
  });
});
