// Progress that moves while a render works (issue 11, "Progress moves at least every half-second of
// rendering"). The reference engine measures progress only at stage ends (images: scene, SVG, raster,
// looks, encode) and, for video, when ffmpeg prints its frame count (every ~0.5 s, a period the npm-shipped
// ffmpeg cannot shorten). Between two measurements the pacer estimates: every tick it moves the shown
// value part of the way toward the end of the stage in progress, at the pace the job has kept so far.
// The estimate never reaches the stage's end (only a measurement does), never goes backwards, and a
// measurement always wins when it is ahead.

/** Options of {@link ProgressPacer}. */
export interface ProgressPacerOptions {
  /**
   * The fractions the renderer reports when a stage ends, ascending (e.g. `[0.15, 0.35, 0.7, 0.85, 1]`);
   * between measurements the estimate approaches the first one above the last measurement.
   */
  stageEnds: readonly number[];
  /** How often the estimate may move, in ms. Default 200. */
  tickMs?: number;
  /** Clock (tests). Default `Date.now`. */
  now?: () => number;
}

/** Default estimate step: comfortably under the half-second the issue asks for. */
const TICK_MS = 200;
/** The first stage has no pace to go by yet: assume it takes about this long. */
const FIRST_STAGE_MS = 2000;
/** Bounds of a stage's expected length, whatever the pace so far suggests. */
const MIN_STAGE_MS = 500;
const MAX_STAGE_MS = 10_000;
/** Estimates are rounded down to thousandths, so one never shows a stage's end as done. */
const PER = 1000;

const floorStep = (f: number): number => Math.floor(f * PER + 1e-6) / PER;

/**
 * Wraps a progress callback: `report` passes measurements through, and a timer adds estimates between
 * them. Call `stop` when the render ends (either way).
 */
export class ProgressPacer {
  private readonly now: () => number;
  private readonly started: number;
  /** The last measurement and when it came. */
  private measured = 0;
  private measuredAt: number;
  /** The last value handed on (measured or estimated). */
  private shown = -1;
  private timer: NodeJS.Timeout | null;

  constructor(
    private readonly out: (fraction: number) => void,
    private readonly o: ProgressPacerOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.started = this.measuredAt = this.now();
    this.timer = setInterval(() => this.tick(), o.tickMs ?? TICK_MS);
    // A pacer must never keep a process alive.
    this.timer.unref();
  }

  /** A measurement from the renderer (0..1). */
  readonly report = (fraction: number): void => {
    const f = Math.min(1, Math.max(0, fraction));
    if (f >= this.measured) {
      this.measured = f;
      this.measuredAt = this.now();
    }
    this.show(f);
  };

  /** Stops estimating; later measurements still pass through. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** What the estimate says now, or null when there is nothing to estimate (past the last stage). */
  estimate(): number | null {
    const end = this.o.stageEnds.find((e) => e > this.measured + 1e-9);
    if (end === undefined) return null;
    const gap = end - this.measured;
    const elapsed = this.measuredAt - this.started;
    // The stage should take as long as its share of the work at the pace kept so far.
    const expected =
      this.measured > 0 && elapsed > 0
        ? Math.min(MAX_STAGE_MS, Math.max(MIN_STAGE_MS, (gap * elapsed) / this.measured))
        : FIRST_STAGE_MS;
    const since = this.now() - this.measuredAt;
    // An exponential approach: quick at first, then ever slower, so it never arrives on its own.
    const f = this.measured + gap * (1 - Math.exp(-since / expected));
    return Math.min(floorStep(f), (Math.round(end * PER) - 1) / PER);
  }

  private tick(): void {
    const f = this.estimate();
    if (f !== null) this.show(f);
  }

  private show(f: number): void {
    if (f <= this.shown) return;
    this.shown = f;
    this.out(f);
  }
}
