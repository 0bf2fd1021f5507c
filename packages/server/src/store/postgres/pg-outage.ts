// Which errors of the pg driver mean "the database cannot be reached" rather than "this statement is
// wrong": they answer 503 `database unavailable` and make workers back off (issue 12, "Faults").
import { isNetworkError } from '../../unavailable.js';

/** SQLSTATEs of a server that is going away, starting, full of connections, or cancelling on a timeout. */
const OUTAGE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
  '57014', // query_canceled: the statement timeout
]);
/** What pg says, in its own words, when a connection could not be made or was lost. */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Query read timeout',
];

export function isPgOutage(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if (isNetworkError(err)) return true;
  const e = err as { code?: unknown; message?: unknown };
  // Class 08 is "connection exception".
  if (typeof e.code === 'string' && (OUTAGE_SQLSTATES.has(e.code) || e.code.startsWith('08'))) return true;
  return typeof e.message === 'string' && DRIVER_MESSAGES.some((m) => (e.message as string).includes(m));
}
