// The verification recipes of docs/webhooks.md, run as they are written: the block after each
// `<!-- webhooks-doc-test: … -->` marker is taken from the page, the TypeScript one transpiled and run with
// node, the Python one run with the system python3, both against a real signed delivery of a booted
// server. Each must accept it and refuse a tampered body, another secret and a stale timestamp.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import ts from 'typescript';
import { newWebhookSecret, signWebhook } from '../events/webhook-signature.js';
import { startFixtureServer, startTestServer, type TestServer } from '../testing/harness.js';

const DOC = fileURLToPath(new URL('../../../../docs/webhooks.md', import.meta.url));

/** The fenced block after each `<!-- webhooks-doc-test: name -->` marker. */
function docBlocks(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markdown.matchAll(/<!-- webhooks-doc-test: (\w+) -->\s*```\w*\n([\s\S]*?)```/g)) {
    if (m[1] !== undefined && m[2] !== undefined) out.set(m[1], m[2]);
  }
  return out;
}

/** One verification to make: a delivery as received, and the secret to check it with. */
interface Case {
  secret: string;
  headers: Record<string, string>;
  body: string;
}

/** Runs a program with `input` on stdin; its stdout. */
function run(cmd: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

describe('docs/webhooks.md verification recipes', () => {
  let srv: TestServer;
  let dir: string;
  let blocks: Map<string, string>;
  const cases: Case[] = [];

  before(async () => {
    blocks = docBlocks(await readFile(DOC, 'utf8'));
    dir = await mkdtemp(join(tmpdir(), 'umbra-webhook-docs-'));
    srv = await startTestServer({ UMBRA_TEST_ALLOW_LOOPBACK_FETCH: '1' });
    const hits: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const rx = await startFixtureServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    try {
      const endpoint = await srv.client.webhookEndpoints.create({ url: `${rx.origin}/docs` });
      await srv.client.generations.createAndWait({ prompt: 'a lighthouse' }, { pollInterval: 20 });
      for (let i = 0; i < 500 && hits.length === 0; i++) await sleep(20);
      const [hit] = hits;
      assert.ok(hit, 'a real delivery');
      const headers: Record<string, string> = {};
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        headers[name] = String(hit.headers[name]);
      }
      const real = { secret: endpoint.secret, headers, body: hit.body };
      const stale = Math.floor(Date.now() / 1000) - 3600;
      cases.push(
        real,
        { ...real, body: hit.body.replace('"completed"', '"failed"') },
        { ...real, secret: newWebhookSecret() },
        {
          ...real,
          headers: {
            ...headers,
            'webhook-timestamp': String(stale),
            'webhook-signature': signWebhook(endpoint.secret, headers['webhook-id'] ?? '', stale, hit.body),
          },
        },
        {
          ...real,
          headers: { ...headers, 'webhook-signature': `v1,bm90IGl0 ${headers['webhook-signature']}` },
        },
      );
    } finally {
      await rx.close();
    }
  });
  after(async () => {
    await srv.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // Accept the real one; refuse tampered, wrong secret, stale; accept one match among several signatures.
  const EXPECTED = [true, false, false, false, true];

  it('the TypeScript recipe, run with node', async () => {
    const code = blocks.get('typescript');
    assert.ok(code !== undefined, 'docs/webhooks.md has a typescript block');
    const js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    await writeFile(join(dir, 'verify.mjs'), js);
    await writeFile(
      join(dir, 'run.mjs'),
      `import { readFileSync } from 'node:fs';
import { verifyWebhook } from './verify.mjs';
const cases = JSON.parse(readFileSync(0, 'utf8'));
console.log(JSON.stringify(cases.map((c) => verifyWebhook(c.secret, c.headers, c.body))));`,
    );
    const out = await run(process.execPath, [join(dir, 'run.mjs')], JSON.stringify(cases));
    assert.deepEqual(JSON.parse(out), EXPECTED);
  });

  it('the Python recipe, run with python3', async () => {
    const code = blocks.get('python');
    assert.ok(code !== undefined, 'docs/webhooks.md has a python block');
    await writeFile(
      join(dir, 'verify.py'),
      `${code}

import json, sys
cases = json.load(sys.stdin)
print(json.dumps([verify_webhook(c["secret"], c["headers"], c["body"].encode("utf-8")) for c in cases]))
`,
    );
    const out = await run('python3', [join(dir, 'verify.py')], JSON.stringify(cases));
    assert.deepEqual(JSON.parse(out), EXPECTED);
  });
});
