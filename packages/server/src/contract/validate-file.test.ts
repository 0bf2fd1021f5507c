// Table-driven tests of the Files API validators: one case per rule, each citing its section of
// the Files API contract (the meta-test at the end checks that every case does).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { MAX_FILE_BYTES, type FileCreateRequest, type FileListQuery } from './file.wire.js';
import { encodeCursor } from './list-query.js';
import { parseFileCreateForm, parseFileCreateJson, parseFileListQuery } from './validate-file.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const UUID = '6f1d9a52-3c1e-4b8e-9d2a-1f0e5c7b8a90';
const OBJ = '§Objects FileCreateParams';
const MODES = '§Two upload modes';
const LIST = '§Objects FileList';

type Body = Record<string, unknown>;
const json = (extra: Body = {}): Body => ({ mime_type: 'video/mp4', size_bytes: 1000, ...extra });
const form = (extra: Record<string, string> = {}): Map<string, string> =>
  new Map(Object.entries({ mime_type: 'image/png', ...extra }));

interface Case<I> {
  id: string;
  what: string;
  input: I;
  /** A rejection (status and detail), or checks on the result. */
  expect: { status: 400 | 422; detail: string } | ((r: FileCreateRequest & FileListQuery) => void);
}

// One case per line reads as a table.
// prettier-ignore
const jsonCases: Case<unknown>[] = [
  { id: MODES, what: 'array body', input: [], expect: { status: 400, detail: 'Request body must be a JSON object' } },
  { id: MODES, what: 'null body', input: null, expect: { status: 400, detail: 'Request body must be a JSON object' } },
  { id: OBJ, what: 'missing mime_type', input: { size_bytes: 1 }, expect: { status: 422, detail: 'mime_type is required' } },
  { id: OBJ, what: 'numeric mime_type', input: json({ mime_type: 3 }), expect: { status: 422, detail: 'mime_type: must be a string' } },
  { id: OBJ, what: 'mime_type no input can use', input: json({ mime_type: 'application/pdf' }), expect: { status: 422, detail: 'mime_type: must be one of: image/png, image/jpeg, image/webp, image/gif, video/mp4, video/quicktime, video/webm' } },
  { id: OBJ, what: 'mime_type with parameters and upper case is normalised', input: json({ mime_type: 'Video/MP4; codecs="avc1"' }), expect: (r) => assert.equal(r.mime_type, 'video/mp4') },
  { id: OBJ, what: 'image/jpg alias', input: json({ mime_type: 'image/jpg' }), expect: (r) => assert.equal(r.mime_type, 'image/jpeg') },
  { id: OBJ, what: 'missing size_bytes', input: { mime_type: 'image/png' }, expect: { status: 422, detail: 'size_bytes is required' } },
  { id: OBJ, what: 'string size_bytes', input: json({ size_bytes: '10' }), expect: { status: 422, detail: 'size_bytes: must be an integer' } },
  { id: OBJ, what: 'fractional size_bytes', input: json({ size_bytes: 1.5 }), expect: { status: 422, detail: 'size_bytes: must be an integer' } },
  { id: OBJ, what: 'zero size_bytes', input: json({ size_bytes: 0 }), expect: { status: 422, detail: `size_bytes: must be between 1 and ${MAX_FILE_BYTES}` } },
  { id: OBJ, what: 'size_bytes over 5 GiB', input: json({ size_bytes: MAX_FILE_BYTES + 1 }), expect: { status: 422, detail: `size_bytes: must be between 1 and ${MAX_FILE_BYTES}` } },
  { id: OBJ, what: 'size_bytes of exactly 5 GiB', input: json({ size_bytes: MAX_FILE_BYTES }), expect: (r) => assert.equal(r.size_bytes, MAX_FILE_BYTES) },
  { id: OBJ, what: 'unknown purpose', input: json({ purpose: 'style' }), expect: { status: 422, detail: 'purpose: must be one of: input, reference' } },
  { id: OBJ, what: 'purpose defaults to input', input: json(), expect: (r) => assert.equal(r.purpose, 'input') },
  { id: OBJ, what: 'purpose reference', input: json({ purpose: 'reference' }), expect: (r) => assert.equal(r.purpose, 'reference') },
  { id: OBJ, what: 'numeric filename', input: json({ filename: 1 }), expect: { status: 422, detail: 'filename: must be a string' } },
  { id: OBJ, what: 'filename over 255 characters', input: json({ filename: 'a'.repeat(256) }), expect: { status: 422, detail: 'filename: must be at most 255 characters' } },
  { id: OBJ, what: 'user_id over 256 characters', input: json({ user_id: 'u'.repeat(257) }), expect: { status: 422, detail: 'user_id: must be at most 256 characters' } },
  { id: OBJ, what: 'user_id counted in code points', input: json({ user_id: '😀'.repeat(256) }), expect: (r) => assert.equal(r.user_id, '😀'.repeat(256)) },
  { id: OBJ, what: 'expires_at not a string', input: json({ expires_at: 1 }), expect: { status: 422, detail: 'expires_at: must be a string' } },
  { id: OBJ, what: 'expires_at without a time zone', input: json({ expires_at: '2026-06-01T00:00:00' }), expect: { status: 422, detail: 'expires_at: must be an ISO-8601 date-time with a time zone' } },
  { id: OBJ, what: 'expires_at not a date', input: json({ expires_at: 'tomorrow' }), expect: { status: 422, detail: 'expires_at: must be an ISO-8601 date-time with a time zone' } },
  { id: OBJ, what: 'expires_at in the past', input: json({ expires_at: '2026-05-01T11:59:59Z' }), expect: { status: 422, detail: 'expires_at: must be in the future' } },
  { id: OBJ, what: 'expires_at with an offset', input: json({ expires_at: '2026-05-01T14:00:01+02:00' }), expect: (r) => assert.equal(r.expires_at, NOW + 1000) },
  { id: OBJ, what: 'nulls mean absent, unknown members are ignored', input: json({ purpose: null, filename: null, user_id: null, expires_at: null, extra: 1 }), expect: (r) => assert.deepEqual(r, { mime_type: 'video/mp4', size_bytes: 1000, purpose: 'input', filename: null, user_id: null, expires_at: null }) },
  { id: OBJ, what: 'every field', input: json({ purpose: 'reference', filename: 'clip.mp4', user_id: 'u1', expires_at: '2026-05-02T12:00:00Z' }), expect: (r) => assert.deepEqual(r, { mime_type: 'video/mp4', size_bytes: 1000, purpose: 'reference', filename: 'clip.mp4', user_id: 'u1', expires_at: NOW + 86_400_000 }) },
];

