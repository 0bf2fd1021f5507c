// Markdown for BENCHMARKS.md: figures as "median (min–max)", tables, and the document around them.
import { availableParallelism, cpus, totalmem } from 'node:os';
import { layerOrder, type KeptSection } from './earlier.js';
import type { Figure } from './stats.js';

/** A goal of the issue and whether this run met it (null: not measured in this run). */
export interface Goal {
  text: string;
  met: boolean | null;
  /** Why it is missed and what would close the gap (or any other short remark). */
  note?: string;
}

/** One layer's part of the document. */
export interface Section {
  title: string;
  /** Paragraphs before the table: what is measured and against which floor. */
  intro: string[];
  headers: string[];
  rows: string[][];
  goals: Goal[];
  /** Paragraphs after the table. */
  notes: string[];
}

export const num = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';

/** `median (min–max)`. */
export const fig = (f: Figure, digits = 0): string =>
  `${num(f.median, digits)} (${num(f.min, digits)}–${num(f.max, digits)})`;

/** A ratio figure, e.g. `0.82× (0.79–0.85)`; one more digit below 0.1, so a small ratio is not `0.00×`. */
export const ratio = (f: Figure): string => {
  const d = Math.abs(f.median) < 0.1 ? 3 : 2;
  return `${num(f.median, d)}× (${num(f.min, d)}–${num(f.max, d)})`;
};

export const verdict = (met: boolean | null): string =>
  met === null ? 'not measured' : met ? 'met' : 'MISSED';

export function mdTable(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

export interface DocumentOptions {
  command: string;
  smoke: boolean;
  sections: Section[];
  /** Total wall time of the run, in seconds. */
  seconds: number;
  /** Sections of layers this run did not measure, kept from the document it replaces. */
  kept?: KeptSection[];
}

/** One section's Markdown below its heading. */
function sectionBody(s: Section): string[] {
  const lines: string[] = [];
  for (const p of s.intro) lines.push(p, '');
  if (s.rows.length > 0) lines.push(...mdTable(s.headers, s.rows), '');
  for (const g of s.goals) {
    if (g.note) lines.push(`**${g.text}: ${verdict(g.met)}.** ${g.note}`, '');
  }
  for (const p of s.notes) lines.push(p, '');
  return lines;
}

export function renderDocument(o: DocumentOptions): string {
  const kept = o.kept ?? [];
  // Fresh and kept sections in layer order (a stable sort: equal numbers keep their order).
  const parts = [
    ...o.sections.map((s) => ({
      title: s.title,
      goals: s.goals.map((g) => [s.title, g.text, verdict(g.met)]),
      body: sectionBody(s),
    })),
    ...kept.map((k) => ({ ...k, body: [...k.body, ''] })),
  ].sort((a, b) => layerOrder(a.title) - layerOrder(b.title));
  const lines = [
    '# Benchmarks',
    '',
    `Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}.`,
    `Command: \`${o.command}\`${o.smoke ? ' (smoke mode: tiny sample, numbers meaningless)' : ''}; ` +
      `the whole run took ${num(o.seconds)} s.`,
    ...(kept.length === 0
      ? []
      : [
          `It measured ${o.sections.map((s) => s.title).join(', ')} only; the other sections are kept from ` +
            'earlier runs, each marked with the command and machine that measured it.',
        ]),
    '',
    'Every figure is `median (min–max)` over several runs. Every ratio is Umbra ÷ floor, computed pair by ' +
      'pair from runs measured back to back (the order alternating), so drift of the machine cancels out; ' +
      'for throughput a ratio above 1 would mean Umbra is faster than its floor, for times below 1.',
    '',
    '## Goals',
    '',
    ...mdTable(
      ['layer', 'goal', kept.length === 0 ? 'this run' : 'verdict'],
      parts.flatMap((p) => p.goals),
    ),
    '',
  ];
  for (const p of parts) lines.push(`## ${p.title}`, '', ...p.body);
  return lines.join('\n');
}
