// The pure rules of the webhook routes: URL form and normalisation, event subsets, the list queries and
// cursors over delivery ids. (Whether a host resolves to public addresses is the address policy's, and is
// tested end to end.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { encodeCursor } from './list-query.js';
import {
  parseWebhookDeliveryListQuery,
  parseWebhookEndpointCreate,
  parseWebhookEndpointListQuery,
  readWebhookEvents,
} from './validate-webhook.js';

const PROD = { allowLoopbackHttp: false };
const refused = (fn: () => unknown, status: number, detail: string): void =>
  assert.throws(
    fn,
    (e: unknown) => e instanceof ApiError && e.status === status && e.detail === detail,
    detail,
  );

describe('webhook validation', () => {
  it('takes an https URL, normalised and without its fragment, and defaults the events', () => {
    assert.deepEqual(
      parseWebhookEndpointCreate({ url: 'HTTPS://Hooks.Example.com:8443/a b?x=1#frag' }, PROD),
      {
        url: 'https://hooks.example.com:8443/a%20b?x=1',
        events: ['generation.completed', 'generation.failed'],
      },
    );
    assert.deepEqual(
      parseWebhookEndpointCreate({ url: 'https://h.example/', events: null, extra: 1 }, PROD).events,
      ['generation.completed', 'generation.failed'],
    );
  });

  it('admits http only under the test-only loopback setting (the address policy then wants loopback)', () => {
    refused(
      () => parseWebhookEndpointCreate({ url: 'http://127.0.0.1:9/x' }, PROD),
      422,
      'url: must be an https URL',
    );
    assert.equal(
      parseWebhookEndpointCreate({ url: 'http://127.0.0.1:9/x' }, { allowLoopbackHttp: true }).url,
      'http://127.0.0.1:9/x',
    );
  });

  it('refuses bodies and URLs with the documented statuses and details', () => {
    refused(() => parseWebhookEndpointCreate(null, PROD), 400, 'Request body must be a JSON object');
    refused(() => parseWebhookEndpointCreate({ url: null }, PROD), 422, 'url is required');
    refused(() => parseWebhookEndpointCreate({ url: ['x'] }, PROD), 422, 'url: must be a string');
    refused(
      () => parseWebhookEndpointCreate({ url: '/relative' }, PROD),
      422,
      'url: must be an absolute URL',
    );
    refused(
      () => parseWebhookEndpointCreate({ url: 'mailto:a@b.c' }, PROD),
      422,
      'url: must be an https URL',
    );
    refused(
      () => parseWebhookEndpointCreate({ url: 'https://u@h.example/' }, PROD),
      422,
      'url: must not contain credentials',
    );
    refused(
      () => parseWebhookEndpointCreate({ url: `https://h.example/${'x'.repeat(2040)}` }, PROD),
      422,
      'url: must be at most 2048 characters',
    );
  });

  it('reads events as a non-empty subset, deduplicated, in lifecycle order', () => {
    assert.deepEqual(readWebhookEvents(['generation.failed', 'generation.processing', 'generation.failed']), [
      'generation.processing',
      'generation.failed',
    ]);
    refused(() => readWebhookEvents([]), 422, 'events: must name at least one event type');
    refused(() => readWebhookEvents({}), 422, 'events: must be an array of event types');
    refused(
      () => readWebhookEvents(['generation.completed', 7]),
      422,
      'events[1]: must be one of: generation.processing, generation.completed, generation.failed',
    );
  });

  it('reads the list queries; delivery cursors carry delivery ids, endpoint cursors UUIDs', () => {
    const endpoint = '6f0c2d9e-1b2a-4c3d-8e4f-5a6b7c8d9e0f';
    const delivery = `msg_1042_${endpoint}`;
    const cursor = encodeCursor({ createdAt: 1_700_000_000_123, id: delivery });
    assert.deepEqual(parseWebhookDeliveryListQuery({ cursor, state: 'dead', limit: '10' }), {
      limit: 10,
      after: { createdAt: 1_700_000_000_123, id: delivery },
      state: 'dead',
    });
    assert.deepEqual(parseWebhookDeliveryListQuery(undefined), { limit: 25, after: null, state: null });
    refused(() => parseWebhookEndpointListQuery({ cursor }), 422, 'cursor: is not a valid cursor');
    const byEndpoint = encodeCursor({ createdAt: 5, id: endpoint });
    assert.deepEqual(parseWebhookEndpointListQuery({ cursor: byEndpoint }).after, {
      createdAt: 5,
      id: endpoint,
    });
    refused(
      () => parseWebhookDeliveryListQuery({ cursor: byEndpoint }),
      422,
      'cursor: is not a valid cursor',
    );
    refused(
      () => parseWebhookDeliveryListQuery({ state: 'lost' }),
      422,
      'state: must be one of: pending, delivered, dead',
    );
  });
});
