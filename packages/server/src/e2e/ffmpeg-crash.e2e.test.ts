// An ffmpeg binary that crashes (issue 12, "what it must show" 0): UMBRA_FFMPEG is a wrapper that dies
// of SIGSEGV while a flag file exists, and runs the real ffmpeg otherwise. While it crashes, the process
// stays up (this runs in the test runner's process, where a rejection nobody handled fails the test),
// /readyz names ffmpeg, and the video job waits — handed back without spending an attempt, not failed;
// once ffmpeg runs again the job completes, and its output is a real video.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { startUmbra } from '../main.js';
import { locateBinary } from '../media/ffmpeg/binaries.js';
import { OWNER_KEY } from '../testing/harness.js';

it('a crashing ffmpeg holds video jobs back, unspent, until it runs again; the process stays up', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'umbra-ffmpeg-crash-'));
  const broken = join(dir, 'broken');
  const wrapper = join(dir, 'ffmpeg');
  const real = locateBinary('ffmpeg', null).path;
  await writeFile(wrapper, `#!/bin/sh\n[ -e '${broken}' ] && kill -SEGV $$\nexec '${real}' "$@"\n`);
  await chmod(wrapper, 0o755);
  await writeFile(broken, '');
  const umbra = await startUmbra(
    loadConfig(
      { port: 0, host: '127.0.0.1', dataDir: join(dir, 'data') },
      {
        UMBRA_API_KEY: OWNER_KEY,
        UMBRA_LOG_LEVEL: 'silent',
        UMBRA_POLL_MS: '50',
        UMBRA_CONCURRENCY: '1',
        UMBRA_FFMPEG: wrapper,
      },
    ),
    silentLogger,
  );
  const origin = (umbra.apiUrl ?? '').replace(/\/v1$/, '');
  const headers = { authorization: `Bearer ${OWNER_KEY}`, 'content-type': 'application/json' };
  try {
    const created = await fetch(`${origin}/v1/generations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        type: 'video',
        model: 'ray-3.2',
        prompt: 'waves on a shore',
        video: { resolution: '360p', duration: '5s' },
      }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };

    // Let the worker meet the crash a few times.
    const outage = Date.now() + 5000;
    let tried = 0;
    while (Date.now() < outage) {
      const row = await umbra.store.generations.get(id);
      assert.ok(row?.state === 'queued' || row?.state === 'processing', `still waiting: ${row?.state}`);
      tried = Math.max(tried, row.attempts);
      await sleep(200);
    }
    assert.ok(tried >= 1, 'the worker tried it');
    const ready = await fetch(`${origin}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { detail: string }).detail, /^ffmpeg unavailable/);
    assert.equal((await fetch(`${origin}/healthz`)).status, 200);

    await rm(broken);
    let row = await umbra.store.generations.get(id);
    const deadline = Date.now() + 90_000;
    while (row !== null && row.state !== 'completed' && row.state !== 'failed' && Date.now() < deadline) {
      await sleep(200);
      row = await umbra.store.generations.get(id);
    }
    assert.equal(row?.state, 'completed', row?.failureReason ?? '');
    // Every hand-back raised the limit with the count: what was spent is the one attempt that rendered.
    assert.equal((row?.maxAttempts ?? 0) - (row?.attempts ?? 0), 2);
    const got = (await (await fetch(`${origin}/v1/generations/${id}`, { headers })).json()) as {
      output: { url: string }[];
    };
    const video = Buffer.from(await (await fetch(got.output[0]?.url ?? '')).arrayBuffer());
    assert.equal(video.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4');
  } finally {
    await umbra.stop(200);
    await rm(dir, { recursive: true, force: true });
  }
});
