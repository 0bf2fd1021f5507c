// Dollars on the command line, micro-USD everywhere else (the store and the wire): exact conversions both
// ways, with no floating-point step in between.
import { InvalidArgumentError } from 'commander';

/** `5`, `5.25`, `-0.000001` (up to six decimals) → whole micro-USD. */
export function parseUsd(v: string): number {
  const m = /^(-?)(\d{1,12})(?:\.(\d{1,6}))?$/.exec(v.trim());
  if (m === null)
    throw new InvalidArgumentError('must be an amount in USD with at most six decimals, e.g. 12.50');
  const micros = Number(m[2]) * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0'));
  return m[1] === '-' ? -micros : micros;
}

/** Whole micro-USD → `12.50`, `0.0404`, `-3.00`: at least two decimals, at most six, no float noise. */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const frac = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}${Math.floor(abs / 1_000_000)}.${frac}`;
}
