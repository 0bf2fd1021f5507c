import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sseComment, sseEvent, sseRetry } from './sse-frame.js';

describe('server-sent event frames', () => {
  it('an event: id, name and one-line JSON data, then a blank line', () => {
    assert.equal(
      sseEvent({ id: 12, event: 'generation.progress', data: { progress: 0.5, note: 'a\nb' } }),
      'id: 12\nevent: generation.progress\ndata: {"progress":0.5,"note":"a\\nb"}\n\n',
    );
  });

  it('an event without an id leaves the last id as it was', () => {
    assert.equal(sseEvent({ event: 'queue_position', data: 3 }), 'event: queue_position\ndata: 3\n\n');
  });

  it('comments and the retry hint', () => {
    assert.equal(sseComment('keep-alive'), ': keep-alive\n\n');
    assert.equal(sseComment('two\nlines'), ': two lines\n\n');
    assert.equal(sseRetry(1000), 'retry: 1000\n\n');
  });
});
