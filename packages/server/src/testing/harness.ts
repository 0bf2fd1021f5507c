// Test helpers: a real Umbra (HTTP server + worker + SQLite file or PostgreSQL) on a temp data dir and
// an ephemeral loopback port, driven through the real client library.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Umbra } from '@umbra/sdk';
import { loadConfig } from '../config.js';
import type { Config } from '../config.js';
import { silentLogger } from '../log.js';
import type { RunningUmbra } from '../main.js';
import { startUmbra } from '../main.js';
import { createKeyForClient } from '../policy/key-admin.js';
import type { CreateKeyOptions } from '../policy/key-admin.js';

export const OWNER_KEY = 'luma-api-test-owner-key-0123456789';

/** The keys of a generation on the wire, in the documented order (contract §3.1), spelled out for assertions. */
export const GENERATION_KEYS = [
  'id',
  'type',
  'state',
  'model',
  'created_at',
  'output',
  'failure_reason',
  'failure_code',
];

export interface TestServer {
  umbra: RunningUmbra;
  config: Config;
  /** http://127.0.0.1:PORT/v1 */
  baseURL: string;
  /** SDK client authenticated as the default (owner) client. */
  client: Umbra;
  dataDir: string;
  /** A new key for a (new) client, with contract-default limits unless given. */
  newKey(o: Partial<CreateKeyOptions> & { client: string }): Promise<string>;
  /** A client library for another key. */
  clientFor(key: string): Umbra;
  /** Raw HTTP against the API, with the owner key unless `auth` is given (null = none). */
  raw(
    method: string,
    path: string,
    o?: { body?: unknown; auth?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-test-'));
  const config = loadConfig(
    { port: 0, host: '127.0.0.1', dataDir },
    {
      UMBRA_API_KEY: OWNER_KEY,
      UMBRA_LOG_LEVEL: 'silent',
      UMBRA_POLL_MS: '20',
      UMBRA_CONCURRENCY: '2',
      ...env,
    },
  );
  const umbra = await startUmbra(config, silentLogger);
  const baseURL = umbra.apiUrl ?? '';
  const clientFor = (key: string): Umbra =>
    new Umbra({ apiKey: key, baseURL, maxRetries: 0, timeout: 30_000 });
  return {
    umbra,
    config,
    baseURL,
    dataDir,
    client: clientFor(OWNER_KEY),
    clientFor,
    async newKey(o) {
      const created = await createKeyForClient(umbra.store, { hdr: false, ...o }, Date.now());
      return created.key;
    },
    raw(method, path, o = {}) {
      const auth = o.auth === undefined ? OWNER_KEY : o.auth;
      const headers: Record<string, string> = { ...o.headers };
      if (auth !== null) headers.authorization = `Bearer ${auth}`;
      if (o.body !== undefined) headers['content-type'] ??= 'application/json';
      return fetch(`${baseURL.replace(/\/v1$/, '')}${path}`, {
        method,
        headers,
        body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
      });
    },
    async stop() {
      await umbra.stop(200);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A loopback HTTP server for input URLs; returns its origin. */
export async function startFixtureServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
