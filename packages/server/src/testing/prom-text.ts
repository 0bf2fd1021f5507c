// Reads a /metrics scrape for tests with an independent parser (not prom-client's own), and holds it to
// what the parser lets slide: every family typed and described, every sample value a number.
//
// The parser folds all samples of a histogram into one (it was written for unlabelled ones), so samples
// are read from a second pass over the same text without the histograms' HELP and TYPE lines: each of
// their `_bucket`, `_sum` and `_count` series is then a family of its own, every line still read by the
// parser.
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { PromFamily, PromSample } from 'parse-prometheus-text-format';

/** Which part of a sample to read: its value, or a histogram's count or sum. */
export type SamplePart = 'value' | 'count' | 'sum';

/** A parsed scrape. */
export interface Scrape {
  /** Every family as the parser read it, by name. */
  families: Map<string, PromFamily>;
  /**
   * The sum of `part` over the samples of `name` whose labels include `labels` (0 when there is none, as
   * for a counter not yet incremented).
   */
  get(name: string, labels?: Record<string, string>, part?: SamplePart): number;
}

// What Prometheus reads as a float (Go's ParseFloat): decimals, and Inf and NaN in any case.
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INF = /^[+-]?inf(inity)?$/i;

const numeric = (family: string, s: string | undefined): number => {
  assert.ok(
    s !== undefined && (NUMBER.test(s) || INF.test(s) || /^nan$/i.test(s)),
    `${family}: sample value ${String(s)} is not a number`,
  );
  if (INF.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return /^nan$/i.test(s) ? NaN : Number(s);
};

const matches = (sample: PromSample, labels: Record<string, string>): boolean =>
  Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v);

/** Parses the exposition text, failing the test on anything malformed. */
export function parseScrape(text: string): Scrape {
  const families = new Map<string, PromFamily>();
  const folded = new Set<string>();
  for (const f of parsePrometheusTextFormat(text)) {
    assert.ok(!families.has(f.name), `family ${f.name} appears twice`);
    assert.notEqual(f.type, 'UNTYPED', `family ${f.name} has no TYPE line`);
    assert.ok(f.help.length > 0, `family ${f.name} has no HELP text`);
    if (f.type === 'HISTOGRAM' || f.type === 'SUMMARY') folded.add(f.name);
    families.set(f.name, f);
  }
  const flatText = text
    .split('\n')
    .filter((line) => !/^# (HELP|TYPE) (\S+)/.test(line) || !folded.has(line.split(' ')[2] ?? ''))
    .join('\n');
  const samples = new Map<string, PromSample[]>();
  for (const f of parsePrometheusTextFormat(flatText)) {
    for (const m of f.metrics) numeric(f.name, m.value);
    samples.set(f.name, [...(samples.get(f.name) ?? []), ...f.metrics]);
  }
  return {
    families,
    get(name, labels = {}, part = 'value') {
      const series = part === 'value' ? name : `${name}_${part}`;
      return (samples.get(series) ?? [])
        .filter((m) => matches(m, labels))
        .reduce((sum, m) => sum + numeric(series, m.value), 0);
    },
  };
}
