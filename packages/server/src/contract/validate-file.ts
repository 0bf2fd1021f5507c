// Validation of the Files API inputs (contract, Files API "Objects", "Two upload modes"): the JSON body and the
// multipart form fields of POST /v1/files, and the query of GET /v1/files. Pure, no I/O.
//
// Statuses (docs/decisions.md, "Files API"): a body that is not a JSON object answers 400, as on
// POST /v1/generations; every field rule answers 422, the status of a validation error on the newer
// surface where no older documented string fixes 400. Details keep the generation validators' style:
// `<field> is required`, `<field>: must be …`. The first violation wins, in the order of the fields below.
import { ApiError } from './api-error.js';
import {
  DEFAULT_FILE_PURPOSE,
  FILE_MIME_TYPES,
  FILE_PURPOSES,
  FILE_STATES,
  MAX_FILE_BYTES,
  type FileCreateRequest,
  type FileListQuery,
  type FileMimeType,
  type FilePurpose,
  type FileState,
} from './file.wire.js';
import type { ObjectSpec } from './field-table.js';
import { readEnumParam, readListWindow } from './list-query.js';
import { isObject } from './validate-json.js';

/** Longest `filename`, in code points. */
export const MAX_FILENAME = 255;
/** Longest `user_id`, in code points (as on a generation, contract §2.8 A3). */
export const MAX_FILE_USER_ID = 256;

/**
 * `FileCreateParams` (contract, Files API "Objects"), in the order the fields are checked: what the document
 * states. The rules themselves are the readers below (their details answer 422).
 */
export const FILE_CREATE: ObjectSpec = {
  kind: 'object',
  name: 'FileCreateParams',
  doc: 'The body of POST /v1/files (JSON mode; the same names as form fields in multipart mode).',
  fields: [
    {
      name: 'mime_type',
      value: { kind: 'enum', values: FILE_MIME_TYPES },
      required: true,
      doc: 'Type of the bytes (`image/jpg` and parameters such as `; charset=` are normalised).',
    },
    {
      name: 'size_bytes',
      value: { kind: 'integer', later: { minimum: 1, maximum: MAX_FILE_BYTES } },
      required: true,
      doc: 'Exact size of the object to PUT, at most 5 GiB (optional in multipart mode).',
    },
    {
      name: 'purpose',
      value: { kind: 'enum', values: FILE_PURPOSES },
      nullable: true,
      default: DEFAULT_FILE_PURPOSE,
      doc: '`input` = the primary subject (e.g. an edit source); `reference` = guidance.',
    },
    {
      name: 'filename',
      value: { kind: 'string', later: { maxLength: 255 } },
      nullable: true,
      doc: "The caller's name for the file, at most 255 characters.",
    },
    {
      name: 'user_id',
      value: { kind: 'string', later: { maxLength: 256 } },
      nullable: true,
      doc: 'Opaque end-user tag, echoed back, at most 256 characters.',
    },
    {
      name: 'expires_at',
      value: { kind: 'string', format: 'date-time' },
      nullable: true,
      doc: 'ISO-8601 date-time with a time zone, in the future: after it the file may be deleted.',
    },
  ],
};

const invalid = (detail: string): never => {
  throw new ApiError(422, detail);
};

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** `image/PNG; charset=x` → `image/png`; `image/jpg` is a common alias of `image/jpeg`. */
export function normaliseMime(raw: string): string {
  const essence = (raw.split(';')[0] ?? '').trim().toLowerCase();
  return essence === 'image/jpg' ? 'image/jpeg' : essence;
}

function readMime(v: unknown): FileMimeType {
  if (v === undefined) return invalid('mime_type is required');
  if (typeof v !== 'string') return invalid('mime_type: must be a string');
  const m = normaliseMime(v);
  const found = FILE_MIME_TYPES.find((t) => t === m);
  return found ?? invalid(`mime_type: must be one of: ${FILE_MIME_TYPES.join(', ')}`);
}

