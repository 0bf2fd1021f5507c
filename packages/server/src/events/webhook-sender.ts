// The webhook delivery loop (issue 11, "Webhooks"): claims due deliveries from the outbox with a lease,
// sends each in its own slot (at most `concurrency` at once, each bounded by the per-attempt timeout, so a
// hanging receiver holds only its own slot), and records every attempt with the delivery's next state.
// It runs apart from the render workers: a slow, failing or hanging receiver never touches a job.
//
// Crash safety: a delivery is queued in the transaction of its event, and its lease outlives any attempt;
// a process that dies mid-attempt leaves a lease that lapses, and the delivery is claimed again (at least
// once: receivers deduplicate by `webhook-id`). A failing database is logged and retried with backoff.
import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../blobs/blob-store.js';
import { postGuarded } from '../inputs/guarded-post.js';
import type { Resolver } from '../inputs/address-policy.js';
import type { Logger } from '../log.js';
import type { WebhookMetrics } from '../metrics/metrics.js';
import type { DueWebhookDelivery, Store, WebhookAttemptResult, WebhookOutcome } from '../store/store.js';
import { afterFailedAttempt } from './retry-schedule.js';
import { buildWebhookEvent } from './webhook-payload.js';
import { webhookHeaders } from './webhook-signature.js';

export interface WebhookSenderDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  now: () => number;
  /** Counts each recorded attempt by outcome; default none. */
  metrics?: WebhookMetrics;
}

export interface WebhookSenderOptions {
  /** Deliveries attempted at once by this process (UMBRA_WEBHOOK_CONCURRENCY). */
  concurrency: number;
  /** Deadline of one attempt, DNS to answer (UMBRA_WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Shrinks the retry schedule, 0 < scale ≤ 1 (UMBRA_WEBHOOK_RETRY_SCALE; 1 = 24 hours). */
  retryScale: number;
  /** Lifetime of the output URLs in a payload (UMBRA_URL_TTL_SECONDS). */
  urlTtlMs: number;
  /** How often to look for due deliveries when nothing wakes the loop. */
  pollMs: number;
  /** TEST ONLY (UMBRA_TEST_ALLOW_LOOPBACK_FETCH): receivers may be http:// on loopback. */
  allowLoopbackHttp: boolean;
  /** DNS resolver of the guarded client; default the system's. Tests inject answers here. */
  lookup?: Resolver;
}

/** Backoff after the n-th consecutive failure of the database: 250 ms doubling to 5 s. */
const dbBackoffMs = (failures: number): number => Math.min(5000, 250 * 2 ** Math.max(0, failures - 1));

const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

export class WebhookSender {
  private readonly id = randomUUID().slice(0, 8);
  private claims = 0;
  private readonly inFlight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private running = false;
  private pumping: Promise<void> | null = null;
  private again = false;
  private dbFailures = 0;
  private poll: NodeJS.Timeout | null = null;
  /** The earliest wake this process asked for (a retry it scheduled, or a backoff), and its time. */
  private soon: { timer: NodeJS.Timeout; at: number } | null = null;
  private unwatch: (() => void) | null = null;

  constructor(
    private readonly deps: WebhookSenderDeps,
    private readonly opts: WebhookSenderOptions,
  ) {}

  /** A lease outlives the attempt it covers (its deadline) with room to record it. */
  private get leaseMs(): number {
    return 2 * this.opts.timeoutMs + 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Deliveries are queued with their events: any append may have brought some.
    this.unwatch = this.deps.store.events.watch(() => this.wake());
    this.poll = setInterval(() => this.wake(), this.opts.pollMs);
    this.poll.unref();
    this.wake();
  }

  /**
   * Stops claiming and aborts the attempts on the wire; their leases are given back (unrecorded), so
   * another process, or this one after a restart, sends them at once.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.unwatch?.();
    this.unwatch = null;
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
    if (this.soon !== null) clearTimeout(this.soon.timer);
    this.soon = null;
    await this.pumping;
    const all = [...this.inFlight.values()];
    for (const a of all) a.abort.abort(new Error('stopping'));
    await Promise.all(all.map((a) => a.done));
  }

  /** Look for due deliveries now. Never throws. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping !== null) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Attempts in flight in this process. */
  get active(): number {
    return this.inFlight.size;
  }

