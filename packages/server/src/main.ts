// Composition root: the only file that picks adapters from config and starts roles
// (docs/architecture.md "Processes").
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withBlobFaults } from './blobs/blob-faults.js';
import type { BlobStore } from './blobs/blob-store.js';
import { DiskBlobStore } from './blobs/disk.blob-store.js';
import { S3BlobStore } from './blobs/s3.blob-store.js';
import { UrlSigner } from './blobs/url-signer.js';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import type { Model } from './contract/wire.js';
import type { Engine } from './engines/engine.js';
import { ReferenceEngine } from './engines/reference/reference.engine.js';
import { RelayEngine } from './engines/relay/relay.engine.js';
import { EngineRegistry } from './engines/registry.js';
import type { EngineName } from './engines/routes.js';
import { kindsRoutedTo } from './engines/routes.js';
import { WebhookSender } from './events/webhook-sender.js';
import { STREAM_DEFAULTS } from './events/generation-stream.js';
import { blobStoreProbe } from './health/blob-probe.js';
import type { ReadinessProbe } from './health/readiness.js';
import { Readiness } from './health/readiness.js';
import { buildApp, closeWithin, registeredRoutes } from './http/app.js';
import { locateConsoleBuild } from './http/console.route.js';
import { buildOpsApp } from './http/ops.routes.js';
import { systemResolver } from './inputs/address-policy.js';
import { Ingestor } from './inputs/ingest.js';
import { HttpJobSource } from './jobs/http.job-source.js';
import { JobSignal } from './jobs/job-signal.js';
import { JobWorker } from './jobs/job-worker.js';
import { FileIngester } from './files/ingester.js';
import { FileJanitor } from './files/janitor.js';
import { Reaper } from './jobs/reaper.js';
import { RemoteJobs } from './jobs/remote-jobs.js';
import { createStoreWorker } from './jobs/store-worker.js';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';
import { cachingKeys, KeyCache } from './policy/key-cache.js';
import { cachingSettledRows, RowCache } from './store/row-cache.js';
import type { Moderator } from './policy/moderation.js';
import { imageModerator, openModerator } from './policy/moderation.js';
import { createProcessLogger } from './logger.js';
import { ffmpegToolsProbe } from './media/ffmpeg/tools-probe.js';
import { countedGenerations } from './metrics/counted-generations.js';
import { PromMetrics } from './metrics/prom.metrics.js';
import { DEFAULT_CLIENT_NAME, ensureClient, ensureOwner } from './policy/owner.js';
import { DEFAULT_SEED_SPAN_MS, seedRows } from './generations/seed-plan.js';
import { OUTBOX_RETENTION_MS } from './jobs/reaper.js';
import { openStore, type OpenStoreOptions } from './store/open-store.js';
import { databaseSize, writeSeedRows, type DatabaseSize } from './store/seed.js';
import type { Store } from './store/store.js';

/**
 * Files completed in another process are found by polling; files completed here wake the ingester at
 * once, so the poll can be slower than the job queue's.
 */
const FILE_POLL_FLOOR_MS = 1000;
/** How often expired files are settled and the bytes of deleted ones removed. */
const FILE_JANITOR_INTERVAL_MS = 60_000;
/**
 * How often the webhook sender looks for due deliveries by itself. New events wake it at once (this
 * process's writes, and other processes' through the event log's watch); retries it scheduled wake it when
 * due; the poll catches the rest (a retry asked of another api process).
 */
const WEBHOOK_POLL_MS = 1000;

export interface RunningUmbra {
  /** Base URL of the API, e.g. http://127.0.0.1:8080/v1 (null for a worker-only process). */
  apiUrl: string | null;
  /** A key created on this start because none existed (printed once). */
  newKey: string | null;
  store: Store;
  /** Where blobs live, for people: the disk directory or the bucket. */
  storage: string;
  worker: JobWorker | null;
  /** The process logger (what the command line's process guards log to). */
  log: Logger;
  /** Where /metrics, /healthz and /readyz answer when UMBRA_METRICS_PORT is set (http://host:port); else null. */
  metricsUrl: string | null;
  /** The API listener's routes, `METHOD /path` as registered (empty for a worker-only process). */
  routes: readonly string[];
  /**
   * Stops accepting requests and claims, lets running jobs finish for up to `graceMs` (default
   * UMBRA_SHUTDOWN_GRACE_MS), hands the rest back to the queue, then closes everything.
   */
  stop(graceMs?: number): Promise<void>;
}

