// The moderation setting and the classifier client against real loopback servers: answers, a hang that
// times out, errors, and the fail-open/fail-closed rule.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../log.js';
import type { ModerationConfig } from './moderation.js';
import { askClassifier, httpModerator, openModerator, parseModerationSetting } from './moderation.js';

describe('UMBRA_MODERATION', () => {
  it('parses off, terms and http and refuses anything else', () => {
    assert.deepEqual(parseModerationSetting(null), { mode: 'off' });
    assert.deepEqual(parseModerationSetting('off'), { mode: 'off' });
    assert.deepEqual(parseModerationSetting('terms:/etc/x.txt'), { mode: 'terms', file: '/etc/x.txt' });
    assert.deepEqual(parseModerationSetting('http:http://127.0.0.1:9/c'), {
      mode: 'http',
      url: 'http://127.0.0.1:9/c',
    });
    assert.throws(() => parseModerationSetting('terms:'), /needs a file/);
    assert.throws(() => parseModerationSetting('http:ftp://x'), /http\(s\) URL/);
    assert.throws(() => parseModerationSetting('http:nonsense'), /http\(s\) URL/);
    assert.throws(() => parseModerationSetting('on'), /must be off, terms/);
  });
});

describe('moderation classifier', () => {
  let origin = '';
  const seen: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(JSON.parse(body));
      if (req.url === '/hang') return; // never answers
      if (req.url === '/500') return void res.writeHead(500).end();
      if (req.url === '/junk') return void res.writeHead(200).end('{"ok":1}');
      const flagged = body.includes('dragon') || (req.url === '/img' && body.includes('"kind":"image"'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(flagged ? { flagged, reason: 'dragons' } : { flagged }));
    });
  });
  const cfg = (failOpen: boolean): Omit<ModerationConfig, 'setting'> => ({ timeoutMs: 150, failOpen });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends JSON and reads the verdict', async () => {
    assert.deepEqual(await askClassifier(`${origin}/c`, { kind: 'prompt', text: 'a dragon' }, 2000), {
      flagged: true,
      detail: 'dragons',
    });
    assert.deepEqual(await askClassifier(`${origin}/c`, { kind: 'prompt', text: 'a cat' }, 2000), {
      flagged: false,
    });
    assert.deepEqual(seen.at(-1), { kind: 'prompt', text: 'a cat' });
  });

  it('rejects on a hang, an error status and a malformed answer', async () => {
    await assert.rejects(askClassifier(`${origin}/hang`, { kind: 'prompt', text: 'x' }, 100));
    await assert.rejects(askClassifier(`${origin}/500`, { kind: 'prompt', text: 'x' }, 2000), /HTTP 500/);
    await assert.rejects(askClassifier(`${origin}/junk`, { kind: 'prompt', text: 'x' }, 2000), /flagged/);
  });

  it('fails closed or open when the classifier cannot answer', async () => {
    const closed = httpModerator(`${origin}/hang`, cfg(false), silentLogger);
    const open = httpModerator(`${origin}/hang`, cfg(true), silentLogger);
    assert.equal((await closed.checkPrompt('x')).flagged, true);
    assert.equal((await open.checkPrompt('x')).flagged, false);
  });

  it('sends images as base64 with their content type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-mod-'));
    try {
      const file = join(dir, 'a.png');
      await writeFile(file, 'dragon bytes');
      const m = httpModerator(`${origin}/img`, cfg(false), silentLogger);
      assert.equal((await m.checkImage(file, 'image/png')).flagged, true);
      assert.deepEqual(seen.at(-1), {
        kind: 'image',
        image_base64: Buffer.from('dragon bytes').toString('base64'),
        content_type: 'image/png',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a cancelled job sees its abort, not a fail-open pass', async () => {
    const open = httpModerator(`${origin}/hang`, { timeoutMs: 5000, failOpen: true }, silentLogger);
    await assert.rejects(open.checkPrompt('x', AbortSignal.timeout(50)));
  });

  it('opens a term file and refuses a missing or bad one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umbra-mod-'));
    try {
      const file = join(dir, 'terms.txt');
      await writeFile(file, 'dragon\n');
      const m = await openModerator(
        { setting: { mode: 'terms', file }, timeoutMs: 1000, failOpen: false },
        silentLogger,
      );
      assert.equal(m.checksImages, false);
      assert.equal((await m.checkPrompt('A Dragon!')).flagged, true);
      await writeFile(file, '/(/\n');
      await assert.rejects(
        openModerator({ setting: { mode: 'terms', file }, timeoutMs: 1000, failOpen: false }, silentLogger),
        /term file .*line 1/,
      );
      await assert.rejects(
        openModerator(
          { setting: { mode: 'terms', file: join(dir, 'none') }, timeoutMs: 1000, failOpen: false },
          silentLogger,
        ),
        /term file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
