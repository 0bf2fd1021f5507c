import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProcessLogger, formatRecord, writesJson } from './logger.js';

const T = Date.UTC(2026, 3, 8, 12, 0, 1, 250);

/** A sink that keeps what it is given. */
const capture = (isTTY: boolean): { lines: string[]; write(s: string): void; isTTY: boolean } => {
  const lines: string[] = [];
  return { lines, isTTY, write: (s: string) => void lines.push(s) };
};

describe('logger', () => {
  it('formats a record as one terminal line: time, level, message, then the fields in order', () => {
    const json = JSON.stringify({
      level: 30,
      time: T,
      pid: 7,
      hostname: 'box',
      reqId: 'r-1',
      method: 'POST',
      path: '/v1/generations',
      status: 201,
      gen: 'abc',
      note: 'two words',
      nested: { a: 1 },
      msg: 'request',
    });
    assert.equal(
      formatRecord(json),
      '12:00:01.250 INFO  request reqId=r-1 method=POST path=/v1/generations status=201 gen=abc ' +
        'note="two words" nested={"a":1}\n',
    );
  });

  it('puts an error message on the line and its stack indented below', () => {
    const json = JSON.stringify({
      level: 50,
      time: T,
      msg: 'reaper failed',
      err: {
        type: 'Error',
        message: 'connection refused',
        stack: 'Error: connection refused\n    at a (x.js:1:1)',
      },
    });
    assert.equal(
      formatRecord(json),
      '12:00:01.250 ERROR reaper failed err="connection refused"\n    at a (x.js:1:1)\n',
    );
  });

  it('passes a line that is not JSON through unchanged', () => {
    assert.equal(formatRecord('plain text'), 'plain text\n');
  });

  it('writes JSON when asked, or by default when the output is not a terminal', () => {
    assert.equal(writesJson('json', { write: () => undefined, isTTY: true }), true);
    assert.equal(writesJson('pretty', { write: () => undefined, isTTY: false }), false);
    assert.equal(writesJson('auto', { write: () => undefined, isTTY: false }), true);
    assert.equal(writesJson('auto', { write: () => undefined, isTTY: true }), false);
    assert.equal(writesJson('auto', { write: () => undefined }), true);
  });

  it('makes a pino logger that writes one JSON object per line off a terminal', () => {
    const sink = capture(false);
    createProcessLogger({ logLevel: 'info', logFormat: 'auto' }, sink).info({ gen: 'g1' }, 'completed');
    assert.equal(sink.lines.length, 1);
    const r = JSON.parse(sink.lines[0]!) as Record<string, unknown>;
    assert.deepEqual([r.level, r.msg, r.gen], [30, 'completed', 'g1']);
    assert.equal(typeof r.time, 'number');
  });

  it('makes a pino logger that writes readable lines on a terminal, honouring the level', () => {
    const sink = capture(true);
    const log = createProcessLogger({ logLevel: 'info', logFormat: 'auto' }, sink);
    log.debug({ gen: 'g0' }, 'hidden');
    log.warn({ gen: 'g1', attempt: 2 }, 'retrying');
    assert.equal(sink.lines.length, 1);
    assert.match(sink.lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} WARN {2}retrying gen=g1 attempt=2\n$/);
  });
});
