// The ingest loop and the janitor over a real SQLite store and disk blob store, with a hand-driven clock:
// a crashed ingest is taken over once its lease lapses; expiry settles a file; bytes of deleted files
// are kept through the grace time and then removed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskBlobStore } from '../blobs/disk.blob-store.js';
import { UrlSigner } from '../blobs/url-signer.js';
import { png } from '../inputs/testing/image-fixtures.js';
import { silentLogger } from '../log.js';
import { openStore } from '../store/open-store.js';
import { T0, newClient } from '../store/testing/store.fixtures.js';
import type { FileRecord, NewFile, Store } from '../store/store.js';
import { stagingKey } from './files.deps.js';
import { FILE_INGEST_LEASE_MS, FILE_INGEST_MAX_ATTEMPTS, FileIngester } from './ingester.js';
import { FILE_PURGE_GRACE_MS, FileJanitor } from './janitor.js';

const IMG = png(32, 24, { noisy: true });

describe('files lifecycle (ingest loop, janitor)', () => {
  let dir = '';
  let store: Store;
  let blobs: DiskBlobStore;
  let clientId = '';
  let clock = T0;
  const now = (): number => clock;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-files-lifecycle-'));
    store = await openStore({ sqlitePath: join(dir, 'umbra.db') });
    blobs = new DiskBlobStore(join(dir, 'blobs'), new UrlSigner('s'.repeat(32)), () => 'http://127.0.0.1:1');
    clientId = (await newClient(store)).id;
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const inlineFile = async (over: Partial<NewFile> = {}): Promise<FileRecord> => {
    const id = randomUUID();
    await blobs.putBuffer(stagingKey(id), IMG, 'application/octet-stream');
    return store.files.create({
      id,
      clientId,
      createdAt: clock,
      mimeType: 'image/png',
      purpose: 'input',
      declaredSize: IMG.length,
      filename: null,
      userId: null,
      expiresAt: null,
      uploadMode: 'inline',
      stagingKey: stagingKey(id),
      completedAt: clock,
      ...over,
    });
  };
  const settled = async (id: string): Promise<FileRecord> => {
    for (let i = 0; i < 500; i++) {
      const f = await store.files.get(clientId, id);
      if (f !== null && f.state !== 'pending') return f;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`file ${id} never settled`);
  };

  it('takes over a file whose ingester crashed, once the lease lapsed, and keeps the verified copy', async () => {
    const f = await inlineFile();
    // A process claimed it and died mid-ingest.
    assert.equal((await store.files.claimIngest('dead', clock, FILE_INGEST_LEASE_MS, 3))?.id, f.id);
    const ingester = new FileIngester(
      {
        store,
        blobs,
        log: silentLogger,
        now,
        verify: { tmpDir: join(dir, 'tmp'), ffmpeg: null, ffprobe: null },
      },
      10,
    );
    ingester.start();
    try {
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await store.files.get(clientId, f.id))?.state, 'pending', 'the lease still holds');
      clock += FILE_INGEST_LEASE_MS + 1;
      ingester.wake();
      const done = await settled(f.id);
      assert.deepEqual([done.state, done.storedSize, done.ingestAttempts], ['ready', IMG.length, 2]);
      assert.equal(done.blobKey, `files/${f.id}/a2.png`, 'the second attempt wrote under its own key');
      assert.equal((await blobs.stat(done.blobKey))?.size, IMG.length);
      assert.equal((await blobs.stat(done.blobKey))?.contentType, 'image/png');
      assert.equal(await blobs.stat(f.stagingKey), null, 'the staged bytes are gone');
    } finally {
      await ingester.stop();
    }
  });

  it('fails a file whose ingest crashed on every attempt', async () => {
    const f = await inlineFile();
    for (let i = 0; i < FILE_INGEST_MAX_ATTEMPTS; i++) {
      assert.ok(await store.files.claimIngest('dead', clock, 10, FILE_INGEST_MAX_ATTEMPTS));
      clock += 11;
    }
    await new FileJanitor(store, blobs, silentLogger, now, 3_600_000).sweep();
    const x = await store.files.get(clientId, f.id);
    assert.equal(x?.state, 'failed');
    assert.match(x.failureReason ?? '', /^ingest failed/);
  });

  it('expires files, and removes the bytes of deleted ones only after the grace time', async () => {
    const janitor = new FileJanitor(store, blobs, silentLogger, now, 3_600_000);
    const expiring = await inlineFile({ expiresAt: clock + 10 });
    const deleted = await inlineFile();
    await store.files.softDelete(clientId, deleted.id, clock);
    clock += 20;
    await janitor.sweep();
    const e = await store.files.get(clientId, expiring.id);
    assert.deepEqual([e?.state, e?.deletedAt], ['deleted', expiring.expiresAt]);
    assert.ok(await blobs.stat(deleted.stagingKey), 'kept while a generation may still read it');

    // Both were deleted by now (the expired one at its expiry, the later of the two).
    clock = (expiring.expiresAt ?? 0) + FILE_PURGE_GRACE_MS + 1;
    await janitor.sweep();
    assert.equal(await blobs.stat(deleted.stagingKey), null);
    assert.equal(await blobs.stat(expiring.stagingKey), null);
    assert.equal((await store.files.get(clientId, deleted.id))?.purgedAt, clock);
  });
});
