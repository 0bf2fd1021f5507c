// Validation of the query of `GET /v1/usage` (issue 12, "Usage"). Pure, no I/O. Every bad value answers 422
// with a detail in the validators' style (`start: must be …`), as on the list routes.
import { ApiError } from './api-error.js';
import { readEnumParam } from './list-query.js';
import { USAGE_GROUPS, type UsageGroupBy, type UsageQuery } from './usage.wire.js';
import { isObject } from './validate-json.js';

/** The window when `start` is absent: this many days before `end`. */
export const USAGE_DEFAULT_DAYS = 30;
/** Longest `user_id` (contract §2.3: maxLength 256). */
const USER_ID_MAX = 256;
const DAY_MS = 86_400_000;

const invalid = (detail: string): never => {
  throw new ApiError(422, detail);
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// The date-time form of validate-file.ts: an offset is required, a zone-less time is ambiguous.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** True when year-month-day names a real day (Date would roll 2026-02-30 over to March 2). */
const realDay = (y: string, m: string, d: string): boolean => {
  const t = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    t.getUTCFullYear() === Number(y) && t.getUTCMonth() === Number(m) - 1 && t.getUTCDate() === Number(d)
  );
};

/** One query value; a repeated parameter (`?start=a&start=b`) is refused like any other bad value. */
const single = (v: unknown, field: string): string | null => {
  if (v === undefined || v === '') return null;
  return typeof v === 'string' ? v : invalid(`${field}: must be given once`);
};

/** `2026-04-01` (midnight UTC) or `2026-04-01T12:00:00Z` / `…+02:00`, as epoch ms; null when absent. */
function readInstant(v: unknown, field: string): number | null {
  const s = single(v, field);
  if (s === null) return null;
  const m = DATE.exec(s) ?? DATE_TIME.exec(s);
  const ms =
    m && realDay(m[1] ?? '', m[2] ?? '', m[3] ?? '') ? Date.parse(DATE.test(s) ? `${s}T00:00:00Z` : s) : NaN;
  return Number.isFinite(ms)
    ? ms
    : invalid(
        `${field}: must be an ISO-8601 date (2026-04-01) or date-time with a time zone (2026-04-01T12:00:00Z)`,
      );
}

/**
 * `GET /v1/usage?start&end&group_by&user_id`: the window [start, end) — `end` defaults to now and `start` to
 * {@link USAGE_DEFAULT_DAYS} days before `end` — split by `group_by` (`model`, `type`, `user_id`, `day`), of
 * the generations created with `user_id` when given. Unknown parameters are ignored, as on the list routes.
 * @throws ApiError 422 (a bad value, or a window that does not end after it starts).
 */
export function parseUsageQuery(query: unknown, now: number): UsageQuery {
  const q = isObject(query) ? query : {};
  const end = readInstant(q.end, 'end') ?? now;
  const start = readInstant(q.start, 'start') ?? end - USAGE_DEFAULT_DAYS * DAY_MS;
  if (start >= end) invalid('start: must be before end');
  const groupBy = readEnumParam<UsageGroupBy>(q.group_by, 'group_by', USAGE_GROUPS);
  const userId = single(q.user_id, 'user_id');
  if (userId !== null && [...userId].length > USER_ID_MAX)
    invalid(`user_id: must be at most ${USER_ID_MAX} characters`);
  return { start, end, groupBy, userId };
}
