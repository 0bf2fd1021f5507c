// The process's logger (issue 12, "Logs"): pino, writing one JSON object per line — or, on a terminal, one
// readable line per record (`12:00:01.250 INFO  request method=GET status=200 …`). The terminal format is
// written here rather than taken from a pretty-printing package: it is a few lines, runs in this thread
// (no transport worker), and keeps the records exactly the ones JSON mode writes.
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { LogFormat } from './config.js';

/** Where the terminal format writes (process.stdout, or a test's capture). */
export interface LineSink {
  write(line: string): unknown;
  /** A terminal? Decides `auto`. */
  isTTY?: boolean;
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every record carries that a terminal reader does not need on every line. */
const QUIET = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/** A value as `key=value` shows it: bare when it is a simple token, JSON-quoted otherwise. */
const show = (v: unknown): string => {
  if (typeof v === 'string') return /^[\w.:/@+-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  // JSON.stringify gives undefined for what JSON cannot hold (functions, symbols).
  const json: string | undefined = JSON.stringify(v);
  return json ?? typeof v;
};

/**
 * One JSON record as a terminal line: UTC time to the millisecond, level, message, then the other fields
 * as key=value in their order. An error adds its message on the line and its stack indented below.
 */
export function formatRecord(json: string): string {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof r.time === 'number' ? new Date(r.time).toISOString().slice(11, 23) : '--:--:--.---';
  const level = (typeof r.level === 'number' ? (LEVELS[r.level] ?? String(r.level)) : '?').padEnd(5);
  const parts = [time, level, typeof r.msg === 'string' ? r.msg : ''];
  for (const [k, v] of Object.entries(r)) if (!QUIET.has(k) && v !== undefined) parts.push(`${k}=${show(v)}`);
  let out = parts.filter((p) => p !== '').join(' ');
  const err = r.err as { message?: unknown; stack?: unknown } | undefined;
  if (err !== undefined && err !== null) {
    out += ` err=${show(typeof err.message === 'string' ? err.message : err)}`;
    if (typeof err.stack === 'string') {
      const frames = err.stack.split('\n').slice(1);
      if (frames.length > 0) out += `\n${frames.map((f) => `    ${f.trim()}`).join('\n')}`;
    }
  }
  return `${out}\n`;
}

/** A pino destination that writes each record to `sink` in the terminal format. */
export const terminalDestination = (sink: LineSink): DestinationStream => ({
  write: (json: string) => {
    sink.write(formatRecord(json));
  },
});

/** Whether `format` writes JSON to `sink`: `auto` writes JSON unless the sink is a terminal. */
export const writesJson = (format: LogFormat, sink: LineSink): boolean =>
  format === 'json' || (format === 'auto' && sink.isTTY !== true);

/**
 * The logger of a process: `level` as configured, JSON or terminal lines to `sink` (default stdout) as
 * `format` says.
 */
export function createProcessLogger(
  o: { logLevel: string; logFormat: LogFormat },
  sink: LineSink = process.stdout,
): PinoLogger {
  const options = { level: o.logLevel };
  if (writesJson(o.logFormat, sink)) {
    return sink === process.stdout
      ? pino(options)
      : pino(options, { write: (json: string) => void sink.write(json) });
  }
  return pino(options, terminalDestination(sink));
}
