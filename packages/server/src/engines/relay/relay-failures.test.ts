import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIConnectionError, errorForStatus } from '@umbra/sdk';
import { EngineFailure } from '../engine.js';
import { failedUpstream, retryIn, upstreamFailure } from './relay-failures.js';
import { outputContentType, outputKind } from './relay-outputs.js';
import { pollProgress } from './relay.engine.js';

const status = (s: number, headers: Record<string, string> = {}, detail = 'nope') =>
  errorForStatus(s, detail, new Headers(headers), { detail });
const ORIGIN = 'https://up.example';

describe('relay retries', () => {
  it('retries network errors, 429 and 5xx within the window, with backoff', () => {
    const net = new APIConnectionError('Connection error: fetch failed');
    const first = retryIn(net, 0, 0, 60_000);
    assert.ok(first !== null && first > 0 && first <= 500);
    assert.ok((retryIn(status(503), 3, 0, 60_000) ?? 0) > 2000);
    assert.ok(retryIn(status(429), 0, 0, 60_000) !== null);
    // The last wait is cut to what is left of the window; then the call gives up.
    assert.equal(retryIn(net, 10, 59_900, 60_000), 100);
    assert.equal(retryIn(net, 0, 60_000, 60_000), null);
    assert.equal(retryIn(net, 0, 0, 0), null);
  });

  it('honours Retry-After, and gives up when it points past the window', () => {
    assert.equal(retryIn(status(429, { 'retry-after': '3' }), 0, 0, 60_000), 3000);
    assert.equal(retryIn(status(503, { 'retry-after-ms': '250' }), 5, 0, 60_000), 250);
    assert.equal(retryIn(status(429, { 'retry-after': '30' }), 0, 40_000, 60_000), null);
  });

  it('does not retry other answers, nor what x-should-retry forbids', () => {
    for (const s of [400, 401, 402, 403, 404, 422])
      assert.equal(retryIn(status(s), 0, 0, 60_000), null, `${s}`);
    assert.equal(retryIn(status(503, { 'x-should-retry': 'false' }), 0, 0, 60_000), null);
    assert.equal(retryIn(new Error('disk full'), 0, 0, 60_000), null);
  });
});

describe('relay failures', () => {
  const check = (f: EngineFailure, code: string, reason: RegExp, retryable = false): void => {
    assert.ok(f instanceof EngineFailure);
    assert.equal(f.code, code);
    assert.match(f.message, reason);
    assert.equal(f.retryable, retryable);
  };

  it('names the upstream in every reason it writes', () => {
    const net = new APIConnectionError('Connection error: fetch failed: connect ECONNREFUSED');
    check(
      upstreamFailure(net, 'poll', ORIGIN),
      'generation_failed',
      /^upstream https:\/\/up\.example unreachable: Connection error: fetch failed: connect ECONNREFUSED$/,
    );
    check(
      upstreamFailure(status(502), 'poll', ORIGIN),
      'generation_failed',
      /^upstream .* answered \(502\): nope/,
    );
    check(
      upstreamFailure(status(404), 'poll', ORIGIN),
      'generation_failed',
      /no longer knows the generation/,
    );
  });

  it('maps the answers to a create', () => {
    check(
      upstreamFailure(status(422, {}, 'source: generation not found'), 'create', ORIGIN),
      'invalid_request',
      /^upstream https:\/\/up\.example rejected the request \(422\): source: generation not found$/,
    );
    check(upstreamFailure(status(400), 'create', ORIGIN), 'invalid_request', /rejected the request \(400\)/);
    check(upstreamFailure(status(413), 'create', ORIGIN), 'invalid_request', /\(413\)/);
    check(
      upstreamFailure(status(401), 'create', ORIGIN),
      'generation_failed',
      /refused the relay's API key \(401\)/,
    );
    check(upstreamFailure(status(402), 'create', ORIGIN), 'budget_exhausted', /out of credits \(402\)/);
    // Nothing was created upstream, so the queue may try the job again later.
    check(
      upstreamFailure(status(429), 'create', ORIGIN),
      'rate_limited',
      /throttling requests \(429\)/,
      true,
    );
    check(upstreamFailure(status(429), 'poll', ORIGIN), 'rate_limited', /throttling/, false);
  });

  it('maps a failed download to output_not_found', () => {
    check(
      upstreamFailure(status(403), 'download', ORIGIN),
      'output_not_found',
      /refused an output download \(403\)/,
    );
    check(upstreamFailure(status(404), 'download', ORIGIN), 'output_not_found', /output download \(404\)/);
  });

  it("passes an upstream job's failure code and reason through unchanged", () => {
    check(
      failedUpstream({ failure_code: 'corrupt_input', failure_reason: 'source: image could not be decoded' }),
      'corrupt_input',
      /^source: image could not be decoded$/,
    );
    check(
      failedUpstream({ failure_code: 'content_moderated', failure_reason: null }),
      'content_moderated',
      /flagged/,
    );
    const unknown = { failure_code: 'melted', failure_reason: 'the GPU melted' } as unknown as Parameters<
      typeof failedUpstream
    >[0];
    check(failedUpstream(unknown), 'generation_failed', /^the GPU melted \(melted\)$/);
    check(
      failedUpstream({ failure_code: null, failure_reason: null }),
      'generation_failed',
      /^Generation failed$/,
    );
  });
});

describe('relay outputs and progress', () => {
  it('judges a downloaded output by its first bytes, then by the header, then by its kind', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    assert.equal(outputContentType('image', png, 'application/octet-stream'), 'image/png');
    assert.equal(outputContentType('image', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]), null), 'image/jpeg');
    const mp4 = Buffer.from('\0\0\0\x18ftypisom\0\0\0\0', 'latin1');
    assert.equal(outputContentType('video', mp4, null), 'video/mp4');
    assert.equal(outputContentType('exr', Buffer.from('PK\x03\x04rest', 'latin1'), null), 'application/zip');
    assert.equal(outputContentType('image', new Uint8Array(4), 'image/webp; q=1'), 'image/webp');
    assert.equal(outputContentType('video', new Uint8Array(0), null), 'video/mp4');
    assert.deepEqual(['image', 'video', 'exr', 'mesh'].map(outputKind), ['image', 'video', 'exr', null]);
  });

  it('rises from 0.1 towards 0.9 while the upstream works', () => {
    assert.equal(pollProgress(0, 15_000), 0.1);
    const later = [1000, 10_000, 60_000, 120_000].map((t) => pollProgress(t, 15_000));
    assert.ok(later.every((p, i) => p > (later[i - 1] ?? 0.1) && p < 0.9));
  });
});
