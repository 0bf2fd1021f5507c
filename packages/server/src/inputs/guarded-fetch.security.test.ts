// SSRF defences of the guarded client. Every connection goes to a 127.0.0.1 server started here; every
// other address appears only in injected DNS answers that must be refused BEFORE anything connects.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addressRange, isAllowedAddress, type ResolvedAddress, type Resolver } from './address-policy.js';
import { fetchToFile, type FetchOptions } from './guarded-fetch.js';
import { IMAGE_MAX_BYTES } from './ingest-error.js';
import { expectIngest } from './testing/expect-ingest.js';
import { png } from './testing/image-fixtures.js';
import { makeCert, startHttp, startHttps, type TestCert, type TestServer } from './testing/servers.js';

const PNG = png(8, 8);
const BLOCKED = { status: 422, reason: 'failed to fetch URL', cause: 'blocked_address' };
const BAD_SCHEME = { status: 422, reason: 'failed to fetch URL', cause: 'blocked_scheme' };
const PUBLIC = '93.184.216.34'; // appears only in answers that are refused before connecting

/** A resolver with fixed answers that records every question. */
function fakeDns(answers: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (host: string): Promise<ResolvedAddress[]> => {
    asked.push(host);
    const list = answers[host];
    if (list === undefined)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(resolve, { asked });
}

describe('address policy', () => {
  const refused = [
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '127.9.9.9',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::1',
    '2001::1',
    'not-an-ip',
  ];
  for (const address of refused) {
    it(`refuses ${address}`, () => assert.equal(isAllowedAddress(address, false), false));
  }
  for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
    it(`allows public ${address}`, () => assert.equal(isAllowedAddress(address, false), true));
  }
  it('admits loopback, and only loopback, in test mode', () => {
    assert.equal(isAllowedAddress('127.0.0.1', true), true);
    assert.equal(isAllowedAddress('::1', true), true);
    assert.equal(isAllowedAddress('10.0.0.1', true), false);
    assert.equal(isAllowedAddress('169.254.169.254', true), false);
  });
  it('judges IPv4-mapped IPv6 by the IPv4 address inside', () => {
    assert.equal(addressRange('::ffff:192.168.0.1'), 'private');
  });
});

