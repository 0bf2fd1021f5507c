// The metrics port (issue 12, "Metrics"): what the rest of the server reports, in narrow pieces, so that
// no module but metrics/ knows about Prometheus. Labels are bounded by construction: models, types,
// engines, failure codes, route patterns and status codes, never ids or prompts.
import type { FailureCode, GenerationType, Model } from '../contract/wire.js';

/** The kind of a generation, which its counters are labelled by (the engine follows from it). */
export interface JobKind {
  model: Model;
  type: GenerationType;
}

/** One HTTP request, as the access log sees it when the response is sent. */
export interface HttpRequestFacts {
  method: string;
  /** The route's pattern (e.g. `/v1/generations/:id`), or null when no route matched. */
  route: string | null;
  status: number;
  seconds: number;
}

/** Reported by the HTTP layer. */
export interface HttpMetrics {
  request(r: HttpRequestFacts): void;
}

/** Reported once per durable transition of a generation (after the store said it happened). */
export interface JobMetrics {
  /** Inserted `queued`. */
  admitted(kind: JobKind): void;
  /** → completed; `seconds` from the claim that completed it, or null when another process claimed it. */
  completed(kind: JobKind, seconds: number | null): void;
  /** → failed for good (a cancel is counted apart). */
  failed(kind: JobKind, code: FailureCode): void;
  /** → queued again for another attempt (a retryable failure, or a lease that expired). */
  retried(kind: JobKind): void;
  /** → failed because its client canceled it. */
  canceled(kind: JobKind): void;
}

/** What a recorded webhook attempt left its delivery as. */
export type WebhookAttemptOutcome = 'delivered' | 'retrying' | 'dead';

/** Reported by the webhook sender. */
export interface WebhookMetrics {
  webhookAttempt(outcome: WebhookAttemptOutcome): void;
}

/** Everything a process reports. */
export interface Metrics extends HttpMetrics, JobMetrics, WebhookMetrics {}

/** Reports nothing (tests, and the pieces built without a registry). */
export const NO_METRICS: Metrics = {
  request: () => undefined,
  admitted: () => undefined,
  completed: () => undefined,
  failed: () => undefined,
  retried: () => undefined,
  canceled: () => undefined,
  webhookAttempt: () => undefined,
};
