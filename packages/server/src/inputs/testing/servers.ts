// Loopback-only HTTP(S) servers for fetch tests. Nothing here ever listens on or connects to anything but
// 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** Requests received so far (method, url, host header). */
  hits: { url: string; host: string | undefined }[];
  close(): Promise<void>;
}

/** Request handler of a test server. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(server: http.Server | https.Server, scheme: string, hits: TestServer['hits']) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts a plain HTTP server on 127.0.0.1. */
export async function startHttp(handler: Handler): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  const server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? '', host: req.headers.host });
    handler(req, res);
  });
  return listen(server, 'http', hits);
}

/** A throwaway self-signed certificate for 127.0.0.1 / localhost. */
export interface TestCert {
  key: string;
  cert: string;
}

/** Makes a self-signed certificate with the system `openssl`, or returns null when there is none. */
export function makeCert(): TestCert | null {
  const dir = mkdtempSync(join(tmpdir(), 'umbra-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts an HTTPS server on 127.0.0.1 with `cert`. */
export async function startHttps(cert: TestCert, handler: Handler): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    hits.push({ url: req.url ?? '', host: req.headers.host });
    handler(req, res);
  });
  return listen(server, 'https', hits);
}
