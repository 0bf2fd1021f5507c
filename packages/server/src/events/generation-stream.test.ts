// The stream loop against a hand-written store: what it sends, when, and that it always lets go of the
// store's watch (terminal event, client gone, server stopping).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobStore } from '../blobs/blob-store.js';
import type { GenerationEvent, GenerationEventKind, GenerationRow, Store } from '../store/store.js';
import type { GenerationStreamSettings } from './generation-stream.js';
import { hasMoreEvents, streamGeneration } from './generation-stream.js';
import type { SseConnection } from './sse-response.js';

const ID = '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11';

const baseRow = (over: Partial<GenerationRow> = {}): GenerationRow =>
  ({
    id: ID,
    clientId: 'c1',
    type: 'image',
    model: 'uni-1',
    state: 'queued',
    createdAt: Date.UTC(2026, 3, 8, 12),
    progress: 0,
    outputs: [],
    failureCode: null,
    failureReason: null,
    ...over,
  }) as GenerationRow;

/** The parts of a Store the stream uses, in memory; `append` changes the row and logs its event. */
class FakeStore {
  events: GenerationEvent[] = [];
  watchers = new Set<(seq: number) => void>();
  row = baseRow();
  position: number | null = 1;
  private seq = 0;

  append(kind: GenerationEventKind, progress: number, opts: { silent?: boolean } = {}): void {
    this.seq += 1;
    if (kind !== 'progress') this.row = { ...this.row, state: kind };
    if (kind === 'completed') {
      this.row.outputs = [{ type: 'image', key: 'out/1.png', contentType: 'image/png' }];
    }
    this.row.progress = progress;
    this.events.push({
      seq: this.seq,
      generationId: ID,
      clientId: 'c1',
      kind,
      progress,
      at: 1000 * this.seq,
    });
    if (!opts.silent) for (const w of [...this.watchers]) w(this.seq);
  }

  get store(): Store {
    return {
      events: {
        ofGeneration: (_id: string, after: number, limit: number) => {
          return Promise.resolve(this.events.filter((e) => e.seq > after).slice(0, limit));
        },
        watch: (fn: (seq: number) => void) => {
          this.watchers.add(fn);
          return () => this.watchers.delete(fn);
        },
      },
      generations: {
        get: () => Promise.resolve({ ...this.row }),
        queuePosition: () => Promise.resolve(this.row.state === 'queued' ? this.position : null),
      },
    } as unknown as Store;
  }
}

const blobs = {
  signedUrl: (key: string) => Promise.resolve(`https://blobs.test/${key}`),
} as unknown as BlobStore;
const SETTINGS: GenerationStreamSettings = { keepAliveMs: 10_000, retryMs: 1000, queueCheckMs: 0 };

/** A connection that records frames; `leave()` is the client going away. */
const connection = () => {
  const ctl = new AbortController();
  const frames: string[] = [];
  const conn: SseConnection = {
    closed: ctl.signal,
    write: (f) => {
      if (ctl.signal.aborted) return Promise.resolve(false);
      frames.push(f);
      return Promise.resolve(true);
    },
    end: () => ctl.abort(),
  };
  return { conn, frames, leave: () => ctl.abort() };
};

const run = (
  fake: FakeStore,
  conn: SseConnection,
  o: { after?: number; settings?: Partial<GenerationStreamSettings>; stop?: AbortSignal } = {},
): Promise<void> =>
  streamGeneration(
    { store: fake.store, blobs, urlTtlMs: 3_600_000, now: () => Date.UTC(2026, 3, 8, 13) },
    { ...SETTINGS, ...o.settings },
    fake.row,
    o.after ?? 0,
    conn,
    o.stop ?? new AbortController().signal,
  );

/** The events (id and name) among the frames. */
const names = (frames: string[]): string[] =>
  frames.flatMap((f) => {
    const id = /^id: (\d+)$/m.exec(f)?.[1];
    const event = /^event: (.+)$/m.exec(f)?.[1];
    return event === undefined ? [] : [id === undefined ? event : `${id} ${event}`];
  });

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(5);
  assert.ok(cond(), 'timed out waiting');
};

