// `umbra list` as a user runs it: the built CLI as a subprocess against a real api-only server (no
// worker, so the jobs stay queued and cost nothing), checked against what the client library lists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Generation, GenerationList } from '@umbra/sdk';
import { Umbra } from '@umbra/sdk';
import type { RunResult, Server } from './test/harness.js';
import { KEY, startServer, umbra } from './test/harness.js';

describe('umbra list (built CLI, real server)', () => {
  let server: Server;
  let client: Umbra;
  const all: Generation[] = [];
  const run = (args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> =>
    umbra(server, args, { env });
  before(async () => {
    server = await startServer({ UMBRA_ROLE: 'api' });
    client = new Umbra({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
    for (const model of ['uni-1', 'uni-1-max', 'uni-1', 'uni-1-max', 'uni-1'] as const) {
      await client.generations.create({ prompt: 'a lighthouse', model });
    }
    await client.generations.create({ prompt: 'waves', type: 'video', video: { resolution: '360p' } });
    for await (const g of client.generations.listAll()) all.push(g);
    assert.equal(all.length, 6);
  });
  after(() => server.stop());

  it('prints one generation per line, newest first, and a hint that continues the same listing', async () => {
    const seen: string[] = [];
    let args = ['list', '--limit', '4'];
    for (;;) {
      const r = await run(args);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      for (const line of lines) {
        const [id, state, type, model] = line.split(/\s+/);
        const g = all.find((x) => x.id === id);
        assert.ok(g, line);
        assert.deepEqual([state, type, model], [g.state, g.type, g.model]);
        seen.push(id ?? '');
      }
      const more = /^more: umbra (list .*)$/m.exec(r.stderr)?.[1];
      if (more === undefined) break;
      assert.match(more, /^list --limit 4 --cursor \S+$/);
      args = more.split(' ');
    }
    assert.deepEqual(
      seen,
      all.map((g) => g.id),
    );
  });

  it('filters by model and type, and --json prints the page as the API answered it', async () => {
    const r = await run(['list', '--model', 'uni-1-max', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const page = JSON.parse(r.stdout) as GenerationList;
    assert.deepEqual(
      page.data.map((g) => g.id),
      all.filter((g) => g.model === 'uni-1-max').map((g) => g.id),
    );
    assert.equal(page.has_more, false);
    assert.equal(page.next_cursor, null);
    const videos = await run(['list', '--type', 'video', '--state', 'queued']);
    assert.equal(videos.stdout.trimEnd().split('\n').length, 1);
    assert.match(videos.stdout, /\bvideo\s+ray-3\.2\b/);
    assert.equal((await run(['list', '--state', 'failed'])).stdout, '');
  });

  it('bad flags exit 2, a cursor the server refuses exits 4 with its detail, no or a bad key exits 3', async () => {
    assert.equal((await run(['list', '--limit', '0'])).code, 2);
    assert.equal((await run(['list', '--state', 'done'])).code, 2);
    assert.equal((await run(['list', '--model', 'ray-3.14'])).code, 2);
    const bad = await run(['list', '--cursor', 'nope']);
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /cursor: is not a valid cursor/);
    assert.equal((await run(['list'], { LUMA_AGENTS_API_KEY: undefined })).code, 3);
    assert.equal((await run(['list', '--api-key', 'luma-api-wrong'])).code, 3);
  });
});