// prettier-ignore
const formCases: Case<Map<string, string>>[] = [
  { id: MODES, what: 'form without mime_type', input: new Map([['filename', 'a.png']]), expect: { status: 422, detail: 'mime_type is required' } },
  { id: MODES, what: 'form with an empty mime_type', input: form({ mime_type: '' }), expect: { status: 422, detail: 'mime_type is required' } },
  { id: MODES, what: 'form size_bytes may be left out (the part tells the size)', input: form(), expect: (r) => assert.equal(r.size_bytes, null) },
  { id: MODES, what: 'form size_bytes as digits', input: form({ size_bytes: '1234' }), expect: (r) => assert.equal(r.size_bytes, 1234) },
  { id: MODES, what: 'form size_bytes not an integer', input: form({ size_bytes: '12.5' }), expect: { status: 422, detail: 'size_bytes: must be an integer' } },
  { id: MODES, what: 'form size_bytes zero', input: form({ size_bytes: '0' }), expect: { status: 422, detail: `size_bytes: must be between 1 and ${MAX_FILE_BYTES}` } },
  { id: MODES, what: 'form unknown purpose', input: form({ purpose: 'x' }), expect: { status: 422, detail: 'purpose: must be one of: input, reference' } },
  { id: MODES, what: 'form expires_at in the past', input: form({ expires_at: '2020-01-01T00:00:00Z' }), expect: { status: 422, detail: 'expires_at: must be in the future' } },
  { id: MODES, what: 'form every field', input: form({ purpose: 'reference', filename: 'a.png', user_id: 'u', expires_at: '2026-05-01T13:00:00Z' }), expect: (r) => assert.deepEqual(r, { mime_type: 'image/png', size_bytes: null, purpose: 'reference', filename: 'a.png', user_id: 'u', expires_at: NOW + 3_600_000 }) },
];

