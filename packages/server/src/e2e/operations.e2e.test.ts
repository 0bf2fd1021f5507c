// The operator's admin routes (issue 13): each model's queue and the remote workers seen, for admin keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PermissionDeniedError } from '@umbra/sdk';
import { startTestServer } from '../testing/harness.js';
import type { TestServer } from '../testing/harness.js';

describe('admin queue and workers', () => {
  let s: TestServer;
  let adminKey = '';
  before(async () => {
    // One slow job at a time, so the others wait in the queue while we look.
    s = await startTestServer({
      UMBRA_EMULATOR: '1',
      UMBRA_EMULATE_LATENCY_MS: '3000',
      UMBRA_CONCURRENCY: '1',
    });
    adminKey = await s.newKey({ client: 'ops' });
    const ops = await s.umbra.store.clients.findClientByName('ops');
    await s.umbra.store.clients.updateClient(ops?.id ?? '', { admin: true });
  });
  after(() => s.stop());

  it("shows each model's queued and processing jobs and its longest wait", async () => {
    const before = Date.now();
    for (let i = 0; i < 3; i++) await s.client.generations.create({ prompt: `a queue, ${i}` });
    const admin = s.clientFor(adminKey).admin;
    let q = await admin.queue();
    for (let i = 0; i < 50 && (q.data[0]?.processing ?? 0) === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      q = await admin.queue();
    }
    assert.equal(q.data.length, 1);
    const uni = q.data[0];
    assert.equal(uni?.model, 'uni-1');
    assert.equal(uni?.processing, 1);
    assert.equal(uni?.queued, 2);
    assert.ok(Date.parse(uni?.oldest_queued_at ?? '') >= before - 1000);
    const workers = await admin.workers();
    assert.equal(workers.window_seconds, 300);
    assert.deepEqual(workers.data, [], 'no remote worker has called in');
  });

  it('refuses keys of clients that are not admins', async () => {
    await assert.rejects(s.client.admin.queue(), PermissionDeniedError);
    await assert.rejects(s.client.admin.workers(), PermissionDeniedError);
  });
});
