import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFileResponseSchema, fileListSchema, fileSchema } from './file.schema.js';
import type { CreateFileResponse, FileList, FileObject } from './file.wire.js';

// Compile-time: the schemas' key lists are exactly the wire types' keys.
type Keys<T> = readonly (keyof T)[];
const fileKeys: Keys<FileObject> = fileSchema.required;
const createKeys: Keys<CreateFileResponse> = createFileResponseSchema.required;
const listKeys: Keys<FileList> = fileListSchema.required;

describe('Files API response schemas (contract, Files API "Objects")', () => {
  it('File lists id, created_at, mime_type, purpose, size_bytes, state, then the optional fields, all present', () => {
    const keys = ['id', 'created_at', 'mime_type', 'purpose', 'size_bytes', 'state'];
    const optional = ['deleted_at', 'expires_at', 'failure_reason', 'filename', 'user_id'];
    assert.deepEqual(Object.keys(fileSchema.properties), [...keys, ...optional]);
    assert.deepEqual([...fileKeys], [...keys, ...optional]);
  });
  it('CreateFileResponse is {id, state, file, upload}; FileList is {data, has_more, next_cursor}', () => {
    assert.deepEqual([...createKeys], ['id', 'state', 'file', 'upload']);
    assert.deepEqual([...listKeys], ['data', 'has_more', 'next_cursor']);
  });
});