const CURSOR = encodeCursor({ createdAt: NOW, id: UUID });
// prettier-ignore
const listCases: Case<unknown>[] = [
  { id: LIST, what: 'defaults', input: {}, expect: (r) => assert.deepEqual(r, { limit: 25, purpose: null, state: null, after: null }) },
  { id: LIST, what: 'limit 100 is the upper bound', input: { limit: '100' }, expect: (r) => assert.equal(r.limit, 100) },
  { id: LIST, what: 'limit 1 is the lower bound', input: { limit: '1' }, expect: (r) => assert.equal(r.limit, 1) },
  { id: LIST, what: 'limit 0', input: { limit: '0' }, expect: { status: 422, detail: 'limit: must be an integer between 1 and 100' } },
  { id: LIST, what: 'limit 101', input: { limit: '101' }, expect: { status: 422, detail: 'limit: must be an integer between 1 and 100' } },
  { id: LIST, what: 'limit not a number', input: { limit: 'ten' }, expect: { status: 422, detail: 'limit: must be an integer between 1 and 100' } },
  { id: LIST, what: 'limit repeated', input: { limit: ['1', '2'] }, expect: { status: 422, detail: 'limit: must be an integer between 1 and 100' } },
  { id: LIST, what: 'purpose filter', input: { purpose: 'reference' }, expect: (r) => assert.equal(r.purpose, 'reference') },
  { id: LIST, what: 'unknown purpose filter', input: { purpose: 'other' }, expect: { status: 422, detail: 'purpose: must be one of: input, reference' } },
  { id: LIST, what: 'state filter', input: { state: 'deleted' }, expect: (r) => assert.equal(r.state, 'deleted') },
  { id: LIST, what: 'unknown state filter', input: { state: 'done' }, expect: { status: 422, detail: 'state: must be one of: pending, ready, failed, deleted' } },
  { id: LIST, what: 'a cursor of ours', input: { cursor: CURSOR }, expect: (r) => assert.deepEqual(r.after, { createdAt: NOW, id: UUID }) },
  { id: LIST, what: 'a made-up cursor', input: { cursor: 'abc' }, expect: { status: 422, detail: 'cursor: is not a valid cursor' } },
  { id: LIST, what: 'a cursor that is not base64url', input: { cursor: 'a+b/c=' }, expect: { status: 422, detail: 'cursor: is not a valid cursor' } },
];

const name = (c: Case<unknown>): string =>
  `Files API ${c.id}: ${c.what} → ${typeof c.expect === 'function' ? 'accepted' : `${c.expect.status} ${c.expect.detail}`}`;

function run<I>(title: string, cases: Case<I>[], parse: (input: I) => unknown): void {
  describe(title, () => {
    for (const c of cases) {
      it(name(c), () => {
        const expect = c.expect;
        if (typeof expect === 'function') {
          expect(parse(c.input) as FileCreateRequest & FileListQuery);
          return;
        }
        assert.throws(
          () => parse(c.input),
          (e: unknown) => {
            assert.ok(e instanceof ApiError);
            assert.deepEqual({ status: e.status, detail: e.detail }, expect);
            return true;
          },
        );
      });
    }
  });
}

run('parseFileCreateJson', jsonCases, (b) => parseFileCreateJson(b, NOW));
run('parseFileCreateForm', formCases, (f) => parseFileCreateForm(f, NOW));
run('parseFileListQuery', listCases, (q) => parseFileListQuery(q));

describe('file validators', () => {
  it('every case cites a section of the Files API contract, and names are unique', () => {
    const all = [...jsonCases, ...formCases, ...listCases] as Case<unknown>[];
    for (const c of all) assert.match(c.id, /^§(Objects|Two upload modes)/);
    const names = all.map(name);
    assert.equal(new Set(names).size, names.length);
  });
});