describe('fetchToFile: SSRF defences', () => {
  let plain: TestServer;
  let secure: TestServer | null = null;
  let cert: TestCert | null;
  let dir: string;
  let n = 0;
  const dest = () => join(dir, `f${n++}`);
  const TEST: FetchOptions = { expect: 'image', maxBytes: IMAGE_MAX_BYTES, allowLoopbackHttp: true };
  const PROD: FetchOptions = { expect: 'image', maxBytes: IMAGE_MAX_BYTES };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-ssrf-'));
    plain = await startHttp((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const to = url.searchParams.get('to');
      if (to !== null) res.writeHead(302, { location: to }).end();
      else if (url.pathname === '/loop') res.writeHead(301, { location: '/loop' }).end();
      else res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    cert = makeCert();
    if (cert) {
      secure = await startHttps(cert, (req, res) => {
        const to = new URL(req.url ?? '/', 'https://x').searchParams.get('to');
        if (to !== null) res.writeHead(307, { location: to }).end();
        else res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      });
    }
  });
  after(async () => {
    await plain.close();
    await secure?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses loopback URLs outside test mode, over http and https alike', async (t) => {
    const before = plain.hits.length;
    await expectIngest(fetchToFile(`${plain.origin}/x.png`, dest(), PROD), BAD_SCHEME);
    assert.equal(plain.hits.length, before);
    if (!secure || !cert) return t.skip('no openssl for a test certificate');
    await expectIngest(fetchToFile(`${secure.origin}/x.png`, dest(), { ...PROD, ca: cert.cert }), BLOCKED);
    const dns = fakeDns({ localhost: ['127.0.0.1'] });
    await expectIngest(
      fetchToFile(`https://localhost:${secure.port}/x.png`, dest(), { ...PROD, lookup: dns }),
      BLOCKED,
    );
    assert.equal(secure.hits.length, 0);
  });

  it('refuses schemes other than https', async () => {
    const dns = fakeDns({ 'img.example.test': [PUBLIC] });
    for (const url of [
      'http://img.example.test/x.png',
      'ftp://img.example.test/x.png',
      'file:///etc/passwd',
      'data:image/png;base64,AAAA',
    ]) {
      await expectIngest(fetchToFile(url, dest(), { ...PROD, lookup: dns }), BAD_SCHEME);
    }
    assert.deepEqual(dns.asked, []); // refused before even resolving
  });

  it('allows http in test mode only towards loopback', async () => {
    const dns = fakeDns({ 'img.example.test': [PUBLIC] });
    await expectIngest(
      fetchToFile('http://img.example.test/x.png', dest(), { ...TEST, lookup: dns }),
      BAD_SCHEME,
    );
  });

  it('refuses a hostname whose DNS answer is private, without connecting', async () => {
    for (const address of ['10.1.2.3', '192.168.0.10', '169.254.169.254', 'fd12::1', '::ffff:172.16.0.1']) {
      const dns = fakeDns({ 'evil.example.test': [address] });
      await expectIngest(
        fetchToFile('https://evil.example.test/x.png', dest(), { ...PROD, lookup: dns }),
        BLOCKED,
      );
      assert.deepEqual(dns.asked, ['evil.example.test']);
    }
  });

  it('refuses a hostname with several addresses when any one is not public', async () => {
    for (const mix of [
      [PUBLIC, '10.0.0.7'],
      ['10.0.0.7', PUBLIC],
      [PUBLIC, '2606:4700::1', 'fe80::1'],
    ]) {
      const dns = fakeDns({ 'mixed.example.test': mix });
      await expectIngest(
        fetchToFile('https://mixed.example.test/x.png', dest(), { ...PROD, lookup: dns }),
        BLOCKED,
      );
    }
  });

  it('refuses IP-literal URLs in private ranges without asking DNS', async () => {
    const dns = fakeDns({});
    for (const url of [
      'https://10.0.0.1/x.png',
      'https://[::1]/x.png',
      'https://[fd00::1]:8443/x.png',
      'https://0x7f000001/x.png',
    ]) {
      await expectIngest(fetchToFile(url, dest(), { ...PROD, lookup: dns }), BLOCKED);
    }
    assert.deepEqual(dns.asked, []);
  });

  it('maps DNS failure to failed to fetch URL', async () => {
    await expectIngest(
      fetchToFile('https://nowhere.example.test/x.png', dest(), { ...PROD, lookup: fakeDns({}) }),
      {
        status: 422,
        reason: 'failed to fetch URL',
        cause: 'dns_failed',
      },
    );
  });

  it('keeps the deadline while DNS hangs', async () => {
    const hanging: Resolver = () => new Promise<ResolvedAddress[]>(() => undefined);
    await expectIngest(
      fetchToFile('https://slow-dns.example.test/x.png', dest(), {
        ...PROD,
        lookup: hanging,
        timeoutMs: 200,
      }),
      { status: 422, reason: 'failed to fetch URL', cause: 'timeout' },
    );
  });

  it('connects to the address it checked: one DNS question per hop, answer pinned', async () => {
    // A rebinding resolver: loopback (allowed in test mode) first, a private address on any later question.
    const asked: string[] = [];
    const rebinding: Resolver = (host) => {
      asked.push(host);
      const address = asked.length === 1 ? '127.0.0.1' : '10.0.0.1';
      return Promise.resolve([{ address, family: 4 }]);
    };
    const path = dest();
    const got = await fetchToFile(`http://cdn.example.test:${plain.port}/pic.png`, path, {
      ...TEST,
      lookup: rebinding,
    });
    assert.equal(got.size, PNG.length);
    assert.deepEqual(asked, ['cdn.example.test']);
    // The name the URL carried is what the server saw, although the socket went to the pinned address.
    assert.equal(plain.hits.at(-1)?.host, `cdn.example.test:${plain.port}`);
  });

  it('re-checks every redirect hop and refuses a chain that ends on a blocked address', async () => {
    const dns = fakeDns({
      'a.example.test': ['127.0.0.1'],
      'b.example.test': ['127.0.0.1'],
      'inner.example.test': ['192.168.1.20'],
    });
    const hop3 = 'http://inner.example.test/secret.png';
    const hop2 = `http://b.example.test:${plain.port}/r?to=${encodeURIComponent(hop3)}`;
    const hop1 = `http://a.example.test:${plain.port}/r?to=${encodeURIComponent(hop2)}`;
    const before = plain.hits.length;
    await expectIngest(fetchToFile(hop1, dest(), { ...TEST, lookup: dns }), BLOCKED);
    assert.deepEqual(dns.asked, ['a.example.test', 'b.example.test', 'inner.example.test']);
    assert.equal(plain.hits.length - before, 2);
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/x.png',
      'http://[fd00::5]/x.png',
    ]) {
      await expectIngest(
        fetchToFile(`${plain.origin}/r?to=${encodeURIComponent(target)}`, dest(), TEST),
        BLOCKED,
      );
    }
  });

  it('follows a relative redirect to a good image', async () => {
    const got = await fetchToFile(`${plain.origin}/r?to=${encodeURIComponent('/final.png')}`, dest(), TEST);
    assert.equal(got.size, PNG.length);
  });

  it('stops after the redirect limit', async () => {
    const before = plain.hits.length;
    await expectIngest(fetchToFile(`${plain.origin}/loop`, dest(), { ...TEST, maxRedirects: 3 }), {
      status: 422,
      reason: 'failed to fetch URL',
      cause: 'too_many_redirects',
    });
    assert.equal(plain.hits.length - before, 4);
  });

  it('fetches over https with a trusted certificate', async (t) => {
    if (!secure || !cert) return t.skip('no openssl for a test certificate');
    const got = await fetchToFile(`${secure.origin}/x.png`, dest(), { ...TEST, ca: cert.cert });
    assert.equal(got.size, PNG.length);
    // Without the test CA the self-signed certificate is rejected like any unreachable URL.
    await expectIngest(fetchToFile(`${secure.origin}/x.png`, dest(), TEST), {
      status: 422,
      reason: 'failed to fetch URL',
      cause: 'network_error',
    });
  });

  it('refuses an https to http redirect, even to loopback in test mode', async (t) => {
    if (!secure || !cert) return t.skip('no openssl for a test certificate');
    const before = plain.hits.length;
    const to = encodeURIComponent(`${plain.origin}/x.png`);
    await expectIngest(fetchToFile(`${secure.origin}/r?to=${to}`, dest(), { ...TEST, ca: cert.cert }), {
      status: 422,
      reason: 'failed to fetch URL',
      cause: 'https_to_http_redirect',
    });
    assert.equal(plain.hits.length, before);
  });
});
