// generations.events (Umbra's live event stream) and wait on it: parsing, reconnection with
// Last-Event-ID, the end of a stream, and the fall back to polling where a server has no stream.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Umbra } from './client.js';
import {
  APIConnectionError,
  APIUserAbortError,
  EventStreamUnavailableError,
  GenerationFailedError,
  NotFoundError,
} from './errors.js';
import type { WaitProgress } from './generations.js';
import { SseParser } from './sse.js';
import type { GenerationStreamMessage } from './stream-types.js';
import type { Received, ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const ID = '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11';
const done = generation('completed', { output: [{ type: 'image', url: 'http://127.0.0.1:1/x.png' }] });

/** One event frame as the server writes it. */
const frame = (seq: number, kind: string, progress: number, data: object): string =>
  `id: ${seq}\nevent: generation.${kind}\ndata: ${JSON.stringify({
    type: `generation.${kind}`,
    timestamp: '2026-04-08T12:00:01.000Z',
    progress,
    data,
  })}\n\n`;
const queueFrame = (n: number): string =>
  `event: queue_position\ndata: ${JSON.stringify({ type: 'queue_position', timestamp: 't', queue_position: n })}\n\n`;

const EVENTS = [
  frame(1, 'queued', 0, generation('queued')),
  queueFrame(2),
  frame(5, 'processing', 0, generation('processing')),
  frame(7, 'progress', 0.5, generation('processing')),
  frame(9, 'completed', 1, done),
];

/** A step that opens an event stream, writes `chunks` and then ends it (or leaves it open / drops it). */
const stream =
  (chunks: string[], then: 'end' | 'open' | 'drop' = 'end') =>
  (_req: Received, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 10\n\n');
    for (const c of chunks) res.write(c);
    if (then === 'end') res.end();
    if (then === 'drop') setTimeout(() => res.socket?.destroy(), 20);
  };

const collect = async (it: AsyncIterable<GenerationStreamMessage>): Promise<string[]> => {
  const seen: string[] = [];
  for await (const m of it) seen.push(m.type === 'queue_position' ? `queue ${m.queue_position}` : m.type);
  return seen;
};

describe('server-sent events parser', () => {
  it('frames, multi-line data, comments, ids, retry; any line ending; chunks cut anywhere', () => {
    const text =
      ': hello\r\nretry: 1500\r\n\r\nid: 3\nevent: a\ndata: x\ndata: y\n\ndata: plain\r\rid: 4\n\n';
    for (const cut of [1, 2, 3, 7, text.length]) {
      const p = new SseParser();
      const frames = [];
      for (let i = 0; i < text.length; i += cut) frames.push(...p.push(text.slice(i, i + cut)));
      assert.deepEqual(
        frames,
        [
          { event: 'a', data: 'x\ny', lastEventId: '3' },
          { event: 'message', data: 'plain', lastEventId: '3' },
        ],
        `cut every ${cut}`,
      );
      assert.equal(p.retry, 1500);
      // An id on a frame without data still counts.
      assert.equal(p.lastEventId, '4');
    }
  });
});

describe('generations.events', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'k', baseURL: srv.baseURL, maxRetries: 2 });
  });
  after(() => srv.close());

  it('yields each event typed, in order, and ends after the terminal one', async () => {
    srv.script(stream(EVENTS, 'open'));
    const seen = await collect(client.generations.events(ID));
    assert.deepEqual(seen, [
      'generation.queued',
      'queue 2',
      'generation.processing',
      'generation.progress',
      'generation.completed',
    ]);
    const req = srv.received[0];
    assert.equal(req?.url, `/v1/generations/${ID}/events`);
    assert.equal(req?.headers.accept, 'text/event-stream');
    assert.equal(req?.headers.authorization, 'Bearer k');
    assert.equal(req?.headers['last-event-id'], undefined);
  });

  it('a dropped connection resumes from the last event id, missing nothing', async () => {
    srv.script(
      stream(EVENTS.slice(0, 3), 'drop'),
      stream(['id: 6\n\n'], 'end'), // a frame with only an id still moves the resume point
      stream(EVENTS.slice(3)),
    );
    const seen = await collect(client.generations.events(ID, { lastEventId: 0 }));
    assert.deepEqual(seen, [
      'generation.queued',
      'queue 2',
      'generation.processing',
      'generation.progress',
      'generation.completed',
    ]);
    assert.deepEqual(
      srv.received.map((r) => r.headers['last-event-id']),
      ['0', '5', '6'],
    );
  });

  it('204 ends it at once (the generation ended before lastEventId)', async () => {
    srv.script({ status: 204 });
    assert.deepEqual(await collect(client.generations.events(ID, { lastEventId: 9 })), []);
  });

  it('gives up after maxRetries reconnections that deliver nothing', async () => {
    srv.script(stream([], 'end'));
    await assert.rejects(
      collect(client.generations.events(ID, { maxRetries: 2 })),
      (e: unknown) => e instanceof APIConnectionError && /server closed it/.test(e.message),
    );
    assert.equal(srv.received.length, 3);
  });

  it('a silent connection is dropped after the timeout and opened again', async () => {
    srv.script(stream([], 'open'), stream(EVENTS));
    const seen = await collect(client.generations.events(ID, { timeout: 100 }));
    assert.equal(seen.at(-1), 'generation.completed');
    assert.equal(srv.received.length, 2);
  });

  it('errors: 404 as get answers it; not an event stream; the caller aborting', async () => {
    srv.script({ status: 404, body: { detail: 'Generation not found' } });
    await assert.rejects(collect(client.generations.events(ID)), NotFoundError);
    srv.script({ status: 200, body: generation('queued') });
    await assert.rejects(collect(client.generations.events(ID)), EventStreamUnavailableError);
    srv.script(stream(EVENTS.slice(0, 1), 'open'));
    const ctl = new AbortController();
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const m of client.generations.events(ID, { signal: ctl.signal })) {
          seen.push(m.type);
          ctl.abort();
        }
      })(),
      APIUserAbortError,
    );
    assert.deepEqual(seen, ['generation.queued']);
  });
});

