// A loopback HTTP server for unit tests: answers from a script, one step per request, and records what
// it received. Steps can also hang, or drop the connection to simulate network failures.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes, for binary uploads and multipart forms. */
  raw: Buffer;
}

export type Step =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { drop: true }
  | { hang: true }
  | ((req: Received, res: ServerResponse) => void);

export interface ScriptedServer {
  /** http://127.0.0.1:PORT/v1 */
  baseURL: string;
  origin: string;
  received: Received[];
  /** Steps still to play; the last one repeats when the script runs out. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const received: Received[] = [];
  let steps: Step[] = [];
  const play = (step: Step, req: Received, res: ServerResponse): void => {
    if (typeof step === 'function') return step(req, res);
    if ('drop' in step) {
      res.socket?.destroy();
      return;
    }
    if ('hang' in step) return;
    const text =
      step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(text);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw.toString('utf8'),
        raw,
      };
      received.push(r);
      const step = steps.length > 1 ? steps.shift() : steps[0];
      if (step === undefined) {
        res.writeHead(500).end('{"detail":"no script"}');
        return;
      }
      play(step, r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseURL: `${origin}/v1`,
    origin,
    received,
    script(...s) {
      steps = s;
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A generation in the given state, as the API would return it. */
export function generation(
  state: 'queued' | 'processing' | 'completed' | 'failed',
  extra: object = {},
): object {
  return {
    id: '5b0c6a0e-8a53-4a55-9d35-2a1a4f6b1c11',
    type: 'image',
    state,
    model: 'uni-1',
    created_at: '2026-04-08T12:00:00Z',
    output: [],
    failure_reason: null,
    failure_code: null,
    ...extra,
  };
}

/** A file in the given state, as the Files API would return it. */
export function fileObject(state: 'pending' | 'ready' | 'failed' | 'deleted', extra: object = {}): object {
  return {
    id: '0f1e2d3c-4b5a-4697-8877-665544332211',
    created_at: '2026-04-08T12:00:00Z',
    mime_type: 'image/png',
    purpose: 'input',
    size_bytes: 64,
    state,
    deleted_at: null,
    expires_at: null,
    failure_reason: null,
    filename: null,
    user_id: null,
    ...extra,
  };
}
