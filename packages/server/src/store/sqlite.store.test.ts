// Runs the Store conformance suite on a real SQLite file (WAL), several connections at once, and races
// claimers in separate threads: better-sqlite3 is synchronous, so only threads (like separate processes)
// really contend for the file lock.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openStore } from './open-store.js';
import { runStoreConformance } from './store.conformance.js';
import { T0, admitted, newClient, newGen } from './store.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'umbra-sqlite-store-'));
// A subdirectory that does not exist yet: openStore must create it.
const sqlitePath = join(dir, 'data', 'umbra.db');

runStoreConformance('sqlite', () => openStore({ databaseUrl: null, sqlitePath }));

// Each thread opens its own connection and claims until the queue is empty; it posts the ids it got.
const CLAIMER = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(async ({ openSqliteStore }) => {
  const store = openSqliteStore(workerData.path);
  const ids = [];
  for (;;) {
    const r = await store.generations.claim(workerData.worker, workerData.now, 60000);
    if (!r) break;
    ids.push(r.id);
  }
  await store.close();
  parentPort.postMessage(ids);
});`;

describe('sqlite store across threads', () => {
  it('hands each row to exactly one of four claimer threads', async () => {
    const path = join(dir, 'threads.db');
    const store = await openStore({ sqlitePath: path });
    const c = await newClient(store);
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add((await admitted(store, newGen(c.id, { createdAt: T0 + i }))).id);
    const module = new URL('./sqlite/sqlite.store.js', import.meta.url).href;
    const got = await Promise.all(
      [0, 1, 2, 3].map(
        (w) =>
          new Promise<string[]>((resolve, reject) => {
            const worker = new Worker(CLAIMER, {
              eval: true,
              workerData: { module, path, worker: `t${w}`, now: T0 + 1000 },
            });
            worker.once('message', (m: string[]) => resolve(m));
            worker.once('error', reject);
          }),
      ),
    );
    await store.close();
    const all = got.flat();
    assert.equal(all.length, 200);
    assert.deepEqual(new Set(all), ids);
  });
});

after(() => rmSync(dir, { recursive: true, force: true }));
