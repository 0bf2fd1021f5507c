// Small statistics for the benchmarks: nearest-rank summaries and pair-by-pair ratios.

export interface Summary {
  n: number;
  min: number;
  median: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] ?? NaN;
  return { n: v.length, min: v[0] ?? NaN, median: at(0.5), p99: at(0.99), max: v[v.length - 1] ?? NaN };
}

/** One figure as reported: the median of several runs with their min and max. */
export interface Figure {
  median: number;
  min: number;
  max: number;
}

export const figure = (values: number[]): Figure => {
  const s = summarize(values);
  return { median: s.median, min: s.min, max: s.max };
};

/**
 * Ratios computed pair by pair (run i of Umbra ÷ run i of the floor, measured back to back), so drift
 * of the machine between pairs cancels out; then summarised like any other figure.
 */
export const pairRatios = (umbra: number[], floor: number[]): Figure =>
  figure(umbra.map((u, i) => u / (floor[i] ?? NaN)));

/**
 * Runs every contender once per round, `runs` rounds, rotating which goes first so none always gets the
 * warm (or the cold) slot; result i of each contender comes from the same round.
 */
export async function alternate<T>(runs: number, contenders: Array<() => Promise<T>>): Promise<T[][]> {
  const out: T[][] = contenders.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const j = (i + k) % contenders.length;
      const run = contenders[j];
      if (run) out[j]?.push(await run());
    }
  }
  return out;
}
