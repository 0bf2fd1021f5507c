// The delivery loop on a real SQLite store against receivers on 127.0.0.1: signed payloads, the address
// policy asked again on every attempt (a DNS answer that turns private is refused), a hanging receiver
// that holds only its own slot, a failing database ridden out with backoff, and a stop that gives its
// leases back.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobStore } from '../blobs/blob-store.js';
import type { WebhookEvent, WebhookEventType } from '../contract/webhook.wire.js';
import { presentGeneration } from '../generations/present.js';
import type { ResolvedAddress } from '../inputs/address-policy.js';
import type { Logger } from '../log.js';
import { openStore } from '../store/open-store.js';
import { newClient, newGen } from '../store/testing/store.fixtures.js';
import { admitOutcome, type Store, type WebhookDeliveryRecord, type WebhookRepo } from '../store/store.js';
import { WebhookSender, type WebhookSenderOptions } from './webhook-sender.js';
import { newWebhookSecret, signWebhook } from './webhook-signature.js';

/** Only what presenting a generation without outputs touches. */
const blobs = {
  signedUrl: (key: string) => Promise.resolve(`https://blobs.test/${key}`),
} as unknown as BlobStore;

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 whose answer per path the test decides (`null` = never answer). */
async function receiver(answer: (path: string, n: number) => number | null) {
  const hits: Hit[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      hits.push({ path, headers: req.headers, body });
      const status = answer(path, hits.filter((h) => h.path === path).length);
      if (status === null) hanging.push(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logger that keeps what it was told. */
function recorder(): Logger & { lines: Array<[string, string | undefined]> } {
  const lines: Array<[string, string | undefined]> = [];
  const at = (level: string) => (_o: object, msg?: string) => void lines.push([level, msg]);
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  ms = 5000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('webhook sender', () => {
  let dir: string;
  let store: Store;
  const senders: WebhookSender[] = [];
  const base: WebhookSenderOptions = {
    concurrency: 4,
    timeoutMs: 2000,
    retryScale: 0.0001,
    urlTtlMs: 3_600_000,
    pollMs: 50,
    allowLoopbackHttp: true,
  };
  const start = (o: Partial<WebhookSenderOptions> = {}, s: Store = store, log: Logger = recorder()) => {
    const sender = new WebhookSender({ store: s, blobs, log, now: () => Date.now() }, { ...base, ...o });
    senders.push(sender);
    sender.start();
    return sender;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-webhooks-'));
    store = await openStore({ sqlitePath: join(dir, 'umbra.db') });
  });
  // One test's sender must not take the next test's deliveries.
  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.stop()));
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A client with an endpoint at `url`, and a generation of it that completes now. */
  async function completedFor(url: string, events: WebhookEventType[] = ['generation.completed']) {
    const c = await newClient(store);
    const secret = newWebhookSecret();
    const e = await store.webhooks.createEndpoint({
      id: randomUUID(),
      clientId: c.id,
      url,
      events,
      secret,
      createdAt: Date.now(),
    });
    const g = newGen(c.id, { createdAt: Date.now() });
    assert.equal(
      admitOutcome(await store.generations.admit(g, { concurrencyLimit: null, activeSince: 0 })),
      'admitted',
    );
    const job = await store.generations.claim('w', Date.now(), 60_000);
    assert.equal(job?.id, g.id);
    assert.ok(await store.generations.complete(g.id, 'w', [], Date.now()));
    return { endpoint: e, secret, generationId: g.id };
  }

  const deliveries = (endpointId: string): Promise<WebhookDeliveryRecord[]> =>
    store.webhooks.listDeliveries(endpointId, { limit: 100, state: null, after: null });

  it('posts the event signed, with the generation as GET presents it', async () => {
    const rx = await receiver(() => 204);
    try {
      start();
      const { endpoint, secret, generationId } = await completedFor(`http://127.0.0.1:${rx.port}/ok`);
      const [hit] = await until('the delivery', () => (rx.hits.length > 0 ? rx.hits : null));
      assert.ok(hit);
      const id = hit.headers['webhook-id'] as string;
      const ts = Number(hit.headers['webhook-timestamp']);
      assert.match(id, new RegExp(`^msg_\\d+_${endpoint.id}$`));
      assert.ok(Math.abs(ts - Date.now() / 1000) < 10);
      assert.equal(hit.headers['webhook-signature'], signWebhook(secret, id, ts, hit.body));
      const event = JSON.parse(hit.body) as WebhookEvent;
      const row = await store.generations.get(generationId);
      assert.ok(row);
      assert.deepEqual(event, {
        type: 'generation.completed',
        timestamp: new Date(row.completedAt ?? 0).toISOString(),
        data: await presentGeneration(row, blobs, Date.now(), 1),
      });
      const [d] = await until('delivered', async () =>
        (await deliveries(endpoint.id)).every((x) => x.state === 'delivered')
          ? deliveries(endpoint.id)
          : null,
      );
      assert.deepEqual([d?.attempts, d?.lastStatusCode], [1, 204]);
    } finally {
      await rx.close();
    }
  });

  it('asks the address policy again on every attempt: a host that now resolves privately is refused', async () => {
    const rx = await receiver((_p, n) => (n === 1 ? 503 : 200));
    const answers: Record<string, string> = { 'hooks.test': '127.0.0.1' };
    const lookup = (host: string): Promise<ResolvedAddress[]> =>
      Promise.resolve([{ address: answers[host] ?? '', family: 4 }]);
    try {
      // The first retry comes 500 ms after the first attempt: time to move the DNS answer in between.
      const sender = start({ lookup, retryScale: 0.1 });
      const { endpoint } = await completedFor(`http://hooks.test:${rx.port}/dns`);
      const [first] = await until('the first attempt', async () => {
        const [d] = await deliveries(endpoint.id);
        return d?.attempts === 1 ? [d] : null;
      });
      answers['hooks.test'] = '10.0.0.1';
      assert.equal(rx.hits.length, 1);
      assert.equal(rx.hits[0]?.headers.host, `hooks.test:${rx.port}`, 'the pinned address, the name kept');
      assert.equal(first.lastStatusCode, 503);
      const [second] = await until('the second attempt', async () => {
        const [d] = await deliveries(endpoint.id);
        return d?.attempts === 2 ? [d] : null;
      });
      assert.deepEqual(
        [second.state, second.lastStatusCode, second.lastError],
        ['pending', null, 'address not allowed'],
      );
      assert.equal(rx.hits.length, 1, 'nothing was sent to the refused address');
      // Back to a public answer; the next retry is 30 s away, so ask for it now.
      answers['hooks.test'] = '127.0.0.1';
      assert.ok(await store.webhooks.retry(endpoint.id, second.id, Date.now()));
      sender.wake();
      const [done] = await until('delivered', async () => {
        const [d] = await deliveries(endpoint.id);
        return d?.state === 'delivered' ? [d] : null;
      });
      assert.equal(done.attempts, 3);
      const attempts = await store.webhooks.attemptsOf([done.id]);
      assert.deepEqual(
        attempts.map((a) => [a.statusCode, a.error]),
        [
          [503, null],
          [null, 'address not allowed'],
          [200, null],
        ],
      );
    } finally {
      await rx.close();
    }
  });

  it('lets a hanging receiver hold only its own slot, until its attempt times out', async () => {
    const rx = await receiver((path) => (path === '/hang' ? null : 200));
    try {
      start({ concurrency: 2, timeoutMs: 3000 });
      const slow = await completedFor(`http://127.0.0.1:${rx.port}/hang`);
      await until('the hanging attempt', () => (rx.hits.some((h) => h.path === '/hang') ? true : null));
      const t = Date.now();
      const fast = await completedFor(`http://127.0.0.1:${rx.port}/fast`);
      await until('the other delivery', async () =>
        (await deliveries(fast.endpoint.id))[0]?.state === 'delivered' ? true : null,
      );
      assert.ok(Date.now() - t < 2500, 'delivered while the other attempt still hangs');
      assert.equal((await deliveries(slow.endpoint.id))[0]?.attempts, 0, 'still on the wire');
      const [timedOut] = await until('the timeout', async () => {
        const [d] = await deliveries(slow.endpoint.id);
        return d !== undefined && d.attempts >= 1 ? [d] : null;
      });
      assert.equal(timedOut.lastError, 'timeout');
    } finally {
      await rx.close();
    }
  });

  it('rides out a failing database with backoff, logging each failure', async () => {
    const rx = await receiver(() => 200);
    let failures = 3;
    const webhooks: WebhookRepo = Object.create(store.webhooks) as WebhookRepo;
    webhooks.claimDue = (...args) =>
      failures-- > 0 ? Promise.reject(new Error('database is down')) : store.webhooks.claimDue(...args);
    const flaky: Store = { ...store, webhooks };
    const log = recorder();
    try {
      const { endpoint } = await completedFor(`http://127.0.0.1:${rx.port}/db`);
      start({ pollMs: 60_000 }, flaky, log);
      await until('delivered', async () =>
        (await deliveries(endpoint.id))[0]?.state === 'delivered' ? true : null,
      );
      assert.equal(log.lines.filter(([l]) => l === 'error').length, 3);
    } finally {
      await rx.close();
    }
  });

  it('gives the lease of an attempt on the wire back when it stops, unrecorded', async () => {
    const rx = await receiver((path, n) => (path === '/stop' && n === 1 ? null : 200));
    try {
      const sender = start();
      const { endpoint } = await completedFor(`http://127.0.0.1:${rx.port}/stop`);
      await until('the attempt', () => (rx.hits.some((h) => h.path === '/stop') ? true : null));
      await sender.stop();
      const [d] = await deliveries(endpoint.id);
      assert.deepEqual([d?.state, d?.attempts, d?.leaseOwner], ['pending', 0, null]);
      start();
      await until('delivered after a restart', async () =>
        (await deliveries(endpoint.id))[0]?.state === 'delivered' ? true : null,
      );
      assert.equal(rx.hits.filter((h) => h.path === '/stop').length, 2);
    } finally {
      await rx.close();
    }
  });
});
