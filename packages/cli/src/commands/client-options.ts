// Options shared by the commands that talk to an API (hosted or Umbra), and the client they build.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Umbra } from '@umbra/sdk';
import { CliError, ExitCode } from '../exit-codes.js';

export interface ClientFlags {
  baseUrl?: string;
  apiKey?: string;
}

export const addClientOptions = (cmd: Command): Command =>
  cmd
    .option('--base-url <url>', 'API root (env LUMA_BASE_URL, default https://agents.lumalabs.ai/v1)')
    .option('--api-key <key>', 'API key (env LUMA_AGENTS_API_KEY)');

export function makeClient(o: ClientFlags): Umbra {
  const apiKey = o.apiKey ?? process.env.LUMA_AGENTS_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    throw new CliError('No API key: pass --api-key or set LUMA_AGENTS_API_KEY', ExitCode.auth);
  }
  return new Umbra({ apiKey, ...(o.baseUrl === undefined ? {} : { baseURL: o.baseUrl }) });
}

export const positiveNumber = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
};

export const nonNegativeInteger = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
};

/** `--limit` of the list commands: the API's page size, 1–100. */
export const pageSize = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError('must be a whole number 1–100');
  return n;
};