  /** Wakes the loop at `at` unless an earlier wake is already set (the poll covers the rest). */
  private wakeAt(at: number): void {
    if (!this.running) return;
    if (this.soon !== null && this.soon.at <= at) return;
    if (this.soon !== null) clearTimeout(this.soon.timer);
    const timer = setTimeout(
      () => {
        this.soon = null;
        this.wake();
      },
      Math.max(0, at - this.deps.now()),
    );
    timer.unref();
    this.soon = { timer, at };
  }

  /** Claims as many due deliveries as there are free slots, and starts each. */
  private async pump(): Promise<void> {
    while (this.running) {
      const free = this.opts.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const owner = `${this.id}:${++this.claims}`;
      let due: DueWebhookDelivery[];
      try {
        due = await this.deps.store.webhooks.claimDue(owner, this.deps.now(), this.leaseMs, free);
        this.dbFailures = 0;
      } catch (err) {
        this.dbFailures++;
        const wait = dbBackoffMs(this.dbFailures);
        this.deps.log.error({ err, retryInMs: wait }, 'webhook deliveries could not be claimed');
        this.wakeAt(this.deps.now() + wait);
        return;
      }
      if (!this.running) {
        // Stopped while claiming: give them back untouched.
        await Promise.all(due.map((d) => this.deps.store.webhooks.release(d.delivery.id, owner))).catch(
          () => undefined,
        );
        return;
      }
      for (const d of due) this.launch(d, owner);
      // A full batch may have left more behind; a short one emptied the queue for now.
      if (due.length < free) return;
    }
  }

  private launch(due: DueWebhookDelivery, owner: string): void {
    const abort = new AbortController();
    const done = this.attempt(due, owner, abort.signal)
      .catch((err: unknown) => {
        // Its lease lapses and the delivery is claimed again then.
        this.deps.log.error({ err, delivery: due.delivery.id }, 'webhook attempt could not be recorded');
      })
      .finally(() => {
        this.inFlight.delete(due.delivery.id);
        this.wake();
      });
    this.inFlight.set(due.delivery.id, { abort, done });
  }

  /** One attempt: build and sign the payload, POST it through the guarded client, record the outcome. */
  private async attempt(due: DueWebhookDelivery, owner: string, signal: AbortSignal): Promise<void> {
    const { store, blobs, now, log } = this.deps;
    const d = due.delivery;
    const row = await store.generations.get(d.generationId);
    const at = now();
    let result: WebhookAttemptResult;
    let detail: string | null = null;
    if (row === null) {
      result = { at, statusCode: null, error: 'generation not found', durationMs: 0 };
    } else {
      const body = JSON.stringify(await buildWebhookEvent(d, row, blobs, at, this.opts.urlTtlMs));
      const r = await postGuarded(due.url, body, webhookHeaders(due.secret, d.id, at, body), {
        timeoutMs: this.opts.timeoutMs,
        allowLoopbackHttp: this.opts.allowLoopbackHttp,
        signal,
        ...(this.opts.lookup === undefined ? {} : { lookup: this.opts.lookup }),
      });
      if (r.error === 'aborted') {
        // Stopping: not the receiver's fault, so not an attempt. Due again at once, here or elsewhere.
        await store.webhooks.release(d.id, owner);
        return;
      }
      result = { at, statusCode: r.status, error: r.error, durationMs: r.durationMs };
      detail = r.detail;
    }
    const outcome: WebhookOutcome =
      row !== null && isSuccess(result.statusCode)
        ? { state: 'delivered' }
        : row === null
          ? { state: 'dead' }
          : afterFailedAttempt(d.eventAt, d.attempts + 1, now(), this.opts.retryScale);
    const recorded = await store.webhooks.recordAttempt(d.id, owner, result, outcome);
    const facts = {
      delivery: d.id,
      attempt: d.attempts + 1,
      status: result.statusCode,
      error: result.error,
      ...(detail === null ? {} : { detail }),
      outcome: outcome.state,
    };
    if (recorded) this.deps.metrics?.webhookAttempt(outcome.state === 'pending' ? 'retrying' : outcome.state);
    if (!recorded) log.warn(facts, 'webhook attempt ended after its lease; not recorded');
    else if (outcome.state === 'delivered') log.debug(facts, 'webhook delivered');
    else log.warn(facts, outcome.state === 'dead' ? 'webhook delivery dead' : 'webhook attempt failed');
    if (recorded && outcome.state === 'pending') this.wakeAt(outcome.nextAttemptAt);
  }
}
