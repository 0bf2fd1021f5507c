// The client library's wire types are written by hand (it has no dependencies); this file fails to
// compile if they drift from the server's contract module, in either direction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Sdk from '@umbra/sdk';
import type * as Wire from './wire.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>): boolean => ok;

describe('SDK types match the contract module', () => {
  it('every wire type is identical in both directions', () => {
    assert.ok(same<Sdk.Model, Wire.Model>(true));
    assert.ok(same<Sdk.GenerationType, Wire.GenerationType>(true));
    assert.ok(same<Sdk.GenerationState, Wire.GenerationState>(true));
    assert.ok(same<Sdk.FailureCode, Wire.FailureCode>(true));
    assert.ok(same<Sdk.AspectRatio, Wire.AspectRatio>(true));
    assert.ok(same<Sdk.ImageRef, Wire.ImageRef>(true));
    assert.ok(same<Sdk.SourcePosition, Wire.SourcePosition>(true));
    assert.ok(same<Sdk.AdvancedControls, Wire.AdvancedControls>(true));
    assert.ok(same<Sdk.VideoEditOptions, Wire.VideoEditOptions>(true));
    assert.ok(same<Sdk.VideoOptions, Wire.VideoOptions>(true));
    assert.ok(same<Sdk.Generation, Wire.Generation>(true));
    assert.ok(same<Sdk.GenerationOutput, Wire.GenerationOutput>(true));
    // The request: the SDK's optional fields are the server's defaults (contract §2.7).
    assert.ok(same<Required<Sdk.GenerationCreateParams>['style'], Wire.GenerationRequest['style']>(true));
  });
});
