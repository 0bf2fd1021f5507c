// The client library's wire types are written by hand (it has no dependencies); this file fails to
// compile if they drift from the server's contract module, in either direction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Sdk from '@umbra/sdk';
import type * as AdminWire from './client-admin.wire.js';
import type * as OpsWire from './operations.wire.js';
import type * as FileWire from './file.wire.js';
import type * as UsageWire from './usage.wire.js';
import type * as Live from './live-progress.js';
import type * as Wire from './wire.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>): boolean => ok;

/**
 * One way, for types the two sides spell differently on purpose: every `From` fits `To`, and both name
 * exactly the same members (assignability alone would let `From` carry members `To` has never heard of,
 * e.g. a field the server sends that the SDK does not type).
 */
type Fits<From, To> = [From] extends [To] ? Same<keyof From, keyof To> : false;
const fits = <From, To>(ok: Fits<From, To>): boolean => ok;

describe('SDK types match the contract module', () => {
  it('every wire type is identical in both directions', () => {
    assert.ok(same<Sdk.Model, Wire.Model>(true));
    assert.ok(same<Sdk.GenerationType, Wire.GenerationType>(true));
    assert.ok(same<Sdk.GenerationState, Wire.GenerationState>(true));
    assert.ok(same<Sdk.FailureCode, Wire.FailureCode>(true));
    assert.ok(same<Sdk.AspectRatio, Wire.AspectRatio>(true));
    assert.ok(same<Sdk.OutputFormat, Wire.OutputFormat>(true));
    assert.ok(same<Sdk.Style, Wire.Style>(true));
    assert.ok(same<Sdk.Resolution, Wire.Resolution>(true));
    assert.ok(same<Sdk.Duration, Wire.Duration>(true));
    assert.ok(same<Sdk.EditStrength, Wire.EditStrength>(true));
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

  // The generations list (issue 11): the server always sends `next_cursor`, the SDK lets it be absent.
  it('Generations list: the page fits the SDK, and what the SDK sends fits the server', () => {
    assert.ok(fits<Wire.GenerationList, Sdk.GenerationList>(true));
    assert.ok(same<Wire.GenerationList['data'][number], Sdk.GenerationList['data'][number]>(true));
    assert.ok(same<Sdk.GenerationListParams, Wire.GenerationListParams>(true));
  });

  // Live progress (issue 11): what the event stream sends is what the SDK yields, member for member.
  it('the event stream: every message type is identical in both directions', () => {
    assert.ok(same<Sdk.GenerationStreamEventType, Live.GenerationStreamEventType>(true));
    assert.ok(same<Sdk.GenerationStreamEvent, Live.GenerationStreamEvent>(true));
    assert.ok(same<Sdk.QueuePositionStreamEvent, Live.QueuePositionStreamEvent>(true));
    assert.ok(same<Sdk.GenerationStreamMessage, Live.GenerationStreamMessage>(true));
  });

  // The Files API (contract, Files API "Objects"). The SDK types follow the spec, where the optional members of
  // a File may be absent; the server always sends them, as `T | null`. So the check is one way: what the
  // server answers fits the SDK's type, and what the SDK sends fits what the server accepts.
  it('the one-way check catches a member missing on either side, and a type that does not fit', () => {
    assert.ok(fits<{ a: string | null }, { a?: string | null }>(true));
    assert.equal(fits<{ a: string | null; sent: null }, { a?: string | null }>(false), false);
    assert.equal(fits<{ a: string | null }, { a?: string | null; typed?: string }>(false), false);
    assert.equal(fits<{ a: number | null }, { a?: string | null }>(false), false);
  });

  it('Files API: the vocabulary is identical', () => {
    assert.ok(same<Sdk.FileState, FileWire.FileState>(true));
    assert.ok(same<Sdk.FilePurpose, FileWire.FilePurpose>(true));
    assert.ok(same<Sdk.ImageRef['file_id'], Wire.ImageRef['file_id']>(true));
  });

  it('Files API: every answer of the server fits the SDK type, member for member', () => {
    assert.ok(fits<FileWire.FileObject, Sdk.FileObject>(true));
    assert.ok(fits<FileWire.PresignedUpload, Sdk.PresignedUpload>(true));
    assert.ok(fits<FileWire.CreateFileResponse, Sdk.CreateFileResponse>(true));
    assert.ok(fits<FileWire.FileList, Sdk.FileList>(true));
    assert.ok(fits<FileWire.FileList['data'][number], Sdk.FileList['data'][number]>(true));
  });

  it('Files API: what the SDK sends fits what the server accepts', () => {
    assert.ok(fits<Sdk.FileCreateParams, FileWire.FileCreateParams>(true));
    // Multipart mode sends the same members as form fields, plus the bytes.
    assert.ok(fits<Omit<Sdk.FileCreateInlineParams, 'file'>, Partial<FileWire.FileCreateParams>>(true));
  });

  // Usage and the admin API (issue 12): both sides spell every member alike, so the check is two-way.
  it('Usage: the report and the query are identical on both sides', () => {
    assert.ok(same<Sdk.UsageGroupBy, UsageWire.UsageGroupBy>(true));
    assert.ok(same<Sdk.UsageParams, UsageWire.UsageParams>(true));
    // Members that are all optional are assignable both ways whatever their names: compare the names too.
    assert.ok(same<keyof Sdk.UsageParams, keyof UsageWire.UsageParams>(true));
    assert.ok(same<Sdk.UsageReport, UsageWire.UsageReport>(true));
    assert.ok(same<Sdk.UsageGroup, UsageWire.UsageGroup>(true));
    assert.ok(same<Sdk.UsageFigures, UsageWire.UsageFigures>(true));
    assert.ok(same<Sdk.UsageCounts, UsageWire.UsageCounts>(true));
    assert.ok(same<keyof Sdk.UsageCounts, keyof UsageWire.UsageCounts>(true));
  });

  it('Admin API: clients, the list and the change are identical on both sides', () => {
    assert.ok(same<Sdk.ClientStatus, AdminWire.ClientStatus>(true));
    assert.ok(same<Sdk.AdminClient, AdminWire.AdminClient>(true));
    assert.ok(same<Sdk.AdminClientList, AdminWire.AdminClientList>(true));
    assert.ok(same<Sdk.AdminQueue, OpsWire.AdminQueue>(true));
    assert.ok(same<Sdk.AdminWorkerList, OpsWire.AdminWorkerList>(true));
    assert.ok(same<Sdk.AdminClientUpdateParams, AdminWire.AdminClientUpdateParams>(true));
    assert.ok(same<keyof Sdk.AdminClientUpdateParams, keyof AdminWire.AdminClientUpdateParams>(true));
  });
});
