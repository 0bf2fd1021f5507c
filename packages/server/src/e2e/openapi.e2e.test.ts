// GET /openapi.json and /docs against a real server: the document covers every route Fastify registered
// (and nothing else), every request example it documents succeeds with its documented status, every error
// it documents is produced exactly (and the set produced is the set documented), and the reference page
// and each asset it loads come from this server alone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildOpenApiDocument } from '../contract/openapi/document.js';
import type { CreateKeyOptions } from '../policy/key-admin.js';
import { createWorkerToken } from '../policy/worker-tokens.js';
import { SqliteDb } from '../store/sqlite/sqlite.db.js';
import { OWNER_KEY, startTestServer, type TestServer } from '../testing/harness.js';

type Json = Record<string, unknown>;
interface DocOperation {
  id: string;
  method: string;
  path: string;
  auth: string | null;
  op: Json;
}

/** Every body limit is this small here, so a 413 needs no large upload. */
const MAX_BODY = 200_000;

const docOperations = (doc: ReturnType<typeof buildOpenApiDocument>): DocOperation[] =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      id: String(op.operationId),
      method: method.toUpperCase(),
      path,
      auth: Object.keys(((op.security ?? []) as Json[])[0] ?? {})[0] ?? null,
      op,
    })),
  );

/** `/v1/generations/:id`, `/files/*` and `/v1/generations/{id}` all become `/v1/generations/{}`. */
const normalise = (path: string): string =>
  path
    .replace(/\{\w+\}/g, '{}')
    .replace(/:\w+/g, '{}')
    .replace(/\*$/, '{}');