function checkSize(n: number): number {
  if (n < 1 || n > MAX_FILE_BYTES) invalid(`size_bytes: must be between 1 and ${MAX_FILE_BYTES}`);
  return n;
}

function readPurpose(v: unknown): FilePurpose {
  if (v === undefined || v === null) return DEFAULT_FILE_PURPOSE;
  const found = FILE_PURPOSES.find((p) => p === v);
  return found ?? invalid(`purpose: must be one of: ${FILE_PURPOSES.join(', ')}`);
}

function readText(v: unknown, field: string, max: number): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return invalid(`${field}: must be a string`);
  if (codePoints(v) > max) invalid(`${field}: must be at most ${max} characters`);
  return v;
}

// A full date-time with an offset (RFC 3339 profile of ISO-8601): a bare date or a zone-less time is
// ambiguous about when it ends.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function readExpiry(v: unknown, now: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return invalid('expires_at: must be a string');
  const ms = DATE_TIME.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) return invalid('expires_at: must be an ISO-8601 date-time with a time zone');
  if (ms <= now) invalid('expires_at: must be in the future');
  return ms;
}

/**
 * `POST /v1/files` with `application/json` (contract, Files API "Two upload modes", 2): `FileCreateParams`, validated.
 * Unknown members are ignored; null means absent for the optional ones.
 * @throws ApiError 400 (not a JSON object) or 422 (a field rule).
 */
export function parseFileCreateJson(body: unknown, now: number): FileCreateRequest {
  if (!isObject(body)) throw new ApiError(400, 'Request body must be a JSON object');
  const mime = readMime(body.mime_type);
  const size = body.size_bytes;
  if (size === undefined) invalid('size_bytes is required');
  if (typeof size !== 'number' || !Number.isInteger(size)) return invalid('size_bytes: must be an integer');
  return {
    mime_type: mime,
    size_bytes: checkSize(size),
    purpose: readPurpose(body.purpose),
    filename: readText(body.filename, 'filename', MAX_FILENAME),
    user_id: readText(body.user_id, 'user_id', MAX_FILE_USER_ID),
    expires_at: readExpiry(body.expires_at, now),
  };
}

/**
 * `POST /v1/files` with `multipart/form-data` (contract, Files API "Two upload modes", 1): the same names as
 * form fields, all strings. `size_bytes` may be left out, because the file part tells the size; when
 * given it is checked against the bytes at ingest. Empty optional fields count as absent.
 * @throws ApiError 422 (a field rule).
 */
export function parseFileCreateForm(fields: ReadonlyMap<string, string>, now: number): FileCreateRequest {
  const get = (k: string): string | undefined => {
    const v = fields.get(k);
    return v === undefined || v === '' ? undefined : v;
  };
  const mime = readMime(get('mime_type'));
  const rawSize = get('size_bytes');
  let size: number | null = null;
  if (rawSize !== undefined) {
    if (!/^\d{1,16}$/.test(rawSize.trim())) invalid('size_bytes: must be an integer');
    size = checkSize(Number(rawSize.trim()));
  }
  return {
    mime_type: mime,
    size_bytes: size,
    purpose: readPurpose(get('purpose')),
    filename: readText(get('filename'), 'filename', MAX_FILENAME),
    user_id: readText(get('user_id'), 'user_id', MAX_FILE_USER_ID),
    expires_at: readExpiry(get('expires_at'), now),
  };
}

/**
 * `GET /v1/files` query (contract, Files API "Objects", `FileList`): `limit` 1–100 (default 25), `purpose`,
 * `state`, and the opaque `cursor` of a previous page. Unknown parameters are ignored.
 * @throws ApiError 422 (a bad value).
 */
export function parseFileListQuery(query: unknown): FileListQuery {
  const q = isObject(query) ? query : {};
  const { limit, after } = readListWindow(q);
  const purpose = readEnumParam<FilePurpose>(q.purpose, 'purpose', FILE_PURPOSES);
  const state = readEnumParam<FileState>(q.state, 'state', FILE_STATES);
  return { limit, purpose, state, after };
}
