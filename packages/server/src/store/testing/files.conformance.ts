// The FileRepo part of the one Store conformance suite (store.conformance.ts registers it), so SQLite and
// PostgreSQL keep the same file semantics: owner scoping, keyset paging, ingest claims, the janitor.
// node:test's describe/it return promises the runner awaits itself (as eslint.config.js allows in *.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FileRecord, NewFile, Store } from '../store.js';
import { T0, newClient } from './store.fixtures.js';

const LEASE = 60_000;
const MAX = 3;

const newFile = (clientId: string, over: Partial<NewFile> = {}): NewFile => {
  const id = randomUUID();
  return {
    id,
    clientId,
    createdAt: T0,
    mimeType: 'video/mp4',
    purpose: 'input',
    declaredSize: 1000,
    filename: 'clip.mp4',
    userId: 'u-1',
    expiresAt: null,
    uploadMode: 'presigned',
    stagingKey: `files/${id}/staging`,
    completedAt: null,
    ...over,
  };
};

/** Claims and fails every claimable file left by earlier tests, so a claim test sees only its own. */
async function drain(store: Store): Promise<void> {
  for (;;) {
    const f = await store.files.claimIngest('drain', Number.MAX_SAFE_INTEGER - LEASE, LEASE, 1_000_000);
    if (f === null) return;
    await store.files.finishIngest(f.id, 'drain', { state: 'failed', storedSize: null, reason: 'x' }, T0);
  }
}

