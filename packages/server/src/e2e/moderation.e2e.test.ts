// Moderation end to end (issue 12 part 8): a term list blocks a prompt; a classifier on loopback blocks an
// output image; a classifier that hangs follows UMBRA_MODERATION_FAIL. Each hit ends the job `failed`
// with `content_moderated` and the contract's reason, as the hosted API answers.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Generation } from '@umbra/sdk';
import { FAILURES } from '../contract/failures.js';
import { startFixtureServer, startTestServer, type TestServer } from '../testing/harness.js';

interface Asked {
  path: string;
  body: { kind: string; text?: string; image_base64?: string; content_type?: string };
}

const create = async (s: TestServer, prompt: string): Promise<Generation> => {
  const g = await s.client.generations.create({ prompt, model: 'uni-1', aspect_ratio: '1:1' });
  assert.equal(g.state, 'queued', 'a moderated prompt is still admitted');
  // wait() throws on `failed`; the generation itself is what is checked.
  await s.client.generations.wait(g.id, { pollInterval: 30, timeout: 60_000 }).catch(() => undefined);
  return s.client.generations.get(g.id);
};

const assertModerated = (g: Generation): void => {
  assert.equal(g.state, 'failed');
  assert.equal(g.failure_code, 'content_moderated');
  assert.equal(g.failure_reason, FAILURES.content_moderated.reason);
  assert.deepEqual(g.output, []);
};

describe('moderation end to end', () => {
  let dir = '';
  let classifier: { origin: string; close(): Promise<void> };
  const asked: Asked[] = [];
  const hanging: ServerResponse[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-moderation-'));
    // /flag-images flags every image and no prompt; /hang never answers.
    classifier = await startFixtureServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        asked.push({ path, body: JSON.parse(body) as Asked['body'] });
        if (path === '/hang') return void hanging.push(res);
        const flagged = path === '/flag-images' && body.includes('"kind":"image"');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ flagged, reason: flagged ? 'test: every image' : undefined }));
      });
    });
  });
  after(async () => {
    for (const res of hanging) res.destroy();
    await classifier.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a term list blocks a prompt: admitted, then failed before rendering', async () => {
    const terms = join(dir, 'terms.txt');
    await writeFile(terms, '# house rules\nred dragon\n/\\bgoblins?\\b/\n');
    const s = await startTestServer({ UMBRA_MODERATION: `terms:${terms}` });
    try {
      assertModerated(await create(s, 'A RED DRAGON over the sea'));
      assertModerated(await create(s, 'three goblins'));
      const fine = await create(s, 'a red dragonfly over the sea');
      assert.equal(fine.state, 'completed');
      assert.equal(fine.output.length, 1);
    } finally {
      await s.stop();
    }
  });

  it('a classifier on loopback blocks an output image', async () => {
    const s = await startTestServer({ UMBRA_MODERATION: `http:${classifier.origin}/flag-images` });
    try {
      asked.length = 0;
      assertModerated(await create(s, 'a lighthouse at dusk'));
      assert.deepEqual(
        asked.map((a) => a.body.kind),
        ['prompt', 'image'],
        'the prompt at admission, the output after render',
      );
      assert.equal(asked[0]?.body.text, 'a lighthouse at dusk');
      const image = asked[1]?.body;
      assert.match(image?.content_type ?? '', /^image\//);
      assert.ok((image?.image_base64 ?? '').length > 100, 'the rendered bytes are sent');
    } finally {
      await s.stop();
    }
  });

  for (const fail of ['open', 'closed'] as const) {
    it(`a classifier that times out fails ${fail}`, async () => {
      const s = await startTestServer({
        UMBRA_MODERATION: `http:${classifier.origin}/hang`,
        UMBRA_MODERATION_TIMEOUT_MS: '200',
        UMBRA_MODERATION_FAIL: fail,
      });
      try {
        const g = await create(s, 'a quiet harbour');
        if (fail === 'open') {
          assert.equal(g.state, 'completed');
          assert.equal(g.output.length, 1);
        } else {
          assertModerated(g);
        }
      } finally {
        await s.stop();
      }
    });
  }

  it('a bad term file stops the start with the line that broke it', async () => {
    const terms = join(dir, 'bad.txt');
    await writeFile(terms, 'fine\n/[unclosed/\n');
    await assert.rejects(startTestServer({ UMBRA_MODERATION: `terms:${terms}` }), /line 2/);
  });
});
