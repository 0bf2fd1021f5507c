// Group commit of admissions on SQLite (issue 15, sqlite.generations.ts `admit`): admissions arriving in one
// turn of the event loop share one transaction, each settles only after that COMMIT (a 201 means the row is
// durable), one that throws is undone alone, and a transaction that cannot begin fails them all with
// nothing written. Real files, a second connection as the witness.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DependencyUnavailable } from '../../unavailable.js';
import { openSqliteStore } from './sqlite.store.js';
import { SqliteDb } from './sqlite.db.js';
import { SqliteGenerationRepo } from './sqlite.generations.js';
import { admitOutcome, type Store } from '../store.js';
import { NO_CAP, newClient, newGen } from '../testing/store.fixtures.js';

describe('SQLite group commit of admissions', () => {
  let dir: string;
  let path: string;
  let db: SqliteDb;
  let repo: SqliteGenerationRepo;
  /** Another connection to the same file, as any other process would see it. */
  let witness: Store;
  let clientId: string;
  let transactions = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-group-commit-'));
    path = join(dir, 'umbra.db');
    witness = openSqliteStore(path);
    await witness.migrate();
    db = SqliteDb.open(path);
    const tx = db.tx.bind(db);
    db.tx = <T>(fn: () => T): T => {
      transactions++;
      return tx(fn);
    };
    repo = new SqliteGenerationRepo(db);
    clientId = (await newClient(witness)).id;
  });
  after(async () => {
    await witness.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const stored = async (id: string): Promise<boolean> => (await witness.generations.get(id)) !== null;

  it('admissions of one turn share one transaction, and each is in the database when it settles', async () => {
    transactions = 0;
    const gens = Array.from({ length: 20 }, () => newGen(clientId));
    const seenAtSettle = await Promise.all(
      gens.map(async (g) => {
        assert.equal(admitOutcome(await repo.admit(g, NO_CAP)), 'admitted');
        return stored(g.id);
      }),
    );
    assert.deepEqual(seenAtSettle, Array<boolean>(20).fill(true), 'another connection saw every row at once');
    assert.equal(transactions, 1);
    // A lone admission in a later turn has a transaction of its own.
    assert.equal(admitOutcome(await repo.admit(newGen(clientId), NO_CAP)), 'admitted');
    assert.equal(transactions, 2);
  });

  it('limits see the admissions before them in the same transaction', async () => {
    const c = await newClient(witness, { balanceMicros: 250 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => repo.admit(newGen(c.id, { priceMicros: 100 }), NO_CAP)),
    );
    assert.deepEqual(results.map(admitOutcome), [
      'admitted',
      'admitted',
      'insufficient_balance',
      'insufficient_balance',
      'insufficient_balance',
    ]);
    assert.equal((await witness.clients.getClient(c.id))?.balanceMicros, 50);
  });

  it("keeps the savepoints' statement journal in memory, not in a temporary file per page", () => {
    // 2 = MEMORY. The file default cost a pwrite per changed page of every admission (issue 15).
    assert.equal(db.raw.pragma('temp_store', { simple: true }), 2);
  });

  it('one admission that throws is undone alone; the others commit', async () => {
    const good = [newGen(clientId), newGen(clientId)];
    // An unknown client breaks the foreign key after this admission's balance read.
    const bad = newGen('no-such-client');
    const results = await Promise.allSettled([
      repo.admit(good[0]!, NO_CAP),
      repo.admit(bad, NO_CAP),
      repo.admit(good[1]!, NO_CAP),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(await stored(good[0]!.id), true);
    assert.equal(await stored(good[1]!.id), true);
    assert.equal(await stored(bad.id), false);
  });

  it('a transaction that cannot begin fails every admission of the group, and writes none', async () => {
    // Another process holds the write lock past the wait: `database unavailable` for all of them.
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const gens = [newGen(clientId), newGen(clientId), newGen(clientId)];
      const results = await Promise.allSettled(gens.map((g) => repo.admit(g, NO_CAP)));
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok(r.reason instanceof DependencyUnavailable, String(r.reason));
      }
      holder.exec('ROLLBACK');
      for (const g of gens) assert.equal(await stored(g.id), false);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    // The next group goes through.
    assert.equal(admitOutcome(await repo.admit(newGen(clientId), NO_CAP)), 'admitted');
  });
});
