// Usage and real charges end to end (issue 12, "what it must show" 5): a metered client runs a batch of
// images, videos, edits of a 6 s and a 17 s source and reframes of both, plus one job that fails, on the
// reference engine. Afterwards the price table of contract §5 (written out here, not taken from the
// pricing code), the usage report and the balance agree to the micro-dollar, and `umbra usage` prints it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { GenerationCreateParams, UsageFigures, UsageReport } from '@umbra/sdk';
import { GenerationFailedError } from '@umbra/sdk';
import { png } from '../inputs/testing/image-fixtures.js';
import { quadClip } from '../inputs/testing/video-fixtures.js';
import { locateBinary } from '../media/ffmpeg/binaries.js';
import { probeSource } from '../media/ffmpeg/source-probe.js';
import type { TestServer } from '../testing/harness.js';
import { startTestServer } from '../testing/harness.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const WAIT = { pollInterval: 50, timeout: 240_000 };
const usd = (dollars: number): number => Math.round(dollars * 1_000_000);
const BALANCE = usd(20);

/** Every control off: the edit still follows its source's length, and renders fast. */
const FAST_EDIT = {
  strength: 'adhere_1',
  controls: {
    depth: { enabled: false },
    face: { enabled: false },
    normals: { enabled: false },
    pose: { enabled: false },
    trajectory: { enabled: false },
  },
} as const;

