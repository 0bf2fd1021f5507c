import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readiness } from './readiness.js';

const never = (): Promise<void> => new Promise<void>(() => undefined);

describe('readiness', () => {
  it('is ok with every part ok, listing the parts in the order given', async () => {
    const r = new Readiness([
      { part: 'database', check: () => Promise.resolve() },
      { part: 'blobs', check: () => Promise.resolve() },
    ]);
    assert.deepEqual(await r.check(), { ok: true, checks: { database: 'ok', blobs: 'ok' }, detail: '' });
  });

  it('names each failing part with its cause, a synchronous throw included', async () => {
    const r = new Readiness([
      { part: 'database', check: () => Promise.reject(new Error('connect ECONNREFUSED\nmore')) },
      { part: 'blobs', check: () => Promise.resolve() },
      {
        part: 'ffmpeg',
        check: () => {
          throw new Error('ffmpeg not found');
        },
      },
    ]);
    const report = await r.check();
    assert.equal(report.ok, false);
    assert.equal(
      report.detail,
      'database unavailable: connect ECONNREFUSED; ffmpeg unavailable: ffmpeg not found',
    );
    assert.deepEqual(report.checks, {
      database: 'connect ECONNREFUSED',
      blobs: 'ok',
      ffmpeg: 'ffmpeg not found',
    });
  });

  it('answers within its deadline when a part hangs, and never runs one probe twice at once', async () => {
    let started = 0;
    const r = new Readiness(
      [
        {
          part: 'database',
          check: () => {
            started++;
            return never();
          },
        },
      ],
      50,
    );
    const t0 = Date.now();
    const [a, b] = await Promise.all([r.check(), r.check()]);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(a.detail, 'database unavailable: no answer within 50 ms');
    assert.deepEqual(b, a);
    assert.equal((await r.check()).ok, false);
    assert.equal(started, 1, 'the hanging probe is waited on again, not started again');
  });

  it('starts a fresh probe once the last one has settled', async () => {
    let calls = 0;
    const r = new Readiness([
      {
        part: 'blobs',
        check: () => (++calls === 1 ? Promise.reject(new Error('bucket gone')) : Promise.resolve()),
      },
    ]);
    assert.equal((await r.check()).ok, false);
    assert.equal((await r.check()).ok, true);
    assert.equal(calls, 2);
  });
});
