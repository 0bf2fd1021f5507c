// The reaper: returns jobs whose worker stopped heartbeating to the queue (or fails them once their
// attempts are spent), fails jobs past the active-job TTL, prunes old rate-limit hits, sweeps expired
// idempotency keys and the old part of the outbox (events, settled webhook deliveries). It runs in
// every process that has the store (api and worker roles), so remote workers' leases expire even where
// no in-process worker runs. Every step is a conditional UPDATE, so several reapers may run at once.
import { IDEMPOTENCY_TTL_MS } from '../contract/idempotency.js';
import type { Logger } from '../log.js';
import { ACTIVE_JOB_TTL_MS, RPM_WINDOW_MS } from '../policy/rate-limit.js';
import type { Store } from '../store/store.js';

/**
 * How long events and settled (delivered or dead) webhook deliveries are kept: a week of delivery log to
 * look back on and retry from. Nothing reads an event after its deliveries are queued (a payload is built
 * from the generation row), so the events' window only has to cover readers of the log.
 */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

export class Reaper {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => number,
    /** Called when jobs went back to the queue, so waiting workers look at once. */
    private readonly onRequeued: () => void,
  ) {}

  /** Reaps every half lease (at least every 100 ms). */
  start(leaseMs: number): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.reap(), Math.max(100, Math.floor(leaseMs / 2)));
    this.timer.unref();
    void this.reap();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; never rejects (a failing store is logged and tried again next time). */
  async reap(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const now = this.now();
    try {
      const { requeued, failed } = await this.store.generations.reapExpired(now);
      const stale = await this.store.generations.expireStale(now - ACTIVE_JOB_TTL_MS, now);
      // One line per job transition, as everywhere else in the job log.
      for (const j of requeued)
        this.log.warn({ gen: j.id, model: j.model, type: j.type }, 'lease expired; retrying');
      for (const j of failed)
        this.log.warn(
          { gen: j.id, model: j.model, type: j.type },
          'lease expired on its last attempt; failed',
        );
      for (const j of stale)
        this.log.warn({ gen: j.id, model: j.model, type: j.type }, 'active-job TTL passed; failed');
      if (requeued.length > 0) this.onRequeued();
      // Hits older than the RPM window never count again; clients that went quiet leave them behind.
      await this.store.rate.prune(now - RPM_WINDOW_MS);
      // Expired idempotency keys replay nothing; sweeping them keeps the table to one day of creates.
      await this.store.idempotency.sweep(now - IDEMPOTENCY_TTL_MS);
      await this.store.webhooks.sweep(now - OUTBOX_RETENTION_MS, now);
      await this.store.events.sweep(now - OUTBOX_RETENTION_MS);
    } catch (err) {
      this.log.error({ err }, 'reaper failed');
    } finally {
      this.busy = false;
    }
  }
}