describe('OpenAPI document against a real server', () => {
  let s: TestServer;
  let doc: ReturnType<typeof buildOpenApiDocument>;
  let ops: DocOperation[];
  let adminKey = '';
  let workerToken = '';
  const clientIds = new Map<string, string>();

  /** Raw HTTP as the operation's security asks, with placeholders in its path filled. */
  const call = (
    o: DocOperation,
    opts: {
      body?: unknown;
      auth?: string | null;
      query?: string;
      params?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> => {
    const params: Record<string, string> = {
      id: randomUUID(),
      name: 'acme',
      key: 'nothing/here',
      asset: 'swagger-ui.css',
      delivery_id: `msg_1_${randomUUID()}`,
      ...opts.params,
    };
    const path = o.path.replace(/\{(\w+)\}/g, (_m, p: string) => params[p] ?? 'x') + (opts.query ?? '');
    const auth =
      opts.auth !== undefined
        ? opts.auth
        : o.auth === 'adminKey'
          ? adminKey
          : o.auth === 'workerToken'
            ? workerToken
            : o.auth === 'apiKey'
              ? OWNER_KEY
              : null;
    return s.raw(o.method, path, {
      auth,
      ...(opts.body === undefined ? {} : { body: opts.body }),
      ...(opts.headers === undefined ? {} : { headers: opts.headers }),
    });
  };
  const opById = (id: string): DocOperation => {
    const o = ops.find((x) => x.id === id);
    assert.ok(o, id);
    return o;
  };
  const keyOf = async (client: string, extra: Partial<CreateKeyOptions> = {}): Promise<string> => {
    const key = await s.newKey({ client, ...extra });
    clientIds.set(client, (await s.umbra.store.clients.findClientByName(client))?.id ?? '');
    return key;
  };

  before(async () => {
    s = await startTestServer({
      // Jobs wait for a remote worker, so nothing renders while the test runs and queued jobs stay queued.
      UMBRA_ENGINES: 'uni-1=remote,uni-1-max=remote,ray-3.2=remote',
      UMBRA_MAX_BODY_BYTES: String(MAX_BODY),
    });
    const res = await s.raw('GET', '/openapi.json', { auth: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    doc = (await res.json()) as ReturnType<typeof buildOpenApiDocument>;
    ops = docOperations(doc);
    adminKey = await keyOf('ops');
    await s.umbra.store.clients.updateClient(clientIds.get('ops') ?? '', { admin: true });
    await keyOf('acme', { balanceMicros: 0 });
    workerToken = (await createWorkerToken(s.umbra.store, { name: 'docs-test', models: null }, Date.now()))
      .token;
  });
  after(async () => {
    await s.stop();
  });

  it('is the document contract/ builds', () => {
    assert.deepEqual(doc, JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('documents every route the server registered, and no other', () => {
    const registered = new Set(
      s.umbra.routes
        // HEAD routes are Fastify's automatic twins of GET routes; OPTIONS /* answers CORS preflights.
        .filter((r) => !r.startsWith('HEAD ') && r !== 'OPTIONS /*')
        .map((r) => {
          const [method = '', path = ''] = r.split(' ');
          return `${method} ${normalise(path)}`;
        }),
    );
    const documented = new Set(ops.map((o) => `${o.method} ${normalise(o.path)}`));
    assert.deepEqual(
      [...registered].filter((r) => !documented.has(r)),
      [],
      'registered but not documented',
    );
    assert.deepEqual(
      [...documented].filter((r) => !registered.has(r)),
      [],
      'documented but not registered',
    );
  });

  it('accepts every documented request example with its documented success status', async () => {
    let sent = 0;
    for (const o of ops) {
      const content = ((o.op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const successes = Object.keys(o.op.responses as Json)
        .map(Number)
        .filter((n) => n >= 200 && n < 300);
      for (const [type, media] of Object.entries(content)) {
        for (const [name, example] of Object.entries((media.examples ?? {}) as Record<string, Json>)) {
          assert.equal(type, 'application/json', `${o.id} ${name}`);
          const res = await call(o, { body: example.value });
          const text = await res.text();
          assert.ok(successes.includes(res.status), `${o.id} example ${name}: ${res.status} ${text}`);
          sent++;
        }
      }
    }
    assert.ok(sent >= 8, `only ${sent} examples`);
  });

  it('produces every documented error, exactly, and the set produced is the set documented', async () => {
    const documented = new Set<string>();
    for (const o of ops) {
      for (const [status, res] of Object.entries(o.op.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue;
        const examples = ((res.content as Record<string, Json> | undefined)?.['application/json']?.examples ??
          {}) as Record<string, Json>;
        for (const e of Object.values(examples))
          documented.add(`${o.id} ${status} ${String((e.value as Json).detail)}`);
      }
    }

    const produced = new Set<string>();
    /** Sends, and checks the answer is exactly `{"detail": detail}` with `status`. */
    const expect = async (
      id: string,
      status: number,
      detail: string,
      res: Promise<Response>,
    ): Promise<void> => {
      const r = await res;
      const body = (await r.json()) as Json;
      assert.deepEqual([r.status, body.detail], [status, detail], `${id}: ${JSON.stringify(body)}`);
      produced.add(`${id} ${status} ${detail}`);
    };

    // Credentials and account states, on every route that takes them.
    const revoked = await keyOf('revoked-co');
    await s.umbra.store.clients.revokeKeys(revoked.slice(0, 17), Date.now());
    const expired = await keyOf('expired-co', { expiresAt: Date.now() - 60_000 });
    const suspended = await keyOf('suspended-co');
    await s.umbra.store.clients.updateClient(clientIds.get('suspended-co') ?? '', { status: 'suspended' });
    const deactivated = await keyOf('deactivated-co');
    await s.umbra.store.clients.updateClient(clientIds.get('deactivated-co') ?? '', {
      status: 'deactivated',
    });
    const unknownKey = `luma-api-${'x'.repeat(40)}`;
    for (const o of ops.filter((x) => x.auth === 'apiKey' || x.auth === 'adminKey')) {
      await expect(o.id, 401, 'Missing or invalid API key', call(o, { auth: null }));
      await expect(o.id, 401, 'Invalid API key', call(o, { auth: unknownKey }));
      await expect(o.id, 401, 'API key has been revoked', call(o, { auth: revoked }));
      await expect(o.id, 401, 'API key has expired', call(o, { auth: expired }));
      await expect(o.id, 403, 'API client is suspended', call(o, { auth: suspended }));
      await expect(o.id, 403, 'API client is deactivated', call(o, { auth: deactivated }));
    }
    for (const o of ops.filter((x) => x.auth === 'adminKey')) {
      const detail = "Admin access required: this key's client is not an admin";
      await expect(o.id, 403, detail, call(o, { auth: OWNER_KEY }));
    }
    for (const o of ops.filter((x) => x.auth === 'workerToken')) {
      const missing = 'Worker routes need a worker token (Authorization: Bearer umbra-wkr-…)';
      await expect(o.id, 401, missing, call(o, { auth: OWNER_KEY, body: {} }));
      await expect(
        o.id,
        401,
        'Invalid worker token',
        call(o, { auth: `umbra-wkr-${'x'.repeat(40)}`, body: {} }),
      );
    }

    // Bodies, on every route that reads JSON.
    for (const o of ops.filter((x) =>
      Object.hasOwn(((x.op.requestBody as Json | undefined)?.content ?? {}) as Json, 'application/json'),
    )) {
      const params = { name: 'acme' };
      await expect(o.id, 400, 'Request body is not valid JSON', call(o, { body: '{', params }));
      await expect(o.id, 400, 'Request body must be a JSON object', call(o, { body: '[]', params }));
      const big = JSON.stringify({ prompt: 'x'.repeat(MAX_BODY) });
      await expect(o.id, 413, 'Request body exceeds the size limit', call(o, { body: big, params }));
    }

    // POST /v1/generations.
    const create = opById('createGeneration');
    const gen = (body: unknown, auth?: string) =>
      call(create, auth === undefined ? { body } : { body, auth });
    const img = { url: 'https://images.example/a.png' };
    await expect(create.id, 400, 'prompt is required', gen({}));
    await expect(create.id, 400, 'Unknown model: ray-3.14', gen({ prompt: 'x', model: 'ray-3.14' }));
    await expect(
      create.id,
      400,
      "Type 'video' is not supported for model 'uni-1'",
      gen({ prompt: 'x', model: 'uni-1', type: 'video' }),
    );
    await expect(
      create.id,
      400,
      "Invalid aspect_ratio '21:9'. Valid: 1:1, 1:2, 1:3, 16:9, 2:1, 2:3, 3:1, 3:2, 9:16",
      gen({ prompt: 'x', aspect_ratio: '21:9' }),
    );
    await expect(create.id, 400, 'Prompt must be between 1 and 6000 characters', gen({ prompt: '' }));
    await expect(
      create.id,
      400,
      "source: provide either 'url' or 'data', not both",
      gen({ prompt: 'x', type: 'image_edit', source: { ...img, data: 'AAAA', media_type: 'image/png' } }),
    );
    await expect(
      create.id,
      400,
      "image_ref[0]: 'media_type' is required with 'data'",
      gen({ prompt: 'x', image_ref: [{ data: 'AAAA' }] }),
    );
    await expect(
      create.id,
      400,
      "source is required for type 'image_edit'",
      gen({ prompt: 'x', type: 'image_edit' }),
    );
    await expect(
      create.id,
      400,
      "source is only valid for type 'image_edit'",
      gen({ prompt: 'x', source: img }),
    );
    await expect(
      create.id,
      422,
      'video.exr_export requires video.hdr',
      gen({ prompt: 'x', type: 'video', video: { exr_export: true } }),
    );
    await expect(
      create.id,
      422,
      'source: invalid base64 data',
      gen({ prompt: 'x', type: 'image_edit', source: { data: '@@@@', media_type: 'image/png' } }),
    );
    const broke = await keyOf('broke-co', { balanceMicros: 0 });
    await expect(
      create.id,
      402,
      'Insufficient balance. Please add funds to continue.',
      gen({ prompt: 'x' }, broke),
    );
    const slow = await keyOf('rpm-co', { rpm: 1 });
    assert.equal((await gen({ prompt: 'x' }, slow)).status, 201);
    await expect(create.id, 429, 'Rate limit exceeded', gen({ prompt: 'x' }, slow));
    const busy = await keyOf('busy-co', { concurrency: 1 });
    assert.equal((await gen({ prompt: 'x' }, busy)).status, 201);
    await expect(create.id, 429, 'Too many concurrent jobs', gen({ prompt: 'x' }, busy));

    await expect(
      create.id,
      400,
      'Idempotency-Key: must be 1 to 255 printable ASCII characters',
      call(create, { body: { prompt: 'x' }, headers: { 'idempotency-key': 'k'.repeat(256) } }),
    );
    const once = { 'idempotency-key': `docs-${randomUUID()}` };
    assert.equal((await call(create, { body: { prompt: 'first' }, headers: once })).status, 201);
    await expect(
      create.id,
      422,
      'Idempotency-Key was already used with a different request body; use a new key for a new request',
      call(create, { body: { prompt: 'second' }, headers: once }),
    );

    // Another process holds the SQLite file's write lock: the write gives up within two seconds.
    const other = SqliteDb.open(join(s.dataDir, 'umbra.db'));
    try {
      other.raw.exec('BEGIN EXCLUSIVE');
      await expect(create.id, 503, 'database unavailable', gen({ prompt: 'x' }));
      other.raw.exec('ROLLBACK');
    } finally {
      other.close();
    }

    // Lists.
    for (const id of ['listGenerations', 'listFiles', 'listWebhookEndpoints']) {
      await expect(
        id,
        422,
        'limit: must be an integer between 1 and 100',
        call(opById(id), { query: '?limit=0' }),
      );
      await expect(id, 422, 'cursor: is not a valid cursor', call(opById(id), { query: '?cursor=nope' }));
    }
    await expect(
      'listGenerations',
      422,
      'state: must be one of: queued, processing, completed, failed',
      call(opById('listGenerations'), { query: '?state=done' }),
    );

    // One generation.
    for (const id of ['getGeneration', 'cancelGeneration', 'streamGenerationEvents']) {
      await expect(id, 404, 'Generation not found', call(opById(id)));
    }
    const queued = (await (await gen({ prompt: 'cancel me' })).json()) as { id: string };
    assert.equal((await call(opById('cancelGeneration'), { params: { id: queued.id } })).status, 200);
    await expect(
      'cancelGeneration',
      409,
      'Generation is already failed; only a queued or processing generation can be canceled',
      call(opById('cancelGeneration'), { params: { id: queued.id } }),
    );
    await expect(
      'streamGenerationEvents',
      400,
      'Last-Event-ID: must be the id of an event (a non-negative integer)',
      call(opById('streamGenerationEvents'), { headers: { 'last-event-id': 'soon' } }),
    );

    // Files.
    const createFile = opById('createFile');
    await expect(createFile.id, 422, 'mime_type is required', call(createFile, { body: {} }));
    await expect(
      createFile.id,
      422,
      'size_bytes: must be between 1 and 5368709120',
      call(createFile, { body: { mime_type: 'image/png', size_bytes: 0 } }),
    );
    for (const id of ['getFile', 'completeFile', 'deleteFile'])
      await expect(id, 404, 'File not found', call(opById(id)));
    const announced = (await (
      await call(createFile, { body: { mime_type: 'image/png', size_bytes: 10 } })
    ).json()) as { id: string };
    await expect(
      'completeFile',
      409,
      'File bytes have not been uploaded: PUT them to the upload URL first',
      call(opById('completeFile'), { params: { id: announced.id } }),
    );

    // Webhooks.
    const hook = opById('createWebhookEndpoint');
    await expect(hook.id, 422, 'url is required', call(hook, { body: {} }));
    await expect(
      hook.id,
      422,
      'url: must be an https URL',
      call(hook, { body: { url: 'http://93.184.215.14/x' } }),
    );
    await expect(
      hook.id,
      422,
      'url: must resolve to public addresses only',
      call(hook, { body: { url: 'https://127.0.0.1/x' } }),
    );
    await expect(
      hook.id,
      422,
      'url: host could not be resolved',
      call(hook, { body: { url: 'https://hooks.invalid/x' } }),
    );
    for (const id of [
      'getWebhookEndpoint',
      'deleteWebhookEndpoint',
      'listWebhookDeliveries',
      'retryWebhookDelivery',
    ]) {
      await expect(id, 404, 'Webhook endpoint not found', call(opById(id)));
    }
    const endpoint = (await (
      await call(hook, { body: { url: 'https://93.184.215.14/hooks/errors' } })
    ).json()) as { id: string };
    await expect(
      'retryWebhookDelivery',
      404,
      'Webhook delivery not found',
      call(opById('retryWebhookDelivery'), { params: { id: endpoint.id } }),
    );
    for (const q of ['?limit=0', '?cursor=nope']) {
      const detail =
        q === '?limit=0' ? 'limit: must be an integer between 1 and 100' : 'cursor: is not a valid cursor';
      await expect(
        'listWebhookDeliveries',
        422,
        detail,
        call(opById('listWebhookDeliveries'), { query: q, params: { id: endpoint.id } }),
      );
    }

    // Usage and admin.
    const emptyWindow = '?start=2026-04-02&end=2026-04-01';
    for (const id of ['getUsage', 'getClientUsage']) {
      await expect(id, 422, 'start: must be before end', call(opById(id), { query: emptyWindow }));
    }
    for (const id of ['getClient', 'updateClient', 'getClientUsage']) {
      await expect(
        id,
        404,
        'Client not found',
        call(opById(id), { params: { name: 'nobody' }, body: id === 'updateClient' ? {} : undefined }),
      );
    }
    await expect(
      'updateClient',
      422,
      "unknown field 'colour'; valid: status, admin, hdr_access, rpm_limit, concurrency_limit, balance_micros, add_balance_micros",
      call(opById('updateClient'), { body: { colour: 'red' } }),
    );

    // Workers.
    await expect(
      'claimJob',
      400,
      'protocol: this server speaks worker protocol 1, got 2',
      call(opById('claimJob'), { body: { protocol: 2, instance: 'x' } }),
    );
    for (const id of ['heartbeatJob', 'completeJob', 'failJob', 'releaseJob']) {
      await expect(
        id,
        400,
        'attempt: must be a positive integer',
        call(opById(id), { body: { lease: 'x', failure_code: 'generation_failed' } }),
      );
      await expect(
        id,
        409,
        'this lease was not issued to this worker token',
        call(opById(id), { body: { attempt: 1, lease: 'x', failure_code: 'generation_failed' } }),
      );
    }

    // Stored media.
    await expect(
      'getStoredFile',
      403,
      'Invalid signature',
      call(opById('getStoredFile'), { query: '?expires=9999999999&signature=nope' }),
    );
    await expect(
      'putUpload',
      403,
      'Invalid signature (the URL, or a Content-Type other than the one it was issued for)',
      call(opById('putUpload'), {
        query: '?expires=9999999999&max=10&signature=nope',
        body: 'bytes',
        headers: { 'content-type': 'image/png' },
      }),
    );

    const missing = [...documented].filter((d) => !produced.has(d));
    const undocumented = [...produced].filter((p) => !documented.has(p));
    assert.deepEqual(missing, [], 'documented but not produced');
    assert.deepEqual(undocumented, [], 'produced but not documented');
  });

  it('serves /docs and every asset it loads from this server, with no other host', async () => {
    const page = await s.raw('GET', '/docs', { auth: null });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    const html = await page.text();
    assert.doesNotMatch(html, /https?:|\/\//, 'the page names no other host');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(refs.length >= 4, refs.join(' '));
    const types: Record<string, RegExp> = {
      css: /^text\/css/,
      js: /^text\/javascript/,
      png: /^image\/png/,
    };
    const base = `${s.baseURL.replace(/\/v1$/, '')}/docs`;
    for (const ref of refs) {
      const url = new URL(ref, base);
      assert.equal(url.origin, new URL(base).origin, ref);
      const res = await fetch(url);
      assert.equal(res.status, 200, ref);
      const ext = ref.split('.').pop() ?? '';
      assert.match(res.headers.get('content-type') ?? '', types[ext] ?? /^$/, ref);
      const text = await res.text();
      assert.ok(text.length > 0, ref);
      if (ext === 'css') {
        assert.doesNotMatch(text, /@import/, ref);
        assert.deepEqual(
          [...text.matchAll(/url\(\s*["']?([^"')]+)/g)]
            .map((m) => m[1] ?? '')
            .filter((u) => !u.startsWith('data:')),
          [],
          `${ref} loads nothing but inline data`,
        );
      }
      if (ref.endsWith('init.js')) {
        assert.match(text, /url: 'openapi\.json'/);
        assert.match(text, /validatorUrl: null/);
      }
    }
    const other = await s.raw('GET', '/docs/assets/package.json', { auth: null });
    assert.equal(other.status, 404, 'only the page’s own files are served');
  });
});
