// The blob store fails for five seconds while jobs render and requests arrive (issue 12, "what it must
// show" 0): a disk that is full (a small tmpfs mounted over the blob directory, filled up and emptied
// again) and a bucket whose S3 server stops answering. The process stays up (this runs in the test
// runner's process, where a rejection nobody handled fails the test); a request that must write a blob
// answers 503 `blobs unavailable` within two seconds while the rest of the API answers; /readyz names the
// blob store; the jobs whose outputs could not be stored complete, in one attempt, once it is back.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config.js';
import { png } from '../inputs/testing/image-fixtures.js';
import { silentLogger } from '../log.js';
import type { RunningUmbra } from '../main.js';
import { startUmbra } from '../main.js';
import { OWNER_KEY } from '../testing/harness.js';
import type { TimedAnswer } from '../testing/timed-call.js';
import { timedCaller } from '../testing/timed-call.js';
import { startTestBucket } from '../testing/s3rver.js';

const run = promisify(execFile);
const JOBS = 4;
const SOURCE = { data: png(64, 48, { noisy: true }).toString('base64'), media_type: 'image/png' };

/** Runs `outage` for 5 s against a running server: the blob store fails meanwhile, and comes back. */
async function rideOut(
  umbra: RunningUmbra,
  fail: () => Promise<void>,
  restore: () => Promise<void>,
): Promise<string> {
  const origin = (umbra.apiUrl ?? '').replace(/\/v1$/, '');
  const call = timedCaller(origin, OWNER_KEY);
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const r = await call('POST', '/v1/generations', { prompt: `a lighthouse ${i}`, aspect_ratio: '1:1' });
    assert.equal(r.status, 201);
    ids.push(r.body.id ?? '');
  }
  while ((await umbra.store.generations.get(ids[0] ?? ''))?.state !== 'processing') await sleep(20);

  await fail();
  const ends = Date.now() + 5000;
  const writes: TimedAnswer[] = [];
  const reads: TimedAnswer[] = [];
  while (Date.now() < ends) {
    // An edit's source is stored at admission: that needs the blob store.
    writes.push(
      await call('POST', '/v1/generations', { type: 'image_edit', prompt: 'winter', source: SOURCE }),
    );
    reads.push(await call('GET', `/v1/generations/${ids[1] ?? ''}`));
    await sleep(250);
  }
  const ready = await fetch(`${origin}/readyz`);
  const readyDetail = ((await ready.json()) as { detail?: string }).detail ?? '';
  await restore();
  const restored = Date.now();

  assert.ok(writes.length >= 8);
  for (const w of writes) {
    assert.equal(w.status, 503, JSON.stringify(w.body));
    assert.deepEqual(w.body, { detail: 'blobs unavailable' });
    assert.ok(w.ms < 2500, `answered in ${w.ms} ms`);
  }
  for (const r of reads) assert.equal(r.status, 200, 'what needs no blob write still answers');
  assert.equal(ready.status, 503);
  assert.match(readyDetail, /^blobs unavailable/);

  const deadline = Date.now() + 60_000;
  for (const id of ids) {
    let row = await umbra.store.generations.get(id);
    while (row !== null && row.state !== 'completed' && row.state !== 'failed' && Date.now() < deadline) {
      await sleep(100);
      row = await umbra.store.generations.get(id);
    }
    assert.equal(row?.state, 'completed', `${id}: ${row?.failureReason ?? ''}`);
    assert.equal(row?.attempts, 1, `${id} rendered once`);
    // Its output is really there.
    const got = await call('GET', `/v1/generations/${id}`);
    const url = got.body.output?.[0]?.url ?? '';
    const image = await fetch(url);
    assert.equal(image.status, 200);
    assert.ok((await image.arrayBuffer()).byteLength > 1000);
  }
  const again = await call('POST', '/v1/generations', {
    type: 'image_edit',
    prompt: 'winter',
    source: SOURCE,
  });
  assert.equal(again.status, 201, 'writes are taken again');
  const slowest = Math.max(...writes.map((w) => w.ms));
  return `${writes.length} writes during the outage, all 503, the slowest in ${slowest} ms; ${JOBS} jobs completed ${Date.now() - restored} ms after it ended`;
}

const env = {
  UMBRA_API_KEY: OWNER_KEY,
  UMBRA_LOG_LEVEL: 'silent',
  UMBRA_POLL_MS: '50',
  UMBRA_EMULATOR: '1',
  UMBRA_EMULATE_LATENCY_MS: '800',
  UMBRA_CONCURRENCY: '2',
};

describe('blob store outages while jobs render', () => {
  it('a full disk: 503 blobs unavailable meanwhile; every job completes in one attempt after', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-disk-outage-'));
    const blobs = join(dataDir, 'blobs');
    await mkdir(blobs);
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', blobs]);
    } catch (err) {
      await rm(dataDir, { recursive: true, force: true });
      // Under CI the machine allows it (root); a local run without the right skips with the reason.
      if (process.env.CI) throw err;
      t.skip(`cannot mount a tmpfs to fill up: ${String(err)}`);
      return;
    }
    const umbra = await startUmbra(loadConfig({ port: 0, host: '127.0.0.1', dataDir }, env), silentLogger);
    const filler = join(blobs, 'filler');
    try {
      t.diagnostic(
        await rideOut(
          umbra,
          // dd stops with "No space left on device": the disk is full.
          () =>
            run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M']).then(
              () => assert.fail('the tmpfs did not fill'),
              () => undefined,
            ),
          () => rm(filler, { force: true }),
        ),
      );
    } finally {
      await umbra.stop(200);
      await run('umount', [blobs]).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('the S3 server stopped: 503 blobs unavailable meanwhile; every job completes in one attempt after', async (t) => {
    const bucket = await startTestBucket();
    const dataDir = await mkdtemp(join(tmpdir(), 'umbra-s3-outage-'));
    const umbra = await startUmbra(
      loadConfig({ port: 0, host: '127.0.0.1', dataDir }, { ...env, ...bucket.env }),
      silentLogger,
    );
    try {
      t.diagnostic(
        await rideOut(
          umbra,
          () => bucket.down(),
          () => bucket.up(),
        ),
      );
    } finally {
      await umbra.stop(200);
      await bucket.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