describe('generation stream', () => {
  it('replays the log after the cursor, the terminal event with the final row, then ends and unwatches', async () => {
    const fake = new FakeStore();
    fake.append('queued', 0);
    fake.append('processing', 0);
    fake.append('progress', 0.5);
    fake.append('completed', 1);
    const { conn, frames } = connection();
    await run(fake, conn, { after: 1 });
    assert.equal(frames[0], 'retry: 1000\n\n');
    assert.deepEqual(names(frames), [
      '2 generation.processing',
      '3 generation.progress',
      '4 generation.completed',
    ]);
    const last = JSON.parse(/^data: (.*)$/m.exec(frames.at(-1) ?? '')?.[1] ?? '') as Record<string, unknown>;
    assert.deepEqual(last, {
      type: 'generation.completed',
      timestamp: '1970-01-01T00:00:04.000Z',
      progress: 1,
      data: {
        id: ID,
        type: 'image',
        state: 'completed',
        model: 'uni-1',
        created_at: '2026-04-08T12:00:00Z',
        output: [{ type: 'image', url: 'https://blobs.test/out/1.png' }],
        failure_reason: null,
        failure_code: null,
      },
    });
    // An earlier event shows the state it announced, without the outputs that came later.
    const progress = JSON.parse(/^data: (.*)$/m.exec(frames[2] ?? '')?.[1] ?? '') as {
      data: { state: string; output: unknown[] };
      progress: number;
    };
    assert.equal(progress.data.state, 'processing');
    assert.deepEqual(progress.data.output, []);
    assert.equal(progress.progress, 0.5);
    assert.equal(fake.watchers.size, 0);
  });

  it('follows new events as the watch announces them, with the queue position while queued', async () => {
    const fake = new FakeStore();
    fake.position = 3;
    fake.append('queued', 0);
    const { conn, frames } = connection();
    const done = run(fake, conn);
    await until(() => frames.some((f) => f.includes('queue_position')));
    assert.match(frames.at(-1) ?? '', /"queue_position":3/);
    // Another job was claimed: the log moved, the position with it.
    fake.position = 2;
    for (const w of fake.watchers) w(99);
    await until(() => frames.some((f) => f.includes('"queue_position":2')));
    fake.append('processing', 0);
    fake.append('progress', 0.3);
    fake.append('failed', 0.3);
    await done;
    assert.deepEqual(names(frames), [
      '1 generation.queued',
      'queue_position',
      'queue_position',
      '2 generation.processing',
      '3 generation.progress',
      '4 generation.failed',
    ]);
    assert.equal(fake.watchers.size, 0);
  });

  it('keeps an idle stream alive with comments, and lets go when the client leaves', async () => {
    const fake = new FakeStore();
    fake.row = baseRow({ state: 'processing' });
    fake.append('processing', 0);
    const { conn, frames, leave } = connection();
    const done = run(fake, conn, { settings: { keepAliveMs: 20 } });
    await until(() => frames.filter((f) => f === ': keep-alive\n\n').length >= 3);
    leave();
    await done;
    assert.equal(fake.watchers.size, 0);
  });

  it('ends when the server stops', async () => {
    const fake = new FakeStore();
    fake.append('queued', 0);
    const stop = new AbortController();
    const { conn } = connection();
    const done = run(fake, conn, { stop: stop.signal });
    await until(() => fake.watchers.size === 1);
    stop.abort();
    await done;
    assert.equal(fake.watchers.size, 0);
  });

  it('hasMoreEvents: a generation that ended has nothing after its last event', async () => {
    const fake = new FakeStore();
    fake.append('queued', 0);
    assert.equal(await hasMoreEvents(fake.store, fake.row, 1), true);
    fake.append('completed', 1);
    assert.equal(await hasMoreEvents(fake.store, fake.row, 1), true);
    assert.equal(await hasMoreEvents(fake.store, fake.row, 2), false);
  });
});
