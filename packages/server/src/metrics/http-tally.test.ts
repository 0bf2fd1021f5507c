// The hand-tallied HTTP families (issue 15) write exactly what prom-client writes for the same requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { HttpTally } from './http-tally.js';

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const REQUESTS = { name: 'umbra_http_requests_total', help: 'HTTP requests answered, by "method".' };
const SECONDS = { name: 'umbra_http_request_duration_seconds', help: 'Time to answer\\n, by route.' };

/** prom-client's text for the same two families, from one registry holding only them. */
function promClient(): {
  record: (method: string, route: string, status: number, seconds: number) => void;
  text: () => Promise<string>;
} {
  const registry = new Registry();
  const registers = [registry];
  const c = new Counter({ ...REQUESTS, labelNames: ['method', 'route', 'status'], registers });
  const h = new Histogram({ ...SECONDS, labelNames: ['method', 'route'], buckets: BOUNDS, registers });
  return {
    record: (method, route, status, seconds) => {
      c.inc({ method, route, status: String(status) });
      h.observe({ method, route }, seconds);
    },
    text: () => registry.metrics(),
  };
}

/** The lines of a family text, HELP and TYPE lines in place and samples sorted (series order may differ). */
const normalised = (text: string): string[][] =>
  text
    .trim()
    .split('\n\n')
    .map((family) => {
      const [help = '', type = '', ...samples] = family.split('\n');
      return [help, type, ...samples.sort()];
    });

describe('HttpTally', () => {
  it('writes what prom-client writes for the same requests, label escaping and bucket edges included', async () => {
    const tally = new HttpTally(REQUESTS, SECONDS, BOUNDS);
    const reference = promClient();
    const routes = [
      '/v1/generations/:id',
      '/v1/generations',
      'unmatched',
      'a "quoted"\\ route\nwith a newline',
    ];
    const methods = ['GET', 'POST', 'OPTIONS'];
    const statuses = [200, 201, 404, 503];
    const seconds = [0, 0.0001, 0.005, 0.0050001, 0.25, 1, 29.9, 30, 31, 1e6];
    let x = 12345;
    const pick = <T>(xs: readonly T[]): T => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return xs[x % xs.length]!;
    };
    for (let i = 0; i < 2000; i++) {
      const r = [pick(methods), pick(routes), pick(statuses), pick(seconds)] as const;
      tally.record(...r);
      reference.record(...r);
    }
    assert.deepEqual(normalised(tally.exposition()), normalised(await reference.text()));
  });

  it('with no requests yet writes each family with its HELP and TYPE only, as prom-client does', async () => {
    assert.deepEqual(
      normalised(new HttpTally(REQUESTS, SECONDS, BOUNDS).exposition()),
      normalised(await promClient().text()),
    );
  });

  it('counts a request whose duration is not finite, with a duration of 0', () => {
    const tally = new HttpTally(REQUESTS, SECONDS, BOUNDS);
    tally.record('GET', '/x', 200, Number.NaN);
    const text = tally.exposition();
    assert.match(text, /^umbra_http_requests_total\{method="GET",route="\/x",status="200"\} 1$/m);
    assert.match(text, /^umbra_http_request_duration_seconds_sum\{method="GET",route="\/x"\} 0$/m);
    assert.match(
      text,
      /^umbra_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/x"\} 1$/m,
    );
  });
});
