import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerationRequest } from '../../../contract/wire.js';
import { EngineFailure } from '../../engine.js';
import { RenderPool } from './pool.js';

describe('render pool failures', () => {
  it('delivers a failure classified inside a render thread as an EngineFailure with its code', async () => {
    const pool = new RenderPool(1, new URL('./render.worker.js', import.meta.url));
    try {
      const task = {
        kind: 'image_edit' as const,
        request: { type: 'image_edit' } as GenerationRequest,
        sourcePath: null,
        refPaths: [],
        outBase: 'unused',
      };
      const err = await pool
        .run(task, new AbortController().signal, () => undefined)
        .then(
          () => assert.fail('the task should fail'),
          (e: unknown) => e,
        );
      assert.ok(err instanceof EngineFailure);
      assert.equal(err.code, 'invalid_request');
      assert.equal(err.retryable, false);
      assert.equal(err.message, 'image_edit needs a source image');
    } finally {
      await pool.close();
    }
  });
});
