// The list envelope shared by every list route (`GET /v1/files`, `GET /v1/generations`): page size,
// opaque keyset cursors, one-value query parameters and the `{data, has_more, next_cursor}` page. Pure.
//
// Details keep the validators' style (`limit: must be …`); every bad value answers 422
// (docs/decisions.md, "Files API" and "Listing generations").
import { canonicalId } from './ids.js';
import { ApiError } from './api-error.js';

/** Page size when `limit` is absent. */
export const LIST_DEFAULT_LIMIT = 25;
/** Largest `limit` a list route takes. */
export const LIST_MAX_LIMIT = 100;

/** A keyset position: the rows strictly older than this one (by created_at, then id) come next. */
export interface ListCursor {
  /** Epoch milliseconds of the last row of the previous page. */
  createdAt: number;
  /** Its id (a lower-case UUID on most lists), which breaks ties between rows of one millisecond. */
  id: string;
}

/** One page of any list route, newest first. */
export interface ListPage<T> {
  data: T[];
  /** More items follow this page. */
  has_more: boolean;
  /** Pass back as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** The members every list query has, validated. */
export interface ListWindow {
  /** 1 … {@link LIST_MAX_LIMIT}. */
  limit: number;
  /** The position after which the page starts (a decoded cursor); null = from the newest. */
  after: ListCursor | null;
}

const invalid = (detail: string): never => {
  throw new ApiError(422, detail);
};

/** The ids of most lists (generations, files, webhook endpoints): UUIDs as we write them (lower case). */
const isOurUuid = (id: string): boolean => canonicalId(id) === id;

/** The opaque `next_cursor` of a page that ends at `last` (base64url of `<created_at ms>.<id>`). */
export const encodeCursor = (last: ListCursor): string =>
  Buffer.from(`${last.createdAt}.${last.id}`, 'utf8').toString('base64url');

/**
 * The position a cursor names, or null when it is not one of ours. `isId` tells the list's ids
 * (default: a lower-case UUID).
 */
export function decodeCursor(cursor: string, isId: (id: string) => boolean = isOurUuid): ListCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const m = /^(\d{1,16})\.(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // Our cursors carry ids as we write them; anything else was made up.
  if (!m?.[1] || !m[2] || !isId(m[2])) return null;
  return { createdAt: Number(m[1]), id: m[2] };
}

/** One query value: repeated parameters (`?limit=1&limit=2`) are refused like any other bad value. */
const single = (v: unknown): string | undefined | null =>
  v === undefined ? undefined : typeof v === 'string' ? v : null;

/** An optional enum filter: absent or empty = no filter; anything not in `values` answers 422. */
export function readEnumParam<T extends string>(v: unknown, field: string, values: readonly T[]): T | null {
  const s = single(v);
  if (s === undefined || s === '') return null;
  const found = values.find((x) => x === s);
  return found ?? invalid(`${field}: must be one of: ${values.join(', ')}`);
}

/**
 * `limit` (1 … 100, default 25) and `cursor` (one of ours, or absent/empty) of a parsed query string;
 * `isId` tells the list's ids (default: a lower-case UUID).
 * @throws ApiError 422 (a bad value).
 */
export function readListWindow(
  q: Record<string, unknown>,
  isId: (id: string) => boolean = isOurUuid,
): ListWindow {
  const rawLimit = single(q.limit);
  let limit = LIST_DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    const n = rawLimit !== null && /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(n >= 1 && n <= LIST_MAX_LIMIT))
      invalid(`limit: must be an integer between 1 and ${LIST_MAX_LIMIT}`);
    limit = n;
  }
  const rawCursor = single(q.cursor);
  let after: ListCursor | null = null;
  if (rawCursor !== undefined && rawCursor !== '') {
    after = rawCursor === null ? null : decodeCursor(rawCursor, isId);
    if (after === null) invalid('cursor: is not a valid cursor');
  }
  return { limit, after };
}

/**
 * Cuts the rows of a store query that asked for `limit + 1` (one more tells whether another page
 * follows) into a page; `next_cursor` names the last row of a full page that has more after it.
 */
export function pageOf<R extends ListCursor>(
  rows: readonly R[],
  limit: number,
): { rows: R[]; has_more: boolean; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit && last !== undefined;
  return {
    rows: page,
    has_more: hasMore,
    next_cursor: hasMore ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** JSON Schema of a page whose items follow `items` (the HTTP layer serialises through it). */
export const listPageSchema = <S extends object>(items: S) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['data', 'has_more', 'next_cursor'],
    properties: {
      data: { type: 'array', items },
      has_more: { type: 'boolean', description: 'More items follow this page' },
      next_cursor: {
        type: ['string', 'null'],
        description: 'Pass back as `cursor` for the next page; null on the last page',
      },
    },
  }) as const;