describe('generations.wait on the event stream', () => {
  let srv: ScriptedServer;
  let client: Umbra;
  before(async () => {
    srv = await startScriptedServer();
    client = new Umbra({ apiKey: 'k', baseURL: srv.baseURL, maxRetries: 1 });
  });
  after(() => srv.close());

  const reports = (): { seen: string[]; onProgress: (g: { state: string }, p: WaitProgress) => void } => {
    const seen: string[] = [];
    return {
      seen,
      onProgress: (g, p) => seen.push(`${g.state} ${p.progress} ${p.queuePosition} ${p.via}`),
    };
  };

  it('follows the stream: progress and queue position reach onProgress, the completed event is returned', async () => {
    srv.script(stream(EVENTS, 'open'));
    const r = reports();
    const g = await client.generations.wait(ID, { onProgress: r.onProgress });
    assert.deepEqual(g, done);
    assert.deepEqual(r.seen, [
      'queued 0 null stream',
      'queued 0 2 stream',
      'processing 0 null stream',
      'processing 0.5 null stream',
      'completed 1 null stream',
    ]);
    assert.equal(srv.received.length, 1);
  });

  it('a failed event throws GenerationFailedError', async () => {
    const failed = generation('failed', { failure_code: 'corrupt_input', failure_reason: 'bad' });
    srv.script(stream([frame(3, 'failed', 0.2, failed)], 'open'));
    const err = await client.generations.wait(ID).catch((e: unknown) => e);
    assert.ok(err instanceof GenerationFailedError);
    assert.equal(err.failureCode, 'corrupt_input');
  });

  it('falls back to polling where there is no stream (404, 405, not an event stream), reading progress headers', async () => {
    for (const missing of [
      { status: 404, body: { detail: 'Not Found' } },
      { status: 405, body: { detail: 'Method Not Allowed' } },
      { status: 200, body: generation('queued') },
    ]) {
      srv.script(
        missing,
        {
          status: 200,
          body: generation('queued'),
          headers: { 'umbra-progress': '0', 'umbra-queue-position': '3' },
        },
        { status: 200, body: generation('processing'), headers: { 'umbra-progress': '0.25' } },
        { status: 200, body: done },
      );
      const r = reports();
      const g = await client.generations.wait(ID, { pollInterval: 1, onProgress: r.onProgress });
      assert.equal(g.state, 'completed');
      assert.deepEqual(r.seen, ['queued 0 3 poll', 'processing 0.25 null poll', 'completed null null poll']);
      assert.equal(srv.received.length, 4);
    }
  });

  it('a stream that ends without its last event (long-ended history) is settled by a poll', async () => {
    srv.script({ status: 204 }, { status: 200, body: done });
    const g = await client.generations.wait(ID, { pollInterval: 1 });
    assert.equal(g.state, 'completed');
  });

  it('stream: false polls from the start', async () => {
    srv.script({ status: 200, body: done });
    await client.generations.wait(ID, { stream: false });
    assert.deepEqual(
      srv.received.map((r) => r.url),
      [`/v1/generations/${ID}`],
    );
  });
});
