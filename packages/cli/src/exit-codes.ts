// One exit code per class of failure, so scripts can branch without parsing messages. Documented in the
// README ("Exit codes") and in `umbra --help`.
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  FileFailedError,
  GenerationFailedError,
  PermissionDeniedError,
} from '@umbra/sdk';

export const ExitCode = {
  ok: 0,
  /** A bug or an unexpected condition. */
  internal: 1,
  /** Bad flags or arguments, a value the model/type does not take, unreadable input files (nothing was sent). */
  usage: 2,
  /** No API key, or the server answered 401/403. */
  auth: 3,
  /** The server rejected the request: any other 4xx (400, 402, 404, 413, 422, 429…). */
  rejected: 4,
  /** The generation ended `failed` (its failure_code is printed), or an uploaded file failed ingest. */
  failed: 5,
  /** The server could not be reached, timed out, or answered 5xx (after retries). */
  unavailable: 6,
  /** Interrupted (Ctrl-C); a generation already created keeps running. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  2  usage: bad flags or arguments, a value the model/type does not take, unreadable input file
  3  authentication: no API key, or HTTP 401/403
  4  request rejected: any other HTTP 4xx (the server's detail is printed)
  5  the generation failed (its failure_code is printed), or an upload failed ingest
  6  network error, timeout or HTTP 5xx
  130 interrupted`;

/** An error the CLI raises itself, with the exit code it means. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, ExitCode.usage);

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) return ExitCode.auth;
  if (err instanceof APIError) return err.status >= 500 ? ExitCode.unavailable : ExitCode.rejected;
  if (err instanceof GenerationFailedError || err instanceof FileFailedError) return ExitCode.failed;
  if (err instanceof APIConnectionError) return ExitCode.unavailable;
  if (err instanceof APIUserAbortError) return ExitCode.interrupted;
  // Thrown by the server package (lazily loaded) and by commander's argument parsers.
  if (err instanceof Error && (err.name === 'ConfigError' || err.name === 'InvalidArgumentError')) {
    return ExitCode.usage;
  }
  return ExitCode.internal;
}

/** One line for stderr: the server's own `detail` first, then what helps to report it. */
export function describeError(err: unknown): string {
  if (err instanceof APIError) {
    const rid = err.requestId === null ? '' : `, request id ${err.requestId}`;
    return `${err.detail} (HTTP ${err.status}${rid})`;
  }
  if (err instanceof GenerationFailedError) {
    const g = err.generation;
    return `generation ${g.id} failed (${g.failure_code ?? 'unknown'}): ${g.failure_reason ?? 'no reason given'}`;
  }
  if (exitCodeFor(err) === ExitCode.internal && err instanceof Error) return err.stack ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
