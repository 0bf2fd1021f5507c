// The metrics port on prom-client (the only importer of it): one registry per process, the counters and
// histograms the rest of the server reports into, and gauges read from the store at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ALL_KINDS, kindOf } from '../contract/model-matrix.js';
import type { FailureCode, GenerationType, Model } from '../contract/wire.js';
import { MODELS } from '../contract/wire.js';
import type { EngineRoutes } from '../engines/routes.js';
import type { QueueStat } from '../store/store.js';
import { HttpTally } from './http-tally.js';
import type { HttpRequestFacts, JobKind, Metrics, WebhookAttemptOutcome } from './metrics.js';

/** What the gauges are read from at each scrape (the store, in main.ts). */
export interface GaugeSource {
  /** Queue and running counts per model with any active job. */
  queueStats(): Promise<QueueStat[]>;
  /** Remote worker instances that called in at or after `since` (ms). */
  remoteWorkersSeenSince(since: number): Promise<number>;
}

/**
 * A remote worker counts as connected when it called in within this window: an idle worker's long poll
 * comes back at least every 25 s, and calls are recorded at most every 5 s per instance.
 */
export const CONNECTED_WINDOW_MS = 60_000;

/** The route label of a request no route matched (scanners, typos): one series, however many URLs. */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
/** A method label from a closed set. */
const methodLabel = (m: string): string => (METHODS.has(m) ? m : 'other');

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Images take a fraction of a second to seconds; videos up to minutes; relayed jobs longer still.
const RENDER_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const WEBHOOK_OUTCOMES: readonly WebhookAttemptOutcome[] = ['delivered', 'retrying', 'dead'];

export interface PromMetricsOptions {
  /** UMBRA_ENGINES: each kind's engine, the `engine` label. */
  routes: EngineRoutes;
  gauges: GaugeSource;
  now: () => number;
  /** Also the process's CPU, memory, event-loop and GC metrics (prom-client's defaults). Default true. */
  processMetrics?: boolean;
}

type KindLabels = 'model' | 'type' | 'engine';

/** The registry of one process, and the {@link Metrics} it is fed through. */
export class PromMetrics implements Metrics {
  private readonly registry = new Registry();
  private readonly http = new HttpTally(
    {
      name: 'umbra_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
    },
    {
      name: 'umbra_http_request_duration_seconds',
      help: 'Time from a request arriving to its response being sent, by method and route pattern.',
    },
    HTTP_BUCKETS,
  );
  private readonly admittedTotal: Counter<KindLabels>;
  private readonly completedTotal: Counter<KindLabels>;
  private readonly failedTotal: Counter<KindLabels | 'code'>;
  private readonly retriedTotal: Counter<KindLabels>;
  private readonly canceledTotal: Counter<KindLabels>;
  private readonly renderSeconds: Histogram<'model' | 'type'>;
  private readonly queueDepth: Gauge<'model'>;
  private readonly queueAge: Gauge<'model'>;
  private readonly running: Gauge<'model'>;
  private readonly remoteWorkers: Gauge;
  private readonly webhookAttempts: Counter<'outcome'>;

