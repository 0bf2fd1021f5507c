// Readiness (issue 12, "Health"): is every part this process needs usable right now? Each part is a
// probe bounded by a deadline, so the answer never hangs on a database or a bucket that does not reply;
// a probe still running from an earlier check is waited on again rather than started twice, so a part
// that hangs holds one probe, not one per check.

/** The parts a process may depend on, in the order they are checked and reported. */
export type ReadinessPart = 'database' | 'blobs' | 'ffmpeg';

/** One part's check: resolves when usable, rejects (with the cause) when not. */
export interface ReadinessProbe {
  part: ReadinessPart;
  check(): Promise<void>;
}

/** The answer of one readiness check. */
export interface ReadinessReport {
  ok: boolean;
  /** `ok`, or why the part is unusable, per part checked. */
  checks: Partial<Record<ReadinessPart, string>>;
  /** `<part> unavailable: <cause>` for each failing part, joined by `; ` (empty when ok). */
  detail: string;
}

/** How long one probe may take by default before its part counts as unavailable. */
export const PROBE_TIMEOUT_MS = 2000;

const causeOf = (err: unknown): string => {
  const message = err instanceof Error ? err.message : String(err);
  return message.trim() === '' ? 'unknown error' : message.split('\n')[0]!.slice(0, 300);
};

/** Checks every probe at once, each within `timeoutMs`. */
export class Readiness {
  private readonly inFlight = new Map<ReadinessPart, Promise<void>>();

  constructor(
    private readonly probes: readonly ReadinessProbe[],
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  async check(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.probes.map(async (p) => ({ part: p.part, problem: await this.run(p) })),
    );
    const checks: Partial<Record<ReadinessPart, string>> = {};
    for (const r of results) checks[r.part] = r.problem ?? 'ok';
    const failing = results.filter((r) => r.problem !== null);
    return {
      ok: failing.length === 0,
      checks,
      detail: failing.map((r) => `${r.part} unavailable: ${r.problem ?? ''}`).join('; '),
    };
  }

  /** null when the part is usable, else why not. Never rejects. */
  private async run(p: ReadinessProbe): Promise<string | null> {
    let probe = this.inFlight.get(p.part);
    if (probe === undefined) {
      // A synchronous throw becomes a rejection like any other failure.
      probe = Promise.resolve()
        .then(() => p.check())
        .finally(() => this.inFlight.delete(p.part));
      // Awaited below or by a later check; this keeps a probe abandoned at its deadline from being
      // reported as an unhandled rejection when it fails after all.
      probe.catch(() => undefined);
      this.inFlight.set(p.part, probe);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${this.timeoutMs} ms`), this.timeoutMs);
    });
    try {
      return await Promise.race([probe.then(() => null, causeOf), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
