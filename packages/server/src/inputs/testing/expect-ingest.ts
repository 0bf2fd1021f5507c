// Assertion helper shared by ingest tests.
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { IngestError } from '../ingest-error.js';

/** Asserts that `p` rejects with an IngestError of this status, reason and (optionally) cause. */
export async function expectIngest(
  p: Promise<unknown>,
  want: { status: number; reason: string; cause?: string },
): Promise<IngestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected IngestError, got ${String(e)}`);
    assert.deepEqual(
      { status: e.status, reason: e.reason, ...(want.cause === undefined ? {} : { cause: e.cause }) },
      want,
      e.message,
    );
    return e;
  }
  assert.fail('expected the promise to reject');
}

/** Asserts that nothing (not even a partial download) exists at `path`. */
export async function assertNoFile(path: string): Promise<void> {
  await assert.rejects(access(path), { code: 'ENOENT' });
}
