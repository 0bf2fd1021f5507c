// Runs the Store conformance suite on a real SQLite file (WAL), several connections at once, and races
// claimers in separate threads: better-sqlite3 is synchronous, so only threads (like separate processes)
// really contend for the file lock.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { openStore } from './open-store.js';
import { runStoreConformance } from './testing/store.conformance.js';
import { T0, admitted, newClient, newGen } from './testing/store.fixtures.js';

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

// Readiness (issue 12): root ignores file modes, so these make the file unusable in ways root cannot.
describe('sqlite ping', () => {
  it('fails while the file is not at its path, and answers again once it is back', async () => {
    const path = join(dir, 'moved.db');
    const store = await openStore({ sqlitePath: path });
    try {
      await store.ping();
      renameSync(path, `${path}.away`);
      mkdirSync(path); // a directory where the database should be
      await assert.rejects(store.ping(), /unable to open database file/);
      rmdirSync(path);
      renameSync(`${path}.away`, path);
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('fails within its short wait while another connection holds the write lock', async () => {
    const path = join(dir, 'locked.db');
    const store = await openStore({ sqlitePath: path });
    const other = new Database(path);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      await assert.rejects(store.ping(), /database is locked/);
      assert.ok(Date.now() - started < 2000, 'the ping waits a quarter second, not the 5 s of writes');
      other.exec('ROLLBACK');
      await store.ping();
    } finally {
      other.close();
      await store.close();
    }
  });
});

after(() => rmSync(dir, { recursive: true, force: true }));
