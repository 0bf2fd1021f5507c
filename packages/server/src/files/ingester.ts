// The ingest loop (contract, Files API "Ingest"): claims files whose bytes have arrived and verifies them, one
// at a time per process. It runs in every process that has the store (see main.ts); the claim's lease
// keeps two processes off one file, and a file whose ingester crashed is claimed again once the lease
// lapses, at most FILE_INGEST_MAX_ATTEMPTS times (then the janitor fails it).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Logger } from '../log.js';
import type { FileRecord, Store } from '../store/store.js';
import { ingestFile, type IngestFileDeps } from './ingest-file.js';

/** Claims of one file before it fails for good. */
export const FILE_INGEST_MAX_ATTEMPTS = 3;
/** How long one ingest may take before another process may take the file over (no heartbeat). */
export const FILE_INGEST_LEASE_MS = 5 * 60_000;

export interface FileIngesterDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  now: () => number;
  verify: Omit<IngestFileDeps, 'blobs' | 'signal'>;
}

export class FileIngester {
  private readonly owner = `files:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private nudge: (() => void) | null = null;

  constructor(
    private readonly d: FileIngesterDeps,
    /** How often an idle ingester looks for files completed in other processes. */
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** A file's bytes arrived in this process: look now rather than at the next poll. */
  wake(): void {
    this.nudge?.();
  }

  /** Stops claiming and aborts a running verification; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /**
   * Waits `ms`, or until woken or stopped. The timer does not keep the process alive, so the stop signal
   * must end the wait itself: a stop that came while a claim was under way would otherwise leave the loop
   * (and `stop()`) waiting on a timer nothing runs.
   */
  private idle(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.nudge = done;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let f: FileRecord | null;
      try {
        f = await this.d.store.files.claimIngest(
          this.owner,
          this.d.now(),
          FILE_INGEST_LEASE_MS,
          FILE_INGEST_MAX_ATTEMPTS,
        );
        failures = 0;
      } catch (err) {
        failures++;
        this.d.log.error({ err }, 'file ingest claim failed');
        await this.idle(Math.min(5000, 250 * 2 ** failures));
        continue;
      }
      if (f === null) await this.idle(this.pollMs);
      else await this.ingest(f);
    }
  }

  /** One file; never rejects. Transient trouble leaves the lease to lapse, so the file is tried again. */
  private async ingest(f: FileRecord): Promise<void> {
    const { store, blobs, log, now } = this.d;
    try {
      const outcome = await ingestFile({ ...this.d.verify, blobs, signal: this.stopping.signal }, f);
      const kept = await store.files.finishIngest(f.id, this.owner, outcome, now());
      if (!kept && outcome.state === 'ready') await blobs.delete(outcome.blobKey);
      // The staged copy is no longer needed once the file is settled (kept, or another took it over).
      if (kept) await blobs.delete(f.stagingKey);
      const reason = outcome.state === 'failed' ? outcome.reason : undefined;
      log.info({ file: f.id, state: outcome.state, kept, reason }, 'file ingested');
    } catch (err) {
      if (this.stopping.signal.aborted) return;
      log.warn(
        { err, file: f.id, attempt: f.ingestAttempts },
        'file ingest failed; retried when its lease lapses',
      );
    }
  }
}
