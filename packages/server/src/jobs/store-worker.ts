// An in-process worker: the lease loop over the store job source.
import type { BlobStore } from '../blobs/blob-store.js';
import type { Engine } from '../engines/engine.js';
import type { Logger } from '../log.js';
import type { Moderator } from '../policy/moderation.js';
import type { Store } from '../store/store.js';
import type { ClaimedJob } from './job-source.js';
import type { JobWorkerOptions } from './job-worker.js';
import { JobWorker } from './job-worker.js';
import type { StoreJobSourceOptions } from './store.job-source.js';
import { StoreJobSource } from './store.job-source.js';

export interface StoreWorkerDeps {
  store: Store;
  blobs: BlobStore;
  /** The engine for a job (the registry's choice); null = not rendered here. */
  engineFor: (job: ClaimedJob) => Engine | null;
  log: Logger;
  now: () => number;
  /** Checks input and output images (UMBRA_MODERATION); absent = no moderation. */
  moderator?: Moderator;
}

export type StoreWorkerOptions = StoreJobSourceOptions & JobWorkerOptions;

/** A lease loop that claims straight from the store; call start() to run it. */
export function createStoreWorker(d: StoreWorkerDeps, o: StoreWorkerOptions): JobWorker {
  const source = new StoreJobSource(d.store, d.blobs, o, d.now);
  const { engineFor, log, now, moderator } = d;
  return new JobWorker({ source, engineFor, log, now, moderator }, o);
}