/** The signing secret must be shared by every process that serves or signs URLs. */
async function signingSecret(config: Config): Promise<string> {
  if (config.signingSecret !== null) return config.signingSecret;
  const file = join(config.dataDir, 'signing-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    // 'wx' fails if another process created it first; then read theirs.
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}

/** `umbra worker`: the reference engine on this machine, fed over HTTP by the server at `serverUrl`. */
export interface RunningRemoteWorker {
  worker: JobWorker;
  /** The process logger (what the command line's process guards log to). */
  log: Logger;
  stop(graceMs?: number): Promise<void>;
}

/** The reference engine as configured: one render thread per job slot. */
const referenceEngine = (config: Config, log: Logger): ReferenceEngine =>
  new ReferenceEngine({
    threads: config.concurrency,
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
    editDepthModel: config.depthModelPath,
    editControlsDir: config.editDebugDir,
    log,
  });

export function startRemoteWorker(
  config: Config,
  o: { models: Model[] | null; instance: string },
  logger?: Logger,
): RunningRemoteWorker {
  if (config.serverUrl === null)
    throw new ConfigError('umbra worker needs --server URL (or UMBRA_SERVER_URL)');
  if (config.workerToken === null)
    throw new ConfigError('umbra worker needs --token TOKEN (or UMBRA_WORKER_TOKEN)');
  const log: Logger = logger ?? createProcessLogger(config);
  const engine = referenceEngine(config, log);
  const source = new HttpJobSource({
    serverUrl: config.serverUrl,
    token: config.workerToken,
    instance: o.instance,
    models: o.models,
    types: null,
  });
  const worker = new JobWorker(
    {
      source,
      engineFor: () => engine,
      log,
      now: () => Date.now(),
      moderator: imageModerator(config.moderation, log),
    },
    {
      concurrency: config.concurrency,
      emulateLatencyMs: 0,
      scratchRoot: join(config.dataDir, 'scratch'),
      ffmpegPath: config.ffmpegPath,
      ffprobePath: config.ffprobePath,
    },
  );
  worker.start();
  return {
    worker,
    log,
    async stop(graceMs = config.shutdownGraceMs) {
      await worker.stop(graceMs);
      await engine.close();
    },
  };
}

/** Where the configured database is: DATABASE_URL (and UMBRA_PG_SCHEMA), or the data dir's SQLite file. */
const storeTarget = (config: Config): OpenStoreOptions => ({
  databaseUrl: config.databaseUrl,
  sqlitePath: join(config.dataDir, 'umbra.db'),
  ...(config.databaseSchema === null ? {} : { pgSchema: config.databaseSchema }),
});

export const openConfiguredStore = async (config: Config): Promise<Store> => {
  await mkdir(config.dataDir, { recursive: true });
  return openStore(storeTarget(config));
};

/** Options of {@link seedConfiguredDatabase}. */
export interface SeedOptions {
  generations: number;
  /** Clients the rows are spread over: the default client and `seed-1`… (created without keys). */
  clients: number;
  /** How far back the oldest row goes; default six months. */
  spanMs?: number;
  onProgress?: (written: number) => void;
}

export interface SeedReport {
  generations: number;
  clients: string[];
  ms: number;
  size: DatabaseSize;
}

/**
 * `umbra seed`: adds `generations` terminal generations (generations/seed-plan.ts) to the configured
 * database, migrated first, as fast as the database takes them (issue 15, "Scale").
 */
export async function seedConfiguredDatabase(config: Config, o: SeedOptions): Promise<SeedReport> {
  const now = Date.now();
  const names = [DEFAULT_CLIENT_NAME, ...Array.from({ length: o.clients - 1 }, (_, i) => `seed-${i + 1}`)];
  const store = await openConfiguredStore(config);
  const clientIds: string[] = [];
  try {
    for (const name of names) clientIds.push((await ensureClient(store, name, now)).id);
  } finally {
    await store.close();
  }
  const target = storeTarget(config);
  const t0 = performance.now();
  const rowAt = seedRows(
    {
      count: o.generations,
      clientIds,
      now,
      spanMs: o.spanMs ?? DEFAULT_SEED_SPAN_MS,
      maxAttempts: config.maxAttempts,
    },
    randomUUID,
  );
  await writeSeedRows(target, {
    count: o.generations,
    rowAt,
    eventsBefore: now - OUTBOX_RETENTION_MS,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const ms = performance.now() - t0;
  return { generations: o.generations, clients: names, ms, size: await databaseSize(target) };
}

/** A logger that can also serve Fastify (pino, or one made like it), not just the Logger port. */
const isPino = (l: Logger): l is ReturnType<typeof createProcessLogger> =>
  typeof (l as { child?: unknown }).child === 'function' &&
  typeof (l as { level?: unknown }).level === 'string';

/** The listen address as a URL a client on this machine can use. */
const listeningUrl = (address: string, host: string): string => {
  const port = new URL(address).port;
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
};

export async function startUmbra(config: Config, logger?: Logger): Promise<RunningUmbra> {
  // One pino instance for the whole process. An injected logger (tests) replaces it; it logs requests too
  // when it is a pino logger.
  const processLog = logger === undefined ? createProcessLogger(config) : isPino(logger) ? logger : null;
  const log: Logger = logger ?? processLog ?? silentLogger;
  const now = (): number => Date.now();
  // Before the store opens: a bad term file stops the start with nothing to close.
  let moderator: Moderator;
  try {
    moderator = await openModerator(config.moderation, log);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  const rawStore = await openConfiguredStore(config);
  const metrics = new PromMetrics({
    routes: config.engines,
    now,
    gauges: {
      queueStats: () => rawStore.generations.queueStats(),
      remoteWorkersSeenSince: async (since) => (await rawStore.workers.listSeen(since)).length,
    },
  });
  // Every transition of a generation is counted where the store made it durable, whoever asked for it.
  // Authenticated requests reuse a recently read key for a few seconds (policy/key-cache.ts), and settled
  // generations, which never change, are read once (store/row-cache.ts).
  const keyCache = new KeyCache({ maxEntries: config.keyCacheEntries, ttlMs: config.keyCacheMs, now });
  const rows = cachingSettledRows(rawStore.generations, new RowCache(config.rowCacheEntries));
  const store: Store = cachingKeys({ ...rawStore, generations: countedGenerations(rows, metrics) }, keyCache);
  // Until the API listens (or in a worker-only process), signed URLs use the configured or nominal origin.
  let origin = config.publicUrl ?? `http://${config.host}:${config.port}`;
  // A bucket serves its own presigned URLs; the disk store's are served by this server (its plugin).
  let blobs: BlobStore;
  let s3Blobs: S3BlobStore | null = null;
  let diskBlobs: DiskBlobStore | null = null;
  let storage: string;
  if (config.s3 !== null) {
    blobs = s3Blobs = withBlobFaults(new S3BlobStore(config.s3));
    storage = s3Blobs.describe();
  } else {
    const root = join(config.dataDir, 'blobs');
    const disk = new DiskBlobStore(root, new UrlSigner(await signingSecret(config)), () => origin);
    blobs = diskBlobs = withBlobFaults(disk);
    storage = `disk (${root})`;
  }
  const { newKey } = await ensureOwner(store, config.apiKey, now());
  const probes: ReadinessProbe[] = [
    { part: 'database', check: () => store.ping() },
    { part: 'blobs', check: blobStoreProbe(blobs) },
  ];
  // Processes that render need ffmpeg; an api-only one does not depend on it to take requests.
  if (config.role !== 'api') {
    const check = ffmpegToolsProbe({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, now });
    probes.push({ part: 'ffmpeg', check });
  }
  const readiness = new Readiness(probes);
  let worker: JobWorker | null = null;
  let registry: EngineRegistry | null = null;
  if (config.role !== 'api') {
    const engines: Partial<Record<EngineName, Engine>> = {};
    if (kindsRoutedTo(config.engines, ['reference']).length > 0) {
      engines.reference = referenceEngine(config, log);
    }
    if (kindsRoutedTo(config.engines, ['relay']).length > 0) {
      // config.ts refuses relay routes without both settings; the fallback never applies.
      engines.relay = new RelayEngine({
        baseURL: config.relayUrl ?? '',
        apiKey: config.relayApiKey ?? '',
        pollMs: config.relayPollMs,
        retryWindowMs: config.relayRetrySeconds * 1000,
        inlineMaxBytes: config.relayInlineMaxBytes,
      });
    }
    registry = new EngineRegistry(config.engines, engines);
    const kinds = registry.kinds();
    // With every kind routed to remote workers, this process has nothing to render.
    if (kinds.length > 0) {
      const engineRegistry = registry;
      worker = createStoreWorker(
        {
          store,
          blobs,
          engineFor: (job) => engineRegistry.engineFor(job.model, job.type),
          log,
          now,
          moderator,
        },
        {
          leaseMs: config.leaseMs,
          pollMs: config.pollMs,
          retryBaseMs: config.retryBaseMs,
          kinds,
          concurrency: config.concurrency,
          emulateLatencyMs: config.emulator ? config.emulateLatencyMs : 0,
          scratchRoot: join(config.dataDir, 'scratch'),
          ffmpegPath: config.ffmpegPath,
          ffprobePath: config.ffprobePath,
        },
      );
      worker.start();
    }
  }
  // Wakes waiting claims, in-process and remote, the moment a job is admitted or requeued here.
  const jobSignal = new JobSignal();
  const jobsArrived = (): void => {
    worker?.wake();
    jobSignal.notify();
  };
  const reaper = new Reaper(store, log, now, jobsArrived);
  reaper.start(config.leaseMs);
  // Files are ingested and swept in every process that has the store, api-only ones included: remote
  // workers never see the store, so a deployment of api processes and remote workers still gets its
  // files verified. Claims and conditional updates keep processes from doing the same work twice.
  const uploadTtlMs = config.urlTtlSeconds * 1000;
  const ingester = new FileIngester(
    {
      store,
      blobs,
      log,
      now,
      verify: { tmpDir: join(config.dataDir, 'tmp'), ffmpeg: config.ffmpegPath, ffprobe: config.ffprobePath },
    },
    Math.max(config.pollMs, FILE_POLL_FLOOR_MS),
  );
  ingester.start();
  const janitor = new FileJanitor(store, blobs, log, now, uploadTtlMs);
  janitor.start(FILE_JANITOR_INTERVAL_MS);

  let app: ReturnType<typeof buildApp> | null = null;
  let remote: RemoteJobs | null = null;
  let apiUrl: string | null = null;
  let webhooks: WebhookSender | null = null;
  if (config.role !== 'worker') {
    // Webhooks are sent by api processes, apart from every render worker (issue 11).
    const sender = (webhooks = new WebhookSender(
      { store, blobs, log, now, metrics },
      {
        concurrency: config.webhookConcurrency,
        timeoutMs: config.webhookTimeoutMs,
        retryScale: config.webhookRetryScale,
        urlTtlMs: config.urlTtlSeconds * 1000,
        pollMs: WEBHOOK_POLL_MS,
        allowLoopbackHttp: config.allowLoopbackFetch,
      },
    ));
    sender.start();
    const ingestor = new Ingestor({
      blobs,
      getGeneration: (id) => store.generations.get(id),
      getFile: (clientId, id) => store.files.get(clientId, id),
      tmpDir: join(config.dataDir, 'tmp'),
      allowLoopbackFetch: config.allowLoopbackFetch,
      now,
    });
    app = buildApp({
      store,
      blobs,
      diskBlobs,
      admit: { store, ingestor, maxAttempts: config.maxAttempts, emulator: config.emulator, moderator, now },
      urlTtlMs: config.urlTtlSeconds * 1000,
      files: { store, blobs, now, uploadTtlMs, onBytesArrived: () => ingester.wake() },
      webhooks: {
        store,
        now,
        allowLoopbackHttp: config.allowLoopbackFetch,
        lookup: systemResolver,
        onRetry: () => sender.wake(),
      },
      now,
      onAdmitted: jobsArrived,
      remote: (remote = new RemoteJobs(
        { store, blobs, signal: jobSignal, routes: config.engines, log, now },
        {
          leaseMs: config.leaseMs,
          retryBaseMs: config.retryBaseMs,
          pollMs: config.pollMs,
          maxUploadBytes: config.maxUploadBytes,
        },
      )),
      stream: { ...STREAM_DEFAULTS, keepAliveMs: config.sseKeepAliveMs },
      maxBodyBytes: config.maxBodyBytes,
      httpMetrics: metrics,
      // With a port of their own (below), /metrics is not served on the API port.
      ops: { metrics: config.metricsPort === null ? metrics : null, readiness },
      logger: processLog,
      consoleDir: locateConsoleBuild(),
    });
    const address = await app.listen({ port: config.port, host: config.host });
    const listening = listeningUrl(address, config.host);
    origin = config.publicUrl ?? listening;
    apiUrl = `${listening}/v1`;
  }

  // Last, so that a process answers its probes once everything above has started.
  let opsApp: ReturnType<typeof buildOpsApp> | null = null;
  let metricsUrl: string | null = null;
  if (config.metricsPort !== null) {
    opsApp = buildOpsApp({ metrics, readiness });
    const address = await opsApp.listen({ port: config.metricsPort, host: config.metricsHost });
    metricsUrl = listeningUrl(address, config.metricsHost);
  }

  return {
    apiUrl,
    newKey,
    store,
    storage,
    worker,
    log,
    metricsUrl,
    routes: app === null ? [] : registeredRoutes(app),
    async stop(graceMs = config.shutdownGraceMs) {
      // Claims stop at once and running jobs get their grace while the rest closes; the store stays open
      // until the worker has handed back what it could not finish.
      const workerStopped = worker?.stop(graceMs);
      remote?.close();
      if (app !== null) await closeWithin(app, graceMs);
      if (opsApp !== null) await closeWithin(opsApp, graceMs);
      await webhooks?.stop();
      reaper.stop();
      janitor.stop();
      await ingester.stop();
      await workerStopped;
      await registry?.close();
      s3Blobs?.close();
      await store.close();
    },
  };
}
