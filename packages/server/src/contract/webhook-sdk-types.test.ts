// The client library's webhook types are written by hand; this file fails to compile if they drift from
// the contract module in either direction (the method of sdk-types.test.ts, kept apart per surface).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Sdk from '@umbra/sdk';
import type * as Wire from './webhook.wire.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>): boolean => ok;
/** Every `From` fits `To`, and both name exactly the same members. */
type Fits<From, To> = [From] extends [To] ? Same<keyof From, keyof To> : false;
const fits = <From, To>(ok: Fits<From, To>): boolean => ok;

describe('SDK webhook types match the contract module', () => {
  it('the vocabulary, the objects and the event are identical in both directions', () => {
    assert.ok(same<Sdk.WebhookEventType, Wire.WebhookEventType>(true));
    assert.ok(same<Sdk.WebhookDeliveryState, Wire.WebhookDeliveryState>(true));
    assert.ok(same<Sdk.WebhookEndpoint, Wire.WebhookEndpoint>(true));
    assert.ok(same<Sdk.CreatedWebhookEndpoint, Wire.CreatedWebhookEndpoint>(true));
    assert.ok(same<Sdk.WebhookAttempt, Wire.WebhookAttempt>(true));
    assert.ok(same<Sdk.WebhookDelivery, Wire.WebhookDelivery>(true));
    assert.ok(same<Sdk.WebhookEvent, Wire.WebhookEvent>(true));
  });

  it('pages fit the SDK (which lets next_cursor be absent), and what the SDK sends is what the server reads', () => {
    assert.ok(fits<Wire.WebhookEndpointList, Sdk.WebhookEndpointList>(true));
    assert.ok(fits<Wire.WebhookDeliveryList, Sdk.WebhookDeliveryList>(true));
    assert.ok(same<Sdk.WebhookEndpointCreateParams, Wire.WebhookEndpointCreateParams>(true));
    assert.ok(same<Sdk.WebhookEndpointListParams, Wire.WebhookEndpointListParams>(true));
    assert.ok(same<Sdk.WebhookDeliveryListParams, Wire.WebhookDeliveryListParams>(true));
  });
});