  constructor(private readonly o: PromMetricsOptions) {
    const registers = [this.registry];
    const kindCounter = (name: string, help: string): Counter<KindLabels> =>
      new Counter({ name, help, labelNames: ['model', 'type', 'engine'], registers });
    this.admittedTotal = kindCounter(
      'umbra_generations_admitted_total',
      'Generations admitted (inserted queued), by model, type and engine.',
    );
    this.completedTotal = kindCounter(
      'umbra_generations_completed_total',
      'Generations completed, by model, type and engine.',
    );
    this.failedTotal = new Counter({
      name: 'umbra_generations_failed_total',
      help: 'Generations failed for good (cancels excluded), by model, type, engine and failure code.',
      labelNames: ['model', 'type', 'engine', 'code'],
      registers,
    });
    this.retriedTotal = kindCounter(
      'umbra_generations_retried_total',
      'Attempts that ended back in the queue (a retryable failure, or a lease that expired).',
    );
    this.canceledTotal = kindCounter(
      'umbra_generations_canceled_total',
      'Generations canceled by their client, by model, type and engine.',
    );
    this.renderSeconds = new Histogram({
      name: 'umbra_generation_render_seconds',
      help: 'Seconds from the claim to the completion of a job (inputs, render, outputs), by model and type.',
      labelNames: ['model', 'type'],
      buckets: RENDER_BUCKETS,
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'umbra_queue_depth',
      help: 'Generations queued (due or backing off before a retry), by model. Read from the database.',
      labelNames: ['model'],
      registers,
    });
    this.queueAge = new Gauge({
      name: 'umbra_queue_oldest_age_seconds',
      help: 'How long the longest-waiting claimable generation has waited, by model (0 when none).',
      labelNames: ['model'],
      registers,
    });
    this.running = new Gauge({
      name: 'umbra_jobs_running',
      help: 'Generations being processed by any worker, in-process or remote, by model.',
      labelNames: ['model'],
      registers,
    });
    this.remoteWorkers = new Gauge({
      name: 'umbra_remote_workers_connected',
      help: `Remote worker instances that called in within the last ${CONNECTED_WINDOW_MS / 1000} s.`,
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'umbra_webhook_attempts_total',
      help: 'Webhook attempts recorded, by what they left the delivery as: delivered, retrying or dead.',
      labelNames: ['outcome'],
      registers,
    });
    // Series that exist from the start, so a rate over the first increment is not lost.
    for (const kind of ALL_KINDS) {
      const [model, type] = kind.split('/') as [Model, GenerationType];
      const labels = this.kindLabels({ model, type });
      for (const c of [this.admittedTotal, this.completedTotal, this.retriedTotal, this.canceledTotal])
        c.inc(labels, 0);
    }
    for (const outcome of WEBHOOK_OUTCOMES) this.webhookAttempts.inc({ outcome }, 0);
    if (o.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** The exposition: refreshes the gauges from the store, then renders every family as text. */
  async render(): Promise<{ contentType: string; body: string }> {
    await this.refreshGauges();
    // The registry's text ends with a newline; a blank line separates families, as between its own.
    const body = `${await this.registry.metrics()}\n${this.http.exposition()}\n`;
    return { contentType: this.registry.contentType, body };
  }

  request(r: HttpRequestFacts): void {
    this.http.record(methodLabel(r.method), r.route ?? UNMATCHED_ROUTE, r.status, r.seconds);
  }

  admitted(kind: JobKind): void {
    this.admittedTotal.inc(this.kindLabels(kind));
  }

  completed(kind: JobKind, seconds: number | null): void {
    this.completedTotal.inc(this.kindLabels(kind));
    if (seconds !== null) this.renderSeconds.observe({ model: kind.model, type: kind.type }, seconds);
  }

  failed(kind: JobKind, code: FailureCode): void {
    this.failedTotal.inc({ ...this.kindLabels(kind), code });
  }

  retried(kind: JobKind): void {
    this.retriedTotal.inc(this.kindLabels(kind));
  }

  canceled(kind: JobKind): void {
    this.canceledTotal.inc(this.kindLabels(kind));
  }

  webhookAttempt(outcome: WebhookAttemptOutcome): void {
    this.webhookAttempts.inc({ outcome });
  }

  private kindLabels(k: JobKind): Record<KindLabels, string> {
    return { model: k.model, type: k.type, engine: this.o.routes[kindOf(k.model, k.type)] ?? 'reference' };
  }

  /**
   * Every model gets a value (0 when idle), so a series never vanishes when its queue empties. When the
   * database does not answer, the store's gauges are left out of this scrape rather than kept stale.
   */
  private async refreshGauges(): Promise<void> {
    const now = this.o.now();
    let stats: QueueStat[];
    let workers: number;
    try {
      [stats, workers] = await Promise.all([
        this.o.gauges.queueStats(),
        this.o.gauges.remoteWorkersSeenSince(now - CONNECTED_WINDOW_MS),
      ]);
    } catch {
      for (const g of [this.queueDepth, this.queueAge, this.running, this.remoteWorkers]) g.reset();
      return;
    }
    for (const model of MODELS) {
      const s = stats.find((x) => x.model === model);
      this.queueDepth.set({ model }, s?.queued ?? 0);
      const since = s?.oldestRunAfter ?? null;
      this.queueAge.set({ model }, since === null ? 0 : Math.max(0, now - since) / 1000);
      this.running.set({ model }, s?.processing ?? 0);
    }
    this.remoteWorkers.set(workers);
  }
}