export function describeFileConformance(store: () => Store, openMore: () => Promise<Store>): void {
  describe('files', () => {
    it('creates a pending file, reads it back only for its own client', async () => {
      const c = await newClient(store());
      const other = await newClient(store());
      const nf = newFile(c.id, { expiresAt: T0 + 5000, purpose: 'reference', mimeType: 'image/png' });
      const f = await store().files.create(nf);
      const expected: FileRecord = {
        ...nf,
        updatedAt: T0,
        storedSize: null,
        state: 'pending',
        deletedAt: null,
        failureReason: null,
        blobKey: null,
        ingestAttempts: 0,
        ingestOwner: null,
        ingestLeaseExpiresAt: null,
        purgedAt: null,
      };
      assert.deepEqual(f, expected);
      assert.deepEqual(await store().files.get(c.id, f.id), expected);
      assert.equal(await store().files.get(other.id, f.id), null, 'a foreign file is not found');
      assert.equal(await store().files.get(c.id, randomUUID()), null);
    });

    it('lists newest first with keyset pages, and filters by purpose and by the state files answer with', async () => {
      const c = await newClient(store());
      const ids: string[] = [];
      // Two files share a created_at: the id breaks the tie, so paging never skips or repeats one.
      for (const [i, at] of [0, 1, 1, 2, 3].entries()) {
        const f = await store().files.create(
          newFile(c.id, { createdAt: T0 + at, purpose: i % 2 === 0 ? 'input' : 'reference' }),
        );
        ids.push(f.id);
      }
      const page = { limit: 2, purpose: null, state: null, after: null, now: T0 } as const;
      const all = await store().files.list(c.id, { ...page, limit: 100 });
      assert.equal(all.length, 5);
      const order = all.map((f) => f.createdAt);
      assert.deepEqual(order, [T0 + 3, T0 + 2, T0 + 1, T0 + 1, T0]);
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | null = null;
      for (;;) {
        const got: FileRecord[] = await store().files.list(c.id, { ...page, after });
        seen.push(...got.map((f) => f.id));
        const last = got.at(-1);
        if (got.length < 2 || last === undefined) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
      assert.deepEqual(
        seen,
        all.map((f) => f.id),
      );
      const refs = await store().files.list(c.id, { ...page, limit: 100, purpose: 'reference' });
      assert.deepEqual(
        refs.map((f) => f.purpose),
        ['reference', 'reference'],
      );
      assert.deepEqual(await store().files.list((await newClient(store())).id, page), []);

      // An expired file answers `deleted` before the janitor ever ran.
      const exp = await store().files.create(newFile(c.id, { createdAt: T0 + 9, expiresAt: T0 + 100 }));
      const pending = (now: number) =>
        store().files.list(c.id, { ...page, limit: 100, state: 'pending', now });
      const deleted = (now: number) =>
        store().files.list(c.id, { ...page, limit: 100, state: 'deleted', now });
      assert.ok((await pending(T0 + 99)).some((f) => f.id === exp.id));
      assert.ok(!(await pending(T0 + 100)).some((f) => f.id === exp.id));
      assert.deepEqual(
        (await deleted(T0 + 100)).map((f) => f.id),
        [exp.id],
      );
      assert.deepEqual(await deleted(T0 + 99), []);
    });

    it('marks a presigned upload complete once; never an inline one or another client’s', async () => {
      const c = await newClient(store());
      const other = await newClient(store());
      const f = await store().files.create(newFile(c.id));
      assert.equal(await store().files.markCompleted(other.id, f.id, T0 + 1), false);
      assert.equal(await store().files.markCompleted(c.id, f.id, T0 + 1), true);
      assert.equal(await store().files.markCompleted(c.id, f.id, T0 + 2), false);
      assert.equal((await store().files.get(c.id, f.id))?.completedAt, T0 + 1);
      const inline = await store().files.create(newFile(c.id, { uploadMode: 'inline', completedAt: T0 }));
      assert.equal(await store().files.markCompleted(c.id, inline.id, T0 + 1), false);
    });

    it('claims completed pending files for ingest, oldest completion first, and finishes them for the holder only', async () => {
      await drain(store());
      const c = await newClient(store());
      const notYet = await store().files.create(newFile(c.id));
      const late = await store().files.create(newFile(c.id, { uploadMode: 'inline', completedAt: T0 + 20 }));
      const early = await store().files.create(newFile(c.id, { uploadMode: 'inline', completedAt: T0 + 10 }));
      const a = await store().files.claimIngest('a', T0 + 30, LEASE, MAX);
      assert.equal(a?.id, early.id);
      assert.equal(a.ingestOwner, 'a');
      assert.equal(a.ingestAttempts, 1);
      assert.equal(a.ingestLeaseExpiresAt, T0 + 30 + LEASE);
      assert.equal((await store().files.claimIngest('b', T0 + 31, LEASE, MAX))?.id, late.id);
      assert.equal(
        await store().files.claimIngest('c', T0 + 32, LEASE, MAX),
        null,
        'not completed: not claimable',
      );

      const ready = { state: 'ready', storedSize: 999, blobKey: `files/${early.id}/file.mp4` } as const;
      assert.equal(await store().files.finishIngest(early.id, 'b', ready, T0 + 40), false, 'not the holder');
      assert.equal(await store().files.finishIngest(early.id, 'a', ready, T0 + 40), true);
      assert.equal(
        await store().files.finishIngest(early.id, 'a', ready, T0 + 41),
        false,
        'no longer pending',
      );
      const done = await store().files.get(c.id, early.id);
      assert.equal(done?.state, 'ready');
      assert.equal(done.storedSize, 999);
      assert.equal(done.blobKey, ready.blobKey);
      assert.equal(done.ingestOwner, null);

      const failed = { state: 'failed', storedSize: 12, reason: 'size mismatch: …' } as const;
      assert.equal(await store().files.finishIngest(late.id, 'b', failed, T0 + 42), true);
      const bad = await store().files.get(c.id, late.id);
      assert.deepEqual(
        [bad?.state, bad?.failureReason, bad?.storedSize, bad?.blobKey],
        ['failed', failed.reason, 12, null],
      );
      assert.equal((await store().files.get(c.id, notYet.id))?.state, 'pending');
    });

    it('lets a lapsed ingest lease be claimed again, up to maxAttempts, and never gives one file to two claimers', async () => {
      await drain(store());
      const c = await newClient(store());
      const f = await store().files.create(newFile(c.id, { uploadMode: 'inline', completedAt: T0 }));
      assert.equal((await store().files.claimIngest('a', T0, LEASE, 2))?.id, f.id);
      assert.equal(await store().files.claimIngest('b', T0 + LEASE, LEASE, 2), null, 'lease still held');
      const again = await store().files.claimIngest('b', T0 + LEASE + 1, LEASE, 2);
      assert.deepEqual([again?.id, again?.ingestOwner, again?.ingestAttempts], [f.id, 'b', 2]);
      const stale = { state: 'ready', storedSize: 1, blobKey: 'k' } as const;
      assert.equal(
        await store().files.finishIngest(f.id, 'a', stale, T0 + LEASE + 2),
        false,
        'the crashed holder is fenced',
      );
      assert.equal(await store().files.claimIngest('c', T0 + 3 * LEASE, LEASE, 2), null, 'attempts spent');

      await drain(store());
      const many = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store().files.create(newFile(c.id, { uploadMode: 'inline', completedAt: T0 + i })),
        ),
      );
      const others = [store(), await openMore(), await openMore()];
      const got = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          others[i % 3]!.files.claimIngest(`w${i}`, T0 + 10 * LEASE, LEASE, MAX),
        ),
      );
      const ids = got.filter((g) => g !== null).map((g) => g.id);
      assert.equal(new Set(ids).size, ids.length, 'no file claimed twice');
      assert.deepEqual(new Set(ids), new Set(many.map((m) => m.id)));
    });

    it('soft-deletes once (the first deletion time stays), and a delete fences a running ingest', async () => {
      await drain(store());
      const c = await newClient(store());
      const other = await newClient(store());
      const f = await store().files.create(newFile(c.id, { uploadMode: 'inline', completedAt: T0 }));
      assert.equal((await store().files.claimIngest('a', T0, LEASE, MAX))?.id, f.id);
      assert.equal(await store().files.softDelete(other.id, f.id, T0 + 1), null);
      const d = await store().files.softDelete(c.id, f.id, T0 + 5);
      assert.deepEqual([d?.state, d?.deletedAt], ['deleted', T0 + 5]);
      assert.equal((await store().files.softDelete(c.id, f.id, T0 + 9))?.deletedAt, T0 + 5);
      const ready = { state: 'ready', storedSize: 1, blobKey: 'k' } as const;
      assert.equal(await store().files.finishIngest(f.id, 'a', ready, T0 + 10), false);
      assert.equal((await store().files.get(c.id, f.id))?.state, 'deleted');
    });

    it('janitor: expires, abandons never-completed uploads, fails spent ingests, then lists the bytes to purge', async () => {
      await drain(store());
      // Far in the future, so earlier tests' files do not take part.
      const T = T0 + 1e12;
      const c = await newClient(store());
      const expiring = await store().files.create(newFile(c.id, { createdAt: T, expiresAt: T + 100 }));
      const abandoned = await store().files.create(newFile(c.id, { createdAt: T }));
      const fresh = await store().files.create(newFile(c.id, { createdAt: T + 50 }));
      const spent = await store().files.create(
        newFile(c.id, { createdAt: T, uploadMode: 'inline', completedAt: T }),
      );
      assert.equal((await store().files.claimIngest('a', T, 10, 1))?.id, spent.id);

      // The janitor works on the whole table, so leftovers of earlier tests may be counted too.
      const s = await store().files.settle(T + 100, T + 10, 1);
      assert.ok(s.expired >= 1 && s.abandoned >= 1 && s.exhausted >= 1, JSON.stringify(s));
      const e = await store().files.get(c.id, expiring.id);
      assert.deepEqual([e?.state, e?.deletedAt], ['deleted', T + 100]);
      const a = await store().files.get(c.id, abandoned.id);
      assert.equal(a?.state, 'failed');
      assert.match(a.failureReason ?? '', /^upload not completed/);
      assert.equal((await store().files.get(c.id, fresh.id))?.state, 'pending');
      const x = await store().files.get(c.id, spent.id);
      assert.equal(x?.state, 'failed');
      assert.match(x.failureReason ?? '', /^ingest failed/);
      assert.deepEqual(await store().files.settle(T + 100, T + 10, 1), {
        expired: 0,
        abandoned: 0,
        exhausted: 0,
      });

      const mine = new Set([expiring.id, abandoned.id, spent.id]);
      const purgeable = async (before: number): Promise<string[]> =>
        (await store().files.listPurgeable(before, 1000)).map((f) => f.id).filter((id) => mine.has(id));
      assert.deepEqual(await purgeable(T + 100), [], 'not before the grace time');
      assert.deepEqual(new Set(await purgeable(T + 101)), mine);
      await store().files.markPurged(expiring.id, T + 200);
      assert.equal((await store().files.get(c.id, expiring.id))?.purgedAt, T + 200);
      assert.equal((await purgeable(T + 101)).length, 2);
    });
  });
}
