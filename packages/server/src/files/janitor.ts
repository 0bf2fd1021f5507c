// The files janitor: settles files that time decided (past `expires_at` → deleted; a presigned upload
// never completed → failed; an ingest that crashed too often → failed) and removes the bytes of deleted
// and failed files. Every step is a conditional UPDATE or an idempotent delete, so the janitor runs in
// every process that has the store, like the reaper.
import type { BlobStore } from '../blobs/blob-store.js';
import type { Logger } from '../log.js';
import { ACTIVE_JOB_TTL_MS } from '../policy/rate-limit.js';
import type { Store } from '../store/store.js';
import { FILE_INGEST_MAX_ATTEMPTS } from './ingester.js';

/**
 * Bytes of a deleted file are kept this long after the deletion: a generation admitted just before it
 * still reads them, and no generation stays active longer than the 1-hour active-job TTL (§4.4).
 */
export const FILE_PURGE_GRACE_MS = ACTIVE_JOB_TTL_MS;
/** A presigned upload may still be completed this long after its URL expired (an upload finishing late). */
export const UPLOAD_COMPLETE_SLACK_MS = 10 * 60_000;
/** Files purged per pass; the next pass takes the rest. */
const PURGE_BATCH = 100;

export class FileJanitor {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly log: Logger,
    private readonly now: () => number,
    /** Lifetime of a presigned upload URL (ms). */
    private readonly uploadTtlMs: number,
  ) {}

  start(intervalMs: number): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
    void this.sweep();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; never rejects (a failing store is logged and tried again next time). */
  async sweep(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const now = this.now();
    try {
      const settled = await this.store.files.settle(
        now,
        now - this.uploadTtlMs - UPLOAD_COMPLETE_SLACK_MS,
        FILE_INGEST_MAX_ATTEMPTS,
      );
      const due = await this.store.files.listPurgeable(now - FILE_PURGE_GRACE_MS, PURGE_BATCH);
      for (const f of due) {
        await this.blobs.delete(f.stagingKey);
        if (f.blobKey !== null) await this.blobs.delete(f.blobKey);
        await this.store.files.markPurged(f.id, this.now());
      }
      if (settled.expired + settled.abandoned + settled.exhausted + due.length > 0) {
        this.log.info({ ...settled, purged: due.length }, 'files janitor');
      }
    } catch (err) {
      this.log.error({ err }, 'files janitor failed');
    } finally {
      this.busy = false;
    }
  }
}