describe('usage and real charges', () => {
  let s: TestServer;
  let dir = '';
  let key = '';
  /** Source lengths as the worker's ffprobe reads them, seconds. */
  const seconds: Record<'six' | 'seventeen', number> = { six: 0, seventeen: 0 };
  const sources: Record<'six' | 'seventeen', string> = { six: '', seventeen: '' };

  before(async () => {
    s = await startTestServer({ UMBRA_EMULATOR: '1' });
    dir = await mkdtemp(join(tmpdir(), 'umbra-usage-e2e-'));
    for (const [name, secs] of [
      ['six', 6],
      ['seventeen', 17],
    ] as const) {
      const path = join(dir, `${name}.mp4`);
      await quadClip(path, { width: 320, height: 180, seconds: secs, fps: 24 });
      sources[name] = (await readFile(path)).toString('base64');
      seconds[name] = (await probeSource(locateBinary('ffprobe', null).path, path)).duration;
    }
    key = await s.newKey({ client: 'studio', balanceMicros: BALANCE, concurrency: null, rpm: null });
  });
  after(async () => {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const image = png(64, 36).toString('base64');
  const video = (name: 'six' | 'seventeen') => ({ data: sources[name], media_type: 'video/mp4' });

  /** The batch, each with its price from the tables of contract §5.2–§5.3. */
  const batch = (): Array<[string, GenerationCreateParams, number]> => [
    ['uni-1 text → image', { prompt: 'a red kite', user_id: 'ann' }, 0.0404],
    [
      'uni-1-max, one reference',
      {
        prompt: 'a blue kite',
        model: 'uni-1-max',
        image_ref: [{ data: image, media_type: 'image/png' }],
        user_id: 'ann',
      },
      0.103,
    ],
    [
      'uni-1 image edit',
      {
        prompt: 'at dusk',
        type: 'image_edit',
        source: { data: image, media_type: 'image/png' },
        user_id: 'bob',
      },
      0.0434,
    ],
    [
      'ray-3.2 360p 5 s',
      { prompt: 'waves', type: 'video', video: { resolution: '360p' }, user_id: 'bob' },
      0.06,
    ],
    [
      'ray-3.2 360p 10 s',
      { prompt: 'dunes', type: 'video', video: { resolution: '360p', duration: '10s' } },
      0.18,
    ],
    [
      'edit of a 6 s source: two 5 s blocks at $0.54',
      {
        prompt: 'neon',
        type: 'video_edit',
        source: video('six'),
        video: { resolution: '360p', edit: FAST_EDIT },
      },
      1.08,
    ],
    [
      'edit of a 17 s source: four 5 s blocks at $0.54',
      {
        prompt: 'snow',
        type: 'video_edit',
        source: video('seventeen'),
        video: { resolution: '360p', edit: FAST_EDIT },
      },
      2.16,
    ],
    [
      'reframe of the 6 s source: 6 s at $0.03',
      {
        prompt: 'taller',
        type: 'video_reframe',
        aspect_ratio: '9:16',
        source: video('six'),
        video: { resolution: '360p' },
      },
      0.18,
    ],
    [
      'reframe of the 17 s source: 17 s at $0.03',
      {
        prompt: 'taller',
        type: 'video_reframe',
        aspect_ratio: '9:16',
        source: video('seventeen'),
        video: { resolution: '360p' },
      },
      0.51,
    ],
  ];

  it('charges the §5 price of every job, refunds the failed one, and usage agrees with the balance', async () => {
    const client = s.clientFor(key);
    const jobs = batch();
    const created = [];
    for (const [, params] of jobs) created.push(await client.generations.create(params));
    // Edits and reframes reserve their longest source at submit (§5.1): 18 s and 30 s. The last one
    // queued is still waiting behind the others (two render slots).
    const waiting = await s.umbra.store.generations.get(created.at(-1)?.id ?? '');
    if (waiting?.state !== 'completed') assert.equal(waiting?.priceMicros, 30 * usd(0.03));
    const failing = await client.generations.create(
      { prompt: 'flagged', user_id: 'ann' },
      { headers: { 'x-umbra-fail': 'content_moderated' } },
    );
    for (const g of created) assert.equal((await client.generations.wait(g, WAIT)).state, 'completed');
    await assert.rejects(client.generations.wait(failing, WAIT), GenerationFailedError);

    const charged = jobs.reduce((sum, [, , price]) => sum + usd(price), 0);
    assert.equal(charged, usd(4.3568), 'the table itself');
    const report = await client.usage.get({ group_by: 'type' });
    const t = report.total;
    assert.deepEqual(t.generations, { total: 10, queued: 0, processing: 0, completed: 9, failed: 1 });
    assert.equal(t.charged_micros, charged);
    assert.equal(t.reserved_micros, 0);
    assert.equal(t.images, 3);
    const ms = (x: number): number => Math.round(x * 1000);
    assert.equal(
      ms(t.video_seconds),
      5000 + 10_000 + 2 * ms(seconds.six) + 2 * ms(seconds.seventeen),
      'generated videos by their duration, edits and reframes by their source',
    );
    const balance = (await s.umbra.store.clients.findClientByName('studio'))?.balanceMicros;
    assert.equal(balance, BALANCE - charged, 'the balance lost exactly what usage calls charged');

    // Each settled row holds its own §5 price.
    for (const [i, [name, , price]] of jobs.entries()) {
      assert.equal(
        (await s.umbra.store.generations.get(created[i]?.id ?? ''))?.priceMicros,
        usd(price),
        name,
      );
    }

    const byType = (k: string): UsageFigures | undefined => report.data.find((g) => g.key === k);
    assert.deepEqual(
      report.data.map((g) => g.key),
      ['image', 'image_edit', 'video', 'video_edit', 'video_reframe'],
    );
    assert.equal(byType('video_edit')?.charged_micros, usd(1.08 + 2.16));
    assert.equal(byType('video_reframe')?.charged_micros, usd(0.18 + 0.51));
    assert.deepEqual(byType('image')?.generations, {
      total: 3,
      queued: 0,
      processing: 0,
      completed: 2,
      failed: 1,
    });
    assertSums(report);
  });

  it('splits by model, user_id and day, each summing to the same total', async () => {
    const client = s.clientFor(key);
    const total = (await client.usage.get()).total;
    for (const group_by of ['model', 'user_id', 'day'] as const) {
      const r = await client.usage.get({ group_by });
      assert.deepEqual(r.total, total, group_by);
      assertSums(r);
    }
    const byUser = await client.usage.get({ group_by: 'user_id' });
    assert.deepEqual(
      byUser.data.map((g) => [g.key, g.generations.total, g.charged_micros]),
      [
        ['ann', 3, usd(0.0404 + 0.103)],
        ['bob', 2, usd(0.0434 + 0.06)],
        [null, 5, usd(0.18 + 1.08 + 2.16 + 0.18 + 0.51)],
      ],
    );
    const ann = await client.usage.get({ user_id: 'ann' });
    assert.deepEqual(ann.total.generations, { total: 3, queued: 0, processing: 0, completed: 2, failed: 1 });
    const byModel = await client.usage.get({ group_by: 'model' });
    assert.deepEqual(
      byModel.data.map((g) => g.key),
      ['ray-3.2', 'uni-1', 'uni-1-max'],
    );
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    assert.equal(
      (await client.usage.get({ start: tomorrow, end: `${tomorrow}T12:00:00Z` })).total.generations.total,
      0,
    );
  });

  it('umbra usage prints the report, one line per group and the total in dollars', async () => {
    const args = ['usage', '--group-by', 'model', '--base-url', s.baseURL, '--api-key', key];
    const { stdout: out } = await promisify(execFile)(process.execPath, [CLI, ...args]);
    const lines = out.trim().split('\n');
    assert.match(lines[0] ?? '', /^# \d{4}-\d{2}-\d{2}T.*Z to \d{4}-.*Z$/);
    assert.equal(
      lines[1],
      'KEY\tGENERATIONS\tCOMPLETED\tFAILED\tACTIVE\tIMAGES\tVIDEO_SECONDS\tCHARGED_USD\tRESERVED_USD',
    );
    assert.match(lines[3] ?? '', /^uni-1\t3\t2\t1\t0\t2\t0\t0\.0838\t0\.00$/);
    assert.match(lines.at(-1) ?? '', /^TOTAL\t10\t9\t1\t0\t3\t[\d.]+\t4\.3568\t0\.00$/);
  });
});

/** Every figure of `total` is the sum of the groups' (integers, so exactly). */
function assertSums(r: UsageReport): void {
  const sum = (f: (g: UsageFigures) => number): number => r.data.reduce((a, g) => a + f(g), 0);
  assert.equal(
    sum((g) => g.charged_micros),
    r.total.charged_micros,
  );
  assert.equal(
    sum((g) => g.reserved_micros),
    r.total.reserved_micros,
  );
  assert.equal(
    sum((g) => g.images),
    r.total.images,
  );
  assert.equal(
    sum((g) => g.generations.total),
    r.total.generations.total,
  );
  assert.equal(Math.round(sum((g) => g.video_seconds) * 1000), Math.round(r.total.video_seconds * 1000));
}
