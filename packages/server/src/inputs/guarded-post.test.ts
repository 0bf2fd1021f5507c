// The guarded POST of webhook deliveries: every answer is a value, the address policy holds on every call
// (a DNS answer that changes between two calls is judged anew), the vetted address is pinned, nothing is
// followed, and one deadline bounds a receiver that never answers. Every connection goes to 127.0.0.1.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ResolvedAddress, Resolver } from './address-policy.js';
import { postGuarded, type GuardedPostOptions } from './guarded-post.js';
import { startHttp, type TestServer } from './testing/servers.js';

/** A resolver whose answers the test changes as it goes. */
function dns(answers: Record<string, string[]>): Resolver {
  return (host) => {
    const list = answers[host];
    if (list === undefined)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(list.map((address): ResolvedAddress => ({ address, family: 4 })));
  };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });

describe('guarded POST', () => {
  let srv: TestServer;
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const held: Array<() => void> = [];
  before(async () => {
    srv = await startHttp((req, res) => {
      void readBody(req).then((body) => {
        received.push({ headers: req.headers, body });
        if (req.url === '/hang') {
          held.push(() => res.destroy());
          return;
        }
        const status = Number(/^\/status\/(\d+)(\?.*)?$/.exec(req.url ?? '')?.[1] ?? 200);
        res.writeHead(status, status === 302 ? { location: '/status/200' } : {}).end('ok');
      });
    });
  });
  after(async () => {
    for (const h of held) h();
    await srv.close();
  });

  const loopback: GuardedPostOptions = { timeoutMs: 2000, allowLoopbackHttp: true };

  it('sends the body and headers and answers with the status, whatever it is', async () => {
    const r = await postGuarded(
      `${srv.origin}/status/204?x=1`,
      '{"a":1}',
      { 'webhook-id': 'msg_1' },
      loopback,
    );
    assert.deepEqual([r.status, r.error], [204, null]);
    assert.ok(r.durationMs >= 0);
    const last = received.at(-1);
    assert.equal(last?.body, '{"a":1}');
    assert.equal(last?.headers['content-type'], 'application/json');
    assert.equal(last?.headers['webhook-id'], 'msg_1');
    assert.equal(last?.headers['content-length'], '7');
    assert.equal((await postGuarded(`${srv.origin}/status/500`, '{}', {}, loopback)).status, 500);
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    const before = srv.hits.length;
    const r = await postGuarded(`${srv.origin}/status/302`, '{}', {}, loopback);
    assert.equal(r.status, 302);
    assert.equal(srv.hits.length, before + 1);
  });

  it('refuses http, loopback and private addresses before connecting', async () => {
    const before = srv.hits.length;
    const plain = await postGuarded(`${srv.origin}/status/200`, '{}', {}, { timeoutMs: 2000 });
    assert.deepEqual([plain.status, plain.error], [null, 'scheme not allowed']);
    const https = await postGuarded(`https://127.0.0.1:${srv.port}/`, '{}', {}, { timeoutMs: 2000 });
    assert.equal(https.error, 'address not allowed');
    const lookup = dns({ 'inside.test': ['10.0.0.1'], 'mixed.test': ['93.184.216.34', '192.168.1.1'] });
    for (const host of ['inside.test', 'mixed.test', '10.0.0.1', '169.254.169.254', '[::1]']) {
      const r = await postGuarded(`https://${host}/hook`, '{}', {}, { timeoutMs: 2000, lookup });
      assert.equal(r.error, 'address not allowed', host);
      assert.match(r.detail ?? '', /->/);
    }
    const unknown = await postGuarded('https://nowhere.test/', '{}', {}, { timeoutMs: 2000, lookup });
    assert.equal(unknown.error, 'dns lookup failed');
    assert.equal((await postGuarded('not a url', '{}', {}, loopback)).error, 'invalid url');
    assert.equal(srv.hits.length, before, 'nothing connected');
  });

  it('judges the DNS answer on every call and connects to the address it checked', async () => {
    const answers: Record<string, string[]> = { 'receiver.test': ['127.0.0.1'] };
    const o = { ...loopback, lookup: dns(answers) };
    const url = `http://receiver.test:${srv.port}/status/200`;
    const first = await postGuarded(url, '{}', {}, o);
    assert.equal(first.status, 200);
    assert.equal(srv.hits.at(-1)?.host, `receiver.test:${srv.port}`);
    answers['receiver.test'] = ['10.0.0.1'];
    const second = await postGuarded(url, '{}', {}, o);
    assert.deepEqual([second.status, second.error], [null, 'address not allowed']);
  });

  it('gives up on a receiver that never answers at the deadline', async () => {
    const t = Date.now();
    const r = await postGuarded(`${srv.origin}/hang`, '{}', {}, { ...loopback, timeoutMs: 300 });
    assert.deepEqual([r.status, r.error], [null, 'timeout']);
    assert.ok(Date.now() - t < 2000);
  });

  it('reports a refused connection and a caller that stops waiting', async () => {
    const closed = await startHttp(() => undefined);
    const port = closed.port;
    await closed.close();
    const refused = await postGuarded(`http://127.0.0.1:${port}/`, '{}', {}, loopback);
    assert.deepEqual([refused.status, refused.error], [null, 'connection failed (ECONNREFUSED)']);
    const stop = new AbortController();
    const pending = postGuarded(`${srv.origin}/hang`, '{}', {}, { ...loopback, signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    assert.equal((await pending).error, 'aborted');
  });
});
